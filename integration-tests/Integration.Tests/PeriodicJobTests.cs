using System.Net.Http.Json;
using System.Text.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Periodic jobs on real agents: launches on schedule across a leader kill -9 on three servers (none twice, at most
/// one missed), `job periodic force`, prohibit_overlap against a running child, and job status's view of them.
/// </summary>
[TestFixture]
public sealed class PeriodicJobTests
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);

    private static string JobFile(string id, string schedule, bool prohibitOverlap, string command, string args) => $$"""
        job "{{id}}" {
          datacenters = ["dc1"]
          type        = "batch"

          periodic {
            {{schedule}}
            prohibit_overlap = {{(prohibitOverlap ? "true" : "false")}}
          }

          group "g" {
            task "t" {
              driver = "raw_exec"
              config {
                command = "{{command}}"
                args    = [{{args}}]
              }
              resources {
                cpu    = 50
                memory = 32
              }
            }
          }
        }
        """;

    private static async Task<CliResult> RunJobFileAsync(AgentProcess agent, string id, string text)
    {
        var dir = Directory.CreateTempSubdirectory("nomad-it-periodic-").FullName;
        File.WriteAllText(Path.Combine(dir, id + ".nomad"), text);
        return await CliRun.RunInAsync(dir, agent.Address, "job", "run", id + ".nomad");
    }

    /// <summary>The jobs <paramref name="parent"/> launched: (ID, launch seconds, status), by launch time.</summary>
    private static async Task<List<(string ID, long Launch, string Status)>> ChildrenAsync(AgentProcess agent, string parent)
    {
        var jobs = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/jobs?prefix={Uri.EscapeDataString(parent + "/periodic-")}");
        return jobs.EnumerateArray()
            .Where(j => j.GetProperty("ParentID").GetString() == parent)
            .Select(j => (j.GetProperty("ID").GetString()!, long.Parse(j.GetProperty("ID").GetString()![(parent.Length + "/periodic-".Length)..]),
                j.GetProperty("Status").GetString()!))
            .OrderBy(c => c.Item2).ToList();
    }

    [Test]
    public async Task A_job_every_5_seconds_keeps_launching_across_a_leader_kill_9_none_twice_and_at_most_one_missed()
    {
        await using var cluster = ServerCluster.Start(3);
        var leader = await cluster.WaitForLeaderAsync(3, Formation);
        var follower = cluster.Servers[(leader + 1) % 3]!;

        // Nomad's cronexpr reads seven fields as seconds ... year; Nomad 1.6's crons holds a list of them.
        var run = await RunJobFileAsync(follower, "every5", JobFile("every5", "crons = [\"*/5 * * * * * *\"]", false, "/bin/true", ""));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        Assert.That(run.Stdout, Does.StartWith("Job registration successful\nApproximate next launch time: "));
        Assert.That(run.Stdout, Does.Match(@"Approximate next launch time: \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \([0-5]s from now\)"));

        await Eventually.WaitAsync(async () => (await ChildrenAsync(follower, "every5")).Count >= 2, Deadline, "two launches before the kill");
        cluster.Servers[leader]!.Signal("KILL");
        var killedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await cluster.WaitForLeaderAsync(3, Formation, other: leader);
        // Two due times after the election: the new leader caught up and went on.
        await Eventually.WaitAsync(async () => (await ChildrenAsync(follower, "every5")).Count(c => c.Launch > killedAt) >= 3, Deadline,
            "three launches after the kill");

        var children = await ChildrenAsync(follower, "every5");
        TestContext.Out.WriteLine($"killed at {killedAt}; launches: {string.Join(", ", children.Select(c => c.Launch))}");
        foreach (var (id, _, _) in children)
        {
            // A launch is a registration with its periodic-job evaluation (with no client, the scheduler adds a blocked one).
            var evals = await follower.Http.GetFromJsonAsync<JsonElement>($"/v1/job/{Uri.EscapeDataString(id)}/evaluations");
            Assert.That(evals.EnumerateArray().Count(e => e.GetProperty("TriggeredBy").GetString() == "periodic-job"), Is.EqualTo(1),
                $"{id} was launched once");
        }
        // Every due time from the first launch to the last has its launch, but for one a new leader may replace
        // by its catch-up launch (made at once, so named after the time it ran).
        var first = children[0].Launch;
        var last = children[^1].Launch;
        var dueTimes = Enumerable.Range(0, (int)((last - first) / 5) + 1).Select(i => first + 5 * i).ToList();
        var missed = dueTimes.Except(children.Select(c => c.Launch)).ToList();
        Assert.That(missed.Count, Is.LessThanOrEqualTo(1), $"missed {string.Join(", ", missed)}");
        Assert.That(children.Count, Is.LessThanOrEqualTo(dueTimes.Count + 1), "no launches beyond the schedule and one catch-up");

        var stop = await CliRun.RunAsync(follower.Address, "job", "stop", "-detach", "every5");
        Assert.That(stop.ExitCode, Is.EqualTo(0), stop.Stderr);
    }

    [Test]
    public async Task Force_launches_at_once_prohibit_overlap_waits_for_the_running_child_and_status_lists_the_launches()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        await agent.WaitForReadyNodeAsync();

        // Every 2 seconds, never overlapping: the first child sleeps until stopped, so no other is launched.
        var run = await RunJobFileAsync(agent, "overlap", JobFile("overlap", "cron = \"*/2 * * * * * *\"", true, "/bin/sleep", "\"600\""));
        Assert.That(run.ExitCode, Is.EqualTo(0), run.Stderr);
        await Eventually.WaitAsync(async () => (await ChildrenAsync(agent, "overlap")) is [{ Status: "running" }], Deadline, "a running first child");
        var firstId = (await ChildrenAsync(agent, "overlap")).Single().ID;
        await agent.WaitForLineAsync("skipping launch of periodic job because job prohibits overlap: job=overlap", Deadline);
        Assert.That((await ChildrenAsync(agent, "overlap")).Select(c => c.ID), Is.EqualTo(new[] { firstId }));

        // Forcing launches even against prohibit_overlap, at once, and the monitor follows its evaluation.
        var force = await CliRun.RunAsync(agent.Address, "job", "periodic", "force", "overl");
        Assert.That(force.ExitCode, Is.EqualTo(0), force.Stderr);
        Assert.That(force.Stdout, Does.Contain("Monitoring evaluation").And.Contain("finished with status \"complete\""));
        Assert.That(await ChildrenAsync(agent, "overlap"), Has.Count.EqualTo(2));

        var detached = await CliRun.RunAsync(agent.Address, "job", "periodic", "force", "-detach", "overlap");
        Assert.That(detached.Stdout, Does.Match("^Force periodic successful\nEvaluation ID: [0-9a-f-]{36}\n$"));

        var status = await CliRun.RunAsync(agent.Address, "job", "status", "overlap");
        Assert.That(status.ExitCode, Is.EqualTo(0), status.Stderr);
        Assert.That(status.Stdout, Does.Contain("Periodic             = true"));
        Assert.That(status.Stdout, Does.Match(@"Next Periodic Launch = \d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ \([0-2]s from now\)"));
        Assert.That(status.Stdout, Does.Contain("\nPreviously Launched Jobs\nID ").And.Contain($"\n{firstId}  running\n"));
        Assert.That(status.Stdout, Does.Not.Contain("Allocations"));

        var notPeriodic = await CliRun.RunAsync(agent.Address, "job", "periodic", "force", firstId);
        Assert.That((notPeriodic.ExitCode, notPeriodic.Stderr.Trim()), Is.EqualTo((1, $"No periodic job(s) with prefix or id \"{firstId}\" found")));
        using var api = await agent.Http.PutAsync($"/v1/job/{Uri.EscapeDataString(firstId)}/periodic/force", null);
        Assert.That(((int)api.StatusCode, await api.Content.ReadAsStringAsync()), Is.EqualTo((400, "can't force launch non-periodic job")));

        // Stopping the parent stops the launches; its children are stopped by hand (their tasks outlive the agent).
        Assert.That((await CliRun.RunAsync(agent.Address, "job", "stop", "overlap")).ExitCode, Is.EqualTo(0));
        foreach (var child in await ChildrenAsync(agent, "overlap"))
            Assert.That((await CliRun.RunAsync(agent.Address, "job", "stop", child.ID)).ExitCode, Is.EqualTo(0));
    }
}
