using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>`nomad job init` and `nomad job validate`, which need no agent.</summary>
[TestFixture]
public sealed class JobFileCliTests
{
    [Test]
    public async Task Init_writes_an_example_that_validates_and_refuses_to_overwrite()
    {
        var dir = Directory.CreateTempSubdirectory("nomad-it-job-").FullName;
        var init = await CliRun.RunInAsync(dir, null, "job", "init");
        Assert.That(init.ExitCode, Is.EqualTo(0), init.Stderr);
        Assert.That(init.Stdout.Trim(), Is.EqualTo("Example job file written to example.nomad"));
        Assert.That(File.ReadAllText(Path.Combine(dir, "example.nomad")), Does.Contain("driver = \"raw_exec\""));

        var again = await CliRun.RunInAsync(dir, null, "init");
        Assert.That(again.ExitCode, Is.EqualTo(1));
        Assert.That(again.Stderr.Trim(), Is.EqualTo("Job 'example.nomad' already exists"));

        foreach (var spelling in new[] { new[] { "job", "validate", "example.nomad" }, new[] { "validate", "example.nomad" } })
        {
            var ok = await CliRun.RunInAsync(dir, null, spelling);
            Assert.That(ok.ExitCode, Is.EqualTo(0), ok.Stderr);
            Assert.That(ok.Stdout.Trim(), Is.EqualTo("Job validation successful"));
        }
    }

    [Test]
    public async Task Validate_names_the_field_and_exits_1()
    {
        var dir = Directory.CreateTempSubdirectory("nomad-it-job-").FullName;
        File.WriteAllText(Path.Combine(dir, "bad.nomad"), """
            job "cache" {
              datacenters = ["dc1"]
              group "cache" {
                task "redis" {
                  driver = "raw_exec"
                  config { command = "/bin/true" }
                  resources { memory = 5 }
                }
              }
            }
            """);
        var r = await CliRun.RunInAsync(dir, null, "job", "validate", "bad.nomad");
        Assert.That(r.ExitCode, Is.EqualTo(1));
        Assert.That(r.Stderr, Does.Contain("* group \"cache\" task \"redis\": resources.memory must be at least 10"));

        File.WriteAllText(Path.Combine(dir, "syntax.nomad"), "job \"x\" {\n  datacenters = [\"dc1\"\n}\n");
        var syntax = await CliRun.RunInAsync(dir, null, "job", "validate", "syntax.nomad");
        Assert.That(syntax.ExitCode, Is.EqualTo(1));
        Assert.That(syntax.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), syntax.Stderr);
        Assert.That(syntax.Stderr, Does.StartWith("Error getting job struct: syntax.nomad:"));
        Assert.That(syntax.Stderr, Does.Not.Contain("   at "));
    }
}
