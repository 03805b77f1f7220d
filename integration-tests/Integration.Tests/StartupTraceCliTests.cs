using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>NOMAD_CLI_TRACE: where a CLI run's time goes, on stderr, without changing what the command prints.</summary>
[TestFixture]
public sealed class StartupTraceCliTests
{
    [Test]
    public async Task Trace_goes_to_stderr_phase_by_phase_and_leaves_the_output_alone()
    {
        var dir = Directory.CreateTempSubdirectory("nomad-it-trace-").FullName;
        Assert.That((await CliRun.RunInAsync(dir, null, "job", "init")).ExitCode, Is.EqualTo(0));

        var traced = await CliRun.RunWithEnvAsync(dir, null, new Dictionary<string, string> { ["NOMAD_CLI_TRACE"] = "1" },
            "job", "validate", "example.nomad");
        Assert.That(traced.ExitCode, Is.EqualTo(0), traced.Stderr);
        Assert.That(traced.Stdout.Trim(), Is.EqualTo("Job validation successful"));
        var lines = traced.Stderr.Trim().Split('\n');
        Assert.That(lines, Has.All.StartWith("trace: "), traced.Stderr);
        Assert.That(lines[0], Does.Match(@"^trace: before main ~-?\d+ ms"));
        var phases = lines.Skip(1)
            .Select(l => System.Text.RegularExpressions.Regex.Match(l, @"^trace: +[\d.]+ ms  (.+?) +jit").Groups[1].Value).ToList();
        Assert.That(phases, Is.EqualTo(new[] { "main", "tree built", "parsed", "job decoded", "exit" }), traced.Stderr);
        Assert.That(lines[^1], Does.Match(@"jit +\d+ methods +[\d.]+ ms  gc \d+$"));

        var plain = await CliRun.RunInAsync(dir, null, "job", "validate", "example.nomad");
        Assert.That(plain.Stderr, Is.Empty);
        Assert.That(plain.Stdout, Is.EqualTo(traced.Stdout));
    }
}
