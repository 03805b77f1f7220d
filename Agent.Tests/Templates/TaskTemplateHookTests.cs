using Nomad.Agent.Structs;
using Nomad.Agent.Templates;

namespace Nomad.Agent.Tests.Templates;

/// <summary>The template hook on a real task directory: files, perms, env templates, confinement and Nomad's failure words.</summary>
public sealed class TaskTemplateHookTests
{
    private string _alloc = "", _dir = "";
    private static readonly Dictionary<string, string> Env = new() { ["NOMAD_ALLOC_ID"] = "alloc-1", ["NOMAD_TASK_DIR"] = "/local" };

    [SetUp]
    public void SetUp()
    {
        _alloc = Path.Combine(Path.GetTempPath(), "tmplhook-" + Guid.NewGuid().ToString("N"));
        _dir = Path.Combine(_alloc, "task");
        Directory.CreateDirectory(Path.Combine(_dir, "local"));
    }

    [TearDown]
    public void TearDown() => Directory.Delete(_alloc, recursive: true);

    private TaskTemplateHook.Outcome Render(params Template[] templates) =>
        TaskTemplateHook.Render(templates, _dir, Env, s => s.Replace("${NOMAD_TASK_DIR}", "/local"));

    [Test]
    public void Renders_into_the_task_dir_with_its_perms()
    {
        var outcome = Render(new Template { EmbeddedTmpl = "id={{ env \"NOMAD_ALLOC_ID\" }}\n", DestPath = "${NOMAD_TASK_DIR}/conf/app.conf", Perms = "0600" });
        Assert.That(outcome.Error, Is.Null);
        var path = Path.Combine(_dir, "local", "conf", "app.conf");
        Assert.That(File.ReadAllText(path), Is.EqualTo("id=alloc-1\n"));
        Assert.That(File.GetUnixFileMode(path), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite));
    }

    [Test]
    public void Env_templates_feed_variables()
    {
        var outcome = Render(new Template
        {
            EmbeddedTmpl = "# comment\nALLOC={{ env \"NOMAD_ALLOC_ID\" }}\nexport QUOTED=\"a b\"\n\nRAW='x=y'\n",
            DestPath = "secrets/file.env",
            Envvars = true,
        });
        Assert.That(outcome.Error, Is.Null);
        Assert.That(outcome.Env, Is.EqualTo(new Dictionary<string, string> { ["ALLOC"] = "alloc-1", ["QUOTED"] = "a b", ["RAW"] = "x=y" }));
    }

    [Test]
    public void Source_file_and_custom_delimiters()
    {
        File.WriteAllText(Path.Combine(_dir, "local", "in.tpl"), "<< env \"NOMAD_ALLOC_ID\" >> {{ kept }}");
        var outcome = Render(new Template { SourcePath = "local/in.tpl", DestPath = "local/out", LeftDelim = "<<", RightDelim = ">>" });
        Assert.That(outcome.Error, Is.Null);
        Assert.That(File.ReadAllText(Path.Combine(_dir, "local", "out")), Is.EqualTo("alloc-1 {{ kept }}"));
    }

    [Test]
    public void A_destination_escaping_the_allocation_is_refused_and_nothing_is_written()
    {
        var outcome = Render(new Template { EmbeddedTmpl = "x", DestPath = "../../escaped" });
        Assert.That(outcome.Error, Is.EqualTo("Template failed: template destination path escapes the allocation directory"));
        Assert.That(File.Exists(Path.GetFullPath(Path.Combine(_dir, "../../escaped"))), Is.False);
    }

    [Test]
    public void A_destination_in_the_shared_alloc_dir_is_allowed()
    {
        Assert.That(Render(new Template { EmbeddedTmpl = "a", DestPath = "../alloc/shared.txt" }).Error, Is.Null);
        Assert.That(Render(new Template { EmbeddedTmpl = "b", DestPath = "/alloc/isolated.txt" }).Error, Is.Null);
        Assert.That(File.ReadAllText(Path.Combine(_alloc, "alloc", "shared.txt")), Is.EqualTo("a"));
        Assert.That(File.ReadAllText(Path.Combine(_alloc, "alloc", "isolated.txt")), Is.EqualTo("b"));
    }

    [Test]
    public void A_syntax_error_names_the_line_in_nomads_words()
    {
        var outcome = Render(new Template { EmbeddedTmpl = "ok\n{{ if }}\n", DestPath = "local/x" });
        Assert.That(outcome.Error, Is.EqualTo("Template failed: (dynamic): parse: template: :2: missing value for if"));
    }

    [Test]
    public void A_missing_key_fails_only_with_error_on_missing_key()
    {
        Assert.That(Render(new Template { EmbeddedTmpl = "{{ .x }}", DestPath = "local/a" }).Error, Is.Null);
        Assert.That(File.ReadAllText(Path.Combine(_dir, "local", "a")), Is.EqualTo("<no value>"));
        Assert.That(Render(new Template { EmbeddedTmpl = "{{ .x }}", DestPath = "local/b", ErrMissingKey = true }).Error,
            Is.EqualTo("Template failed: (dynamic): execute: template: :1:3: executing \"\" at <.x>: nil data; no entry for key \"x\""));
    }
}
