using Nomad.Agent.Jobspec;

namespace Nomad.Agent.Tests.Jobspec;

/// <summary>Bad job files: HCL2's wording, <c>file:line,col</c>, one line per problem, every problem at once.</summary>
[TestFixture]
public sealed class JobFileErrorTests
{
    private static JobspecException Fail(string hcl) =>
        Assert.Throws<JobspecException>(() => JobFile.ParseToApiJson(hcl, "bad.nomad", new JobFileOptions(), canonicalize: true))!;

    [Test]
    public void EveryProblemIsReportedOnItsOwnLine()
    {
        var e = Fail("""
            job "j" {
              bogus = 1
              group "g" {
                count = "many"
                network {
                  port {}
                }
                task "t" {
                  kill_timeout = "soon"
                  resources {
                    memroy = 1
                  }
                  lifecycle {}
                  widget {}
                }
              }
            }
            """);
        Assert.That(e.Problems, Is.EqualTo(new[]
        {
            "bad.nomad:2,3: Unsupported argument; An argument named \"bogus\" is not expected here.",
            "bad.nomad:4,13: Unsuitable value type; Unsuitable value: a number is required",
            "bad.nomad:6,12: Missing name for port; All port blocks must have 1 labels (name).",
            "bad.nomad:9,22: Unsuitable value type; Unsuitable duration value: time: invalid duration \"soon\"",
            "bad.nomad:11,9: Unsupported argument; An argument named \"memroy\" is not expected here. Did you mean \"memory\"?",
            "bad.nomad:13,17: Missing required argument; The argument \"hook\" is required, but no definition was found.",
            "bad.nomad:14,7: Unsupported block type; Blocks of type \"widget\" are not expected here.",
        }));
        Assert.That(e.Message.Split('\n'), Is.EqualTo(e.Problems));
    }

    [TestCase("job \"j\" {\n  update = {}\n}\n",
        "bad.nomad:2,3: Unsupported argument; An argument named \"update\" is not expected here. Did you mean to define a block of type \"update\"?")]
    [TestCase("job \"j\" {\n  priority {}\n}\n",
        "bad.nomad:2,3: Unsupported block type; Blocks of type \"priority\" are not expected here. Did you mean to define argument \"priority\"? If so, use the equals sign to assign it a value.")]
    [TestCase("job \"j\" {\n  constraint {\n    value = [1]\n  }\n}\n",
        "bad.nomad:3,13: Incorrect attribute value type; Inappropriate value for attribute \"value\": string required.")]
    [TestCase("job \"j\" {\n  meta = { a = 1 }\n  meta {}\n}\n",
        "bad.nomad:3,3: Duplicate meta block; meta may not be defined more than once. Another definition is defined at bad.nomad:2,3.")]
    [TestCase("job \"j\" {\n  group \"g\" {\n    scaling {\n      min = 1\n    }\n  }\n}\n",
        "bad.nomad:3,13: Missing required argument; The argument \"max\" is required, but no definition was found.")]
    [TestCase("job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      scaling \"disk\" {}\n    }\n  }\n}\n",
        "bad.nomad:4,7: Invalid scaling policy name; scaling policy name must be \"cpu\" or \"mem\"")]
    [TestCase("job \"j\" {\n  datacenters = [\"a\", {}]\n}\n",
        "bad.nomad:2,17: Unsuitable value type; Unsuitable value: list of string required")]
    [TestCase("job \"j\" {\n  group \"g\" {\n    restart \"x\" {}\n  }\n}\n",
        "bad.nomad:3,5: Extraneous label for restart; No labels are expected for restart blocks.")]
    [TestCase("job \"j\" {\n  group \"a\" \"b\" {}\n}\n",
        "bad.nomad:2,3: Extraneous label for group; Only 1 labels (name) are expected for group blocks.")]
    [TestCase("job \"j\" {\n  group \"g\" {\n    cuont = 1\n  }\n}\n",
        "bad.nomad:3,5: Unsupported argument; An argument named \"cuont\" is not expected here. Did you mean \"count\"?")]
    [TestCase("job \"j\" {\n  group \"g\" {\n    resart {}\n  }\n}\n",
        "bad.nomad:3,5: Unsupported block type; Blocks of type \"resart\" are not expected here. Did you mean \"restart\"?")]
    public void OneProblem(string hcl, string expected)
    {
        Assert.That(Fail(hcl).Problems, Is.EqualTo(new[] { expected }));
    }

    [Test]
    public void ExpressionsAreRefusedByTheLiteralReader()
    {
        var e = Assert.Throws<JobspecException>(() =>
            JobFile.Parse("job \"j\" {\n  count = var.n\n  priority = local.p\n}\n", "bad.nomad", new JobFileOptions { Hcl1 = true }, false))!;
        Assert.That(e.Problems, Has.Count.EqualTo(2), string.Join(" | ", e.Problems));
        Assert.That(e.Problems[0], Does.StartWith("bad.nomad:2,11: Unsupported expression;"));
    }

    [Test]
    public void Hcl1KeepsInterpolationsVerbatim()
    {
        var j = JobFile.Parse("job \"j\" {\n  group \"g\" {\n    task \"t\" {\n      env {\n        I = \"${NOMAD_ALLOC_INDEX}\"\n      }\n    }\n  }\n}\n",
            "j.nomad", new JobFileOptions { Hcl1 = true }, false);
        Assert.That(j.TaskGroups![0].Tasks![0].Env!["I"], Is.EqualTo("${NOMAD_ALLOC_INDEX}"));
    }
}
