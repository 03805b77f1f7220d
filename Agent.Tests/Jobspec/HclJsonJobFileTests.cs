using Nomad.Agent.Jobspec;

namespace Nomad.Agent.Tests.Jobspec;

/// <summary>
/// Job files in HCL's JSON syntax (Nomad reads a job file starting with "{" so): blocks by the decoder's schema, in
/// the order written, strings as templates, variables and locals, errors at the JSON's line and column. The whole
/// corpus is also read this way (JobspecCorpusTests.InHclJsonSyntax).
/// </summary>
[TestFixture]
public sealed class HclJsonJobFileTests
{
    private static Nomad.Agent.Jobspec.Api.Job Parse(string json, JobFileOptions? options = null) =>
        JobFile.Parse(json, "job.json", options ?? new JobFileOptions(), canonicalize: true);

    private static string Problems(string json) =>
        Assert.Throws<JobspecException>(() => Parse(json))!.Message;

    [Test]
    public void BlocksKeepTheOrderTheyAreWrittenIn()
    {
        var job = Parse("""
            {"job": {"web": {
              "group": {
                "zeta": {"task": {"b": {"driver": "raw_exec"}, "a": {"driver": "raw_exec"}}},
                "alpha": {"count": 2, "task": [{"c": {"driver": "exec"}}]}
              }
            }}}
            """);
        Assert.Multiple(() =>
        {
            Assert.That(job.ID, Is.EqualTo("web"));
            Assert.That(job.TaskGroups!.Select(g => g.Name), Is.EqualTo(new[] { "zeta", "alpha" }));
            Assert.That(job.TaskGroups![0].Tasks!.Select(t => t.Name), Is.EqualTo(new[] { "b", "a" }));
            Assert.That(job.TaskGroups![1].Count, Is.EqualTo(2));
            Assert.That(job.TaskGroups![1].Tasks!.Single().Driver, Is.EqualTo("exec"));
        });
    }

    [Test]
    public void VariablesLocalsAndTemplatesAreEvaluatedAndRuntimeReferencesKept()
    {
        var job = Parse("""
            {
              "variable": {"dcs": {"type": "list(string)", "default": ["dc1", "dc2"]}, "n": {"type": "number"}},
              "locals": {"name": "${upper(\"api\")}-${var.n * 2}"},
              "job": {"x": {
                "datacenters": "${var.dcs}",
                "meta": {"com.example/owner": "${local.name}", "alloc": "${NOMAD_ALLOC_INDEX}"},
                "group": {"g": {"task": {"t": {"driver": "raw_exec", "config": {"command": "/bin/sh", "args": ["-c", "echo ${attr.kernel.name}"]}}}}}
              }}
            }
            """, new JobFileOptions { Vars = new Dictionary<string, string> { ["n"] = "21" } });
        Assert.Multiple(() =>
        {
            Assert.That(job.Datacenters, Is.EqualTo(new[] { "dc1", "dc2" }));
            Assert.That(job.Meta!["com.example/owner"], Is.EqualTo("API-42"));
            Assert.That(job.Meta!["alloc"], Is.EqualTo("${NOMAD_ALLOC_INDEX}"));
            Assert.That(job.TaskGroups![0].Tasks![0].Config!["args"]!.ToJsonString(), Is.EqualTo("""["-c","echo ${attr.kernel.name}"]"""));
        });
    }

    [Test]
    public void MetaMayBeWrittenAsABlock()
    {
        var job = Parse("""{"job": {"x": {"meta": [{"a": "1"}], "group": {"g": {"meta": {"b": "2"}, "task": {"t": {"driver": "raw_exec"}}}}}}}""");
        Assert.That((job.Meta!["a"], job.TaskGroups![0].Meta!["b"]), Is.EqualTo(("1", "2")));
    }

    [Test]
    public void DynamicBlocksExpand()
    {
        var job = Parse("""
            {"job": {"x": {"group": {"g": {
              "network": {"dynamic": {"port": {"for_each": ["http", "metrics"], "labels": ["${port.value}"], "content": {}}}},
              "task": {"t": {"driver": "raw_exec"}}
            }}}}}
            """);
        Assert.That(job.TaskGroups![0].Networks![0].DynamicPorts!.Select(p => p.Label), Is.EqualTo(new[] { "http", "metrics" }));
    }

    [Test]
    public void ProblemsNameTheJsonsLineAndColumn()
    {
        var message = Problems("""
            {"job": {"x": {
              "group": {"g": {
                "cuont": 3,
                "task": {"t": {"driver": "raw_exec", "kill_timeout": "${1 +}"}}
              }}
            }}}
            """);
        Assert.Multiple(() =>
        {
            // The template "${1 +}" starts at column 58 of line 4; HCL reports the missing operand at its "}".
            Assert.That(message, Does.Contain("job.json:4,64: "), "the template's error names its line and column");
            Assert.That(message, Does.Not.Contain("   at "));
        });
        var unknown = Problems("""
            {"job": {"x": {
              "group": {"g": {
                "cuont": 3,
                "task": {"t": {"driver": "raw_exec"}}
              }}
            }}}
            """);
        Assert.That(unknown, Does.Contain("job.json:3,5: Unsupported argument; An argument named \"cuont\" is not expected here. Did you mean \"count\"?"));
    }

    [Test]
    public void ABlockThatIsNotAnObjectIsAProblem()
    {
        var message = Problems("""{"job": {"x": {"group": {"g": "web"}}}}""");
        Assert.That(message, Does.Contain("job.json:1,31: Incorrect JSON value type"));
    }

    [Test]
    public void InvalidJsonNamesThePlace()
    {
        var message = Problems("{\"job\": {\"x\": {\n  \"group\": \n}}}");
        Assert.That(message, Does.StartWith("job.json:3,"));
        Assert.That(message, Does.Contain("Invalid JSON"));
    }

    [TestCase("""{"job": {"web": {"group": {}}}}""", true)]
    [TestCase("""{"job": [{"web": {}}], "variable": {"v": {}}}""", true)]
    [TestCase("""{"Job": {"ID": "web", "TaskGroups": []}}""", false)]
    [TestCase("""{"ID": "web", "TaskGroups": []}""", false)]
    [TestCase("""{"job": {"ID": "web", "Name": "web"}}""", false)]
    [TestCase("""job "x" {}""", false)]
    public void HclJsonIsToldFromApiJson(string text, bool hclJson) =>
        Assert.That(JobFile.IsHclJson(text), Is.EqualTo(hclJson));
}
