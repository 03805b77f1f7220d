using Nomad.Agent.Jobspec;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Templates;

/// <summary>A job's template blocks checked at registration as Nomad checks them: each rule broken alone gives its message.</summary>
public sealed class TemplateValidationTests
{
    private static Job With(Template t) => JobDefaults.Canonicalize(new Job
    {
        ID = "x",
        Datacenters = ["dc1"],
        TaskGroups = [new TaskGroup { Name = "g", Tasks = [new JobTask { Name = "t", Driver = "raw_exec", Templates = [t] }] }],
    });

    private static readonly Template Good = new() { EmbeddedTmpl = "x", DestPath = "local/x" };

    [Test]
    public void A_good_template_passes() => Assert.That(JobValidator.Validate(With(Good)), Is.Empty);

    [TestCase("", "", "Must specify a source path or have an embedded template")]
    public void Nothing_to_render(string data, string source, string message) =>
        Assert.That(JobValidator.Validate(With(Good with { EmbeddedTmpl = data, SourcePath = source })),
            Is.EqualTo(new[] { $"group \"g\" task \"t\": template 1: {message}" }));

    private static IEnumerable<TestCaseData> Rules()
    {
        TestCaseData Case(Template t, string message) => new TestCaseData(t, message).SetName(message);
        yield return Case(Good with { DestPath = "" }, "Must specify a destination for the template");
        yield return Case(Good with { DestPath = "../../etc/x" }, "destination escapes allocation directory");
        yield return Case(Good with { ChangeMode = "bogus" }, "Invalid change mode. Must be one of the following: noop, restart, signal, script");
        yield return Case(Good with { ChangeMode = "signal" }, "Must specify signal value when change mode is signal");
        yield return Case(Good with { ChangeMode = "script" }, "must specify change script configuration value when change mode is script");
        yield return Case(Good with { Splay = -1 }, "Must specify positive splay value");
        yield return Case(Good with { Perms = "0999" }, "Failed to parse \"0999\" as octal");
    }

    [TestCaseSource(nameof(Rules))]
    public void Rule(Template t, string message) =>
        Assert.That(JobValidator.Validate(With(t)), Is.EqualTo(new[] { $"group \"g\" task \"t\": template 1: {message}" }));

    [Test]
    public void The_shared_alloc_dir_is_a_valid_destination() =>
        Assert.That(JobValidator.Validate(With(Good with { DestPath = "../alloc/shared.txt" })), Is.Empty);
}
