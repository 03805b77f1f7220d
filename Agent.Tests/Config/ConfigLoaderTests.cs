using System.Reflection;
using Nomad.Agent.Config;

namespace Nomad.Agent.Tests.Config;

/// <summary>Files and directories, their order, and how later sources merge over earlier ones.</summary>
[TestFixture]
public sealed class ConfigLoaderTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("nomad-config").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void LaterFilesWin()
    {
        string a = Write("a.hcl", "region = \"one\"\ndatacenter = \"dc-a\"\nserver {\n  enabled = true\n  retry_join = [\"x\", \"y\"]\n}\n");
        string b = Write("b.json", "{\"region\": \"two\", \"server\": {\"retry_join\": [\"z\"]}}");
        var c = ConfigLoader.Load([a, b]);
        Assert.That(c.Region, Is.EqualTo("two"));
        Assert.That(c.Datacenter, Is.EqualTo("dc-a"), "unset in the later file, so kept");
        Assert.That(c.Server.Enabled, Is.True);
        Assert.That(c.Server.RetryJoin, Is.EqualTo(new[] { "z" }), "lists are replaced, not appended");
        Assert.That(c.Files, Is.EqualTo(new[] { a, b }));

        var reversed = ConfigLoader.Load([b, a]);
        Assert.That(reversed.Region, Is.EqualTo("one"));
        Assert.That(reversed.Server.RetryJoin, Is.EqualTo(new[] { "x", "y" }));
    }

    [Test]
    public void DirectoryLoadsHclAndJsonInLexicalOrder()
    {
        Write("conf/20-b.json", "{\"log_level\": \"WARN\", \"client\": {\"meta\": {\"b\": \"2\", \"shared\": \"json\"}}}");
        Write("conf/10-a.hcl", "log_level = \"DEBUG\"\nname = \"n1\"\nclient {\n  meta {\n    a = \"1\"\n    shared = \"hcl\"\n  }\n}\n");
        Write("conf/30-c.hcl", "log_level = \"ERROR\"\n");
        Write("conf/README.md", "not config");
        Write("conf/.#10-a.hcl", "garbage that would not parse {{{");
        Write("conf/40-d.hcl~", "garbage");
        Write("conf/sub/50-e.hcl", "log_level = \"TRACE\"\n");

        var c = ConfigLoader.Load([Path.Combine(_dir, "conf")]);
        Assert.That(c.Files.Select(Path.GetFileName), Is.EqualTo(new[] { "10-a.hcl", "20-b.json", "30-c.hcl" }));
        Assert.That(c.LogLevel, Is.EqualTo("ERROR"));
        Assert.That(c.NodeName, Is.EqualTo("n1"));
        Assert.That(c.Client.Meta, Is.EqualTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["shared"] = "json" }), "maps merge key by key");
    }

    [Test]
    public void FilesAndDirectoriesMix()
    {
        string first = Write("base.hcl", "region = \"r0\"\nname = \"base\"\n");
        Write("d/1.hcl", "region = \"r1\"\n");
        string last = Write("override.json", "{\"name\": \"final\"}");
        var c = ConfigLoader.Load([first, Path.Combine(_dir, "d"), last]);
        Assert.That(c.Region, Is.EqualTo("r1"));
        Assert.That(c.NodeName, Is.EqualTo("final"));
        Assert.That(c.Files.Select(Path.GetFileName), Is.EqualTo(new[] { "base.hcl", "1.hcl", "override.json" }));
    }

    [Test]
    public void AnExplicitFileOfAnyNameIsHcl()
    {
        string path = Write("agent.conf", "region = \"x\"\n");
        Assert.That(ConfigLoader.Load([path]).Region, Is.EqualTo("x"));
    }

    [Test]
    public void ErrorsNameTheFileAsGiven()
    {
        string path = Write("conf/bad.hcl", "server {\n  bogus = true\n}\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load([Path.Combine(_dir, "conf")]))!;
        Assert.That(ex.Message, Is.EqualTo($"{path}:2:3: unknown key \"bogus\" in server"));
    }

    [Test]
    public void EmptyDirectoryLoadsNothing()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var c = ConfigLoader.Load([Path.Combine(_dir, "empty")]);
        Assert.That(c.Files, Is.Empty);
        Assert.That(c.Region, Is.Null);
    }

    [Test]
    public void PluginsMergeByNameAndConfigKeysMerge()
    {
        string a = Write("a.hcl", "plugin \"docker\" {\n  args = [\"-a\"]\n  config {\n    x = 1\n    y = 1\n  }\n}\nplugin \"raw_exec\" {\n  config {\n    enabled = true\n  }\n}\n");
        string b = Write("b.hcl", "plugin \"docker\" {\n  config {\n    y = 2\n  }\n}\n");
        var c = ConfigLoader.Load([a, b]);
        Assert.That(c.Plugins["docker"].Args, Is.EqualTo(new[] { "-a" }));
        Assert.That(c.Plugins["docker"].Config, Is.EqualTo(new Dictionary<string, object?> { ["x"] = 1L, ["y"] = 2L }));
        Assert.That(c.Plugins["raw_exec"].Config["enabled"], Is.EqualTo(true));
    }

    [Test]
    public void MergeTakesEverySetFieldOfTheLaterConfig()
    {
        // Guards against a field added to a record but forgotten in its Merge.
        var full = ConfigLoader.ParseHcl(File.ReadAllText(Path.Combine(TestPaths.TestsDir, "Config", "testdata", "full.hcl")), "full.hcl");
        AssertAllSet(full, "config");
        var merged = new AgentConfig().Merge(full);
        Assert.That(System.Text.Json.JsonSerializer.Serialize(merged), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(full)));
        var kept = full.Merge(new AgentConfig());
        Assert.That(System.Text.Json.JsonSerializer.Serialize(kept), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(full)));
    }

    private static void AssertAllSet(object record, string path)
    {
        foreach (var prop in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (prop.Name == "EqualityContract" || prop.Name is "DevMode" or "Files") continue;
            object? value = prop.GetValue(record);
            Assert.That(value, Is.Not.Null, $"{path}.{prop.Name} is not set in testdata/full.hcl");
            if (value!.GetType().Namespace == typeof(AgentConfig).Namespace) AssertAllSet(value, $"{path}.{prop.Name}");
        }
    }
}
