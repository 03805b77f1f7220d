using System.Text.RegularExpressions;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>`nomad node drain` and `nomad node eligibility` against a real dev agent running a job, through the CLI.</summary>
[TestFixture]
public sealed class NodeDrainCliTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Draining_the_only_node_stops_its_allocations_completes_and_leaves_it_ineligible()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();
        var dir = Directory.CreateTempSubdirectory("nomad-it-drain-").FullName;
        Task<CliResult> Nomad(params string[] args) => CliRun.RunInAsync(dir, agent.Address, args);

        Assert.That((await Nomad("job", "init")).ExitCode, Is.Zero);
        var run = await Nomad("job", "run", "example.nomad");
        Assert.That(run.ExitCode, Is.Zero, run.Stdout + run.Stderr);
        await Eventually.WaitAsync(async () => Regex.IsMatch((await Nomad("job", "status", "example")).Stdout, @"\srun\s+running\s"), Deadline, "the allocation to run");

        var off = await Nomad("node", "eligibility", "-disable", "-self");
        Assert.That(off.ExitCode, Is.Zero, off.Stderr);
        Assert.That(off.Stdout, Does.Contain("ineligible for scheduling"));

        var drain = await Nomad("node", "drain", "-enable", "-yes", "-self", "-deadline", "5s");
        Assert.That(drain.ExitCode, Is.Zero, drain.Stdout + drain.Stderr + "\n--- agent:\n" + agent.Output);
        Assert.That(drain.Stdout, Does.Contain("drain strategy set"));
        Assert.That(drain.Stdout, Does.Contain("drain complete"));
        Assert.That(drain.Stdout, Does.Not.Contain("No drain strategy set"));

        var node = await Nomad("node", "status", "-self");
        Assert.That(node.Stdout, Does.Match(@"Drain\s+= false"));
        Assert.That(node.Stdout, Does.Match(@"Eligibility\s+= ineligible"));
        Assert.That((await Nomad("job", "status", "example")).Stdout, Does.Match(@"\sstop\s+complete\s"), "the allocation was stopped by the drain");

        var on = await Nomad("node", "eligibility", "-enable", "-self");
        Assert.That(on.ExitCode, Is.Zero, on.Stderr);
        Assert.That(on.Stdout, Does.Contain("eligible for scheduling"));
    }
}
