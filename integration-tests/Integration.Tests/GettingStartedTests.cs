using System.Text.RegularExpressions;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Nomad's getting-started flow against a real `nomad agent -dev`, through the CLI only: init a job, run it and
/// watch the evaluation monitor, see it running in job and alloc status, read its output with alloc logs, stop it.
/// </summary>
[TestFixture]
public sealed class GettingStartedTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Init_run_status_logs_and_stop_a_job_on_a_dev_agent()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-getting-started-").FullName;
        Task<CliResult> Nomad(params string[] args) => CliRun.RunInAsync(dir, agent.Address, args);

        var init = await Nomad("job", "init");
        Assert.That(init.ExitCode, Is.Zero, init.Stderr);

        // job run: the evaluation monitor, ending complete, with the allocation it created.
        var run = await Nomad("job", "run", "example.nomad");
        Assert.That(run.ExitCode, Is.Zero, $"{run.Stdout}\n{run.Stderr}\n--- agent:\n{agent.Output}");
        var runLines = run.Stdout.TrimEnd().Split('\n');
        Assert.That(runLines[0], Does.Match("^==> Monitoring evaluation \"[0-9a-f]{8}\"$"));
        Assert.That(runLines, Does.Contain("    Evaluation triggered by job \"example\""));
        Assert.That(runLines.Any(l => Regex.IsMatch(l, "^    Allocation \"[0-9a-f]{8}\" created: node \"[0-9a-f]{8}\", group \"example\"$")), run.Stdout);
        Assert.That(runLines[^1], Does.Match("^==> Evaluation \"[0-9a-f]{8}\" finished with status \"complete\"$"));

        // job status: the job and a running allocation (the client may take a moment to start the task).
        // The command reads the summary and the allocations in separate requests (as Nomad's does), so the summary
        // can trail an allocation that just started: wait until both say running.
        const string runningSummary = @"(?m)^example\s+0\s+0\s+1\s+0\s+0\s+0$";
        string allocId = "";
        await Eventually.WaitAsync(async () =>
        {
            var status = await Nomad("job", "status", "example");
            var row = status.Stdout.Split('\n').FirstOrDefault(l => Regex.IsMatch(l, @"^[0-9a-f]{8}\s+[0-9a-f]{8}\s+example\s+0\s+run\s+running\s"));
            if (status.ExitCode != 0 || row is null || !Regex.IsMatch(status.Stdout, runningSummary)) return false;
            Assert.That(status.Stdout, Does.Match(@"(?m)^ID\s+= example$"));
            Assert.That(status.Stdout, Does.Match(@"(?m)^Status\s+= running$"));
            Assert.That(status.Stdout, Does.Match(runningSummary), "the summary counts one running");
            allocId = row[..8];
            return true;
        }, Deadline, "job status example to show a running allocation, counted running in the summary");

        var list = await Nomad("status");
        Assert.That(list.Stdout, Does.Match(@"(?m)^example\s+service\s+50\s+running\s+\S+$"), list.Stdout);

        // alloc status: the task is running and was started by the client.
        var alloc = await Nomad("alloc", "status", allocId);
        Assert.That(alloc.ExitCode, Is.Zero, alloc.Stderr);
        Assert.That(alloc.Stdout, Does.Contain("Task \"hello\" is \"running\""));
        Assert.That(alloc.Stdout, Does.Match(@"(?m)^Client Status\s+= running$"));
        Assert.That(alloc.Stdout, Does.Contain("Task started by client"));

        // alloc logs: the task's stdout.
        await Eventually.WaitAsync(async () => (await Nomad("alloc", "logs", allocId)).Stdout.Contains("hello from nomad"),
            Deadline, "alloc logs to show the task's output");
        var logs = await Nomad("logs", allocId, "hello");
        Assert.That(logs.ExitCode, Is.Zero, logs.Stderr);
        Assert.That(logs.Stdout, Does.StartWith("hello from nomad\n"));

        // job stop: the monitor again, then the job is dead (stopped) and the allocation is no longer running.
        var stop = await Nomad("job", "stop", "example");
        Assert.That(stop.ExitCode, Is.Zero, $"{stop.Stdout}\n{stop.Stderr}");
        Assert.That(stop.Stdout, Does.Match("(?m)^==> Evaluation \"[0-9a-f]{8}\" finished with status \"complete\"$"));
        await Eventually.WaitAsync(async () =>
        {
            var status = await Nomad("job", "status", "example");
            return status.ExitCode == 0 && Regex.IsMatch(status.Stdout, @"(?m)^Status\s+= dead( \(stopped\))?$")
                && Regex.IsMatch(status.Stdout, $@"(?m)^{allocId}\s+\S+\s+example\s+0\s+stop\s+(complete|failed)\s");
        }, Deadline, "the job to be dead and its allocation stopped");
    }
}
