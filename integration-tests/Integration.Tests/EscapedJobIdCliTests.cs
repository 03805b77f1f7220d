using System.Text.RegularExpressions;
using Nomad.Agent.Jobspec;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// A job whose ID holds `/`, `?`, `&amp;`, `:`, `%` and non-ASCII text (all valid in Nomad) runs, shows, plans and
/// stops through the CLI against a real dev agent: every request path carries the ID as one escaped segment.
/// </summary>
[TestFixture]
public sealed class EscapedJobIdCliTests
{
    private const string Id = "web/a?b&c:d%e字";
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Run_status_plan_and_stop_a_job_whose_ID_needs_escaping()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-escaped-id-").FullName;
        File.WriteAllText(Path.Combine(dir, "job.nomad"), JobspecExamples.Init.Replace("job \"example\"", $"job \"{Id}\"", StringComparison.Ordinal));
        Task<CliResult> Nomad(params string[] args) => CliRun.RunInAsync(dir, agent.Address, args);
        var idPattern = Regex.Escape(Id);

        var run = await Nomad("job", "run", "job.nomad");
        Assert.That(run.ExitCode, Is.Zero, $"{run.Stdout}\n{run.Stderr}\n--- agent:\n{agent.Output}");
        Assert.That(run.Stdout, Does.Contain($"    Evaluation triggered by job \"{Id}\""));
        Assert.That(run.Stdout.TrimEnd().Split('\n')[^1], Does.Match("^==> Evaluation \"[0-9a-f]{8}\" finished with status \"complete\"$"));

        await Eventually.WaitAsync(async () =>
        {
            var status = await Nomad("job", "status", Id);
            Assert.That(status.ExitCode, Is.Zero, status.Stderr);
            Assert.That(status.Stdout, Does.Match($@"(?m)^ID\s+= {idPattern}$"));
            return Regex.IsMatch(status.Stdout, @"(?m)^[0-9a-f]{8}\s+[0-9a-f]{8}\s+example\s+0\s+run\s+running\s");
        }, Deadline, "job status to show the job's allocation running");

        // Planning the same file again finds the registered job through its escaped path: nothing to change.
        var plan = await Nomad("job", "plan", "job.nomad");
        Assert.That(plan.ExitCode, Is.Zero, $"{plan.Stdout}\n{plan.Stderr}");
        Assert.That(plan.Stdout, Does.Contain($"Job: \"{Id}\""));

        var stop = await Nomad("job", "stop", Id);
        Assert.That(stop.ExitCode, Is.Zero, $"{stop.Stdout}\n{stop.Stderr}");
        Assert.That(stop.Stdout, Does.Match("(?m)^==> Evaluation \"[0-9a-f]{8}\" finished with status \"complete\"$"));
        await Eventually.WaitAsync(async () =>
        {
            var status = await Nomad("job", "status", Id);
            return status.ExitCode == 0 && Regex.IsMatch(status.Stdout, @"(?m)^Status\s+= dead( \(stopped\))?$");
        }, Deadline, "the job to be dead after stop");
    }

    // Checked before anything is sent (job run validates the file as job validate does).
    [TestCase("a b", "Job ID contains a space")]
    [TestCase("a\\u0000b", "Job ID contains a null character")]
    public async Task A_job_ID_Nomad_refuses_is_refused_on_one_line(string hclId, string message)
    {
        var dir = Directory.CreateTempSubdirectory("nomad-it-escaped-id-").FullName;
        File.WriteAllText(Path.Combine(dir, "job.nomad"), JobspecExamples.Init.Replace("job \"example\"", $"job \"{hclId}\"", StringComparison.Ordinal));
        foreach (var command in new[] { "validate", "run" })
        {
            var r = await CliRun.RunInAsync(dir, "http://127.0.0.1:1", "job", command, "job.nomad");
            Assert.That(r.ExitCode, Is.EqualTo(1), r.Stdout);
            Assert.That(r.Stderr, Does.Contain(message));
            Assert.That(r.Stderr, Does.Not.Contain("   at "));
        }
    }
}
