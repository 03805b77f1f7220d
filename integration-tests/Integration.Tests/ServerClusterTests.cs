using System.Diagnostics;
using System.Net;
using System.Net.Http.Json;
using System.Text;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>Three real server processes: bootstrap_expect, forwarding to the leader, leader kill -9, leave and force-leave.</summary>
[TestFixture]
public sealed class ServerClusterTests
{
    private static readonly TimeSpan Formation = TimeSpan.FromSeconds(60);

    [Test]
    public async Task Bootstrap_expect_forms_one_leader_and_leader_kill_9_loses_no_acknowledged_job()
    {
        await using var cluster = ServerCluster.Start(3);
        var leader = await cluster.WaitForLeaderAsync(3, Formation);
        var follower = cluster.Servers[(leader + 1) % 3]!;

        var members = await CliRun.RunAsync(follower.Address, "server", "members");
        Assert.That(members.ExitCode, Is.EqualTo(0), members.Stderr);
        var rows = members.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Skip(1).ToList();
        Assert.That(rows, Has.Count.EqualTo(3));
        Assert.That(rows, Has.All.Contain(" alive "));
        Assert.That(rows.Count(r => r.Contains(" true ")), Is.EqualTo(1), members.Stdout);
        Assert.That(rows.Single(r => r.Contains(" true ")), Does.StartWith(cluster.Name(leader) + ".global"));

        // Register jobs through a follower without pause; kill -9 the leader partway.
        var acknowledged = new List<string>();
        var failures = 0;
        var clock = Stopwatch.StartNew();
        TimeSpan? killedAt = null, firstAckAfterKill = null;
        for (var i = 0; acknowledged.Count < 60 || killedAt is null || firstAckAfterKill is null; i++)
        {
            if (acknowledged.Count == 20 && killedAt is null)
            {
                cluster.Servers[leader]!.Signal("KILL");
                killedAt = clock.Elapsed;
            }
            var id = $"job-{i}";
            try
            {
                using var resp = await follower.Http.PutAsync("/v1/jobs", JobBody(id));
                if (resp.StatusCode == HttpStatusCode.OK)
                {
                    acknowledged.Add(id);
                    if (killedAt is not null && firstAckAfterKill is null) firstAckAfterKill = clock.Elapsed;
                }
                else failures++;
            }
            catch (HttpRequestException) { failures++; }
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(90)), "registrations stalled");
        }
        TestContext.Out.WriteLine($"writes accepted again {(firstAckAfterKill - killedAt)!.Value.TotalMilliseconds:0} ms after kill -9 of the leader; {failures} failed requests");

        var newLeader = await cluster.WaitForLeaderAsync(3, Formation);
        Assert.That(newLeader, Is.Not.EqualTo(leader));
        var ids = await ServerCluster.JobIdsAsync(follower);
        Assert.That(ids, Is.Unique);
        Assert.That(ids, Is.SupersetOf(acknowledged), "every acknowledged job is present");

        // The killed server comes back on its data and catches up.
        var restarted = cluster.StartServer(leader);
        await Eventually.WaitAsync(async () => (await ServerCluster.JobIdsAsync(restarted, stale: true)).Length == ids.Length,
            Formation, "the restarted server to catch up");
        Assert.That(await ServerCluster.JobIdsAsync(restarted, stale: true), Is.EquivalentTo(ids));
    }

    [Test]
    public async Task Force_leave_of_a_dead_server_and_graceful_leave_remove_them_from_the_peers()
    {
        await using var cluster = ServerCluster.Start(3, "leave_on_terminate = true");
        var leader = await cluster.WaitForLeaderAsync(3, Formation);
        var dead = (leader + 1) % 3;
        var leaver = (leader + 2) % 3;
        var survivor = cluster.Servers[leader]!;

        cluster.Servers[dead]!.Signal("KILL");
        await cluster.Servers[dead]!.WaitForExitAsync(TimeSpan.FromSeconds(10));
        var forced = await CliRun.RunAsync(survivor.Address, "server", "force-leave", cluster.Name(dead));
        Assert.That(forced.ExitCode, Is.EqualTo(0), forced.Stderr);
        await Eventually.WaitAsync(async () => !(await survivor.Http.GetFromJsonAsync<string[]>("/v1/status/peers"))!.Contains(cluster.RpcAddress(dead)),
            Formation, "the force-left server to leave the peers");
        var members = await CliRun.RunAsync(survivor.Address, "server", "members");
        Assert.That(members.Stdout.Split('\n').Single(l => l.StartsWith(cluster.Name(dead) + ".")), Does.Contain(" left "));

        cluster.Servers[leaver]!.Signal("TERM");
        Assert.That(await cluster.Servers[leaver]!.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(0), "graceful leave exits 0");
        await Eventually.WaitAsync(async () => (await survivor.Http.GetFromJsonAsync<string[]>("/v1/status/peers"))!.SequenceEqual([cluster.RpcAddress(leader)]),
            Formation, "only the leader left in the peers");
        var peers = await CliRun.RunAsync(survivor.Address, "operator", "raft", "list-peers");
        Assert.That(peers.ExitCode, Is.EqualTo(0), peers.Stderr);
        Assert.That(peers.Stdout, Does.Contain(cluster.Name(leader) + ".global").And.Contain("leader"));
        // A lone voter still takes writes.
        using var resp = await survivor.Http.PutAsync("/v1/jobs", JobBody("after-leave"));
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resp.Content.ReadAsStringAsync());
    }

    private static StringContent JobBody(string id) => new(
        $$$"""{"Job":{"ID":"{{{id}}}","Name":"{{{id}}}","Type":"batch","Datacenters":["dc1"],"TaskGroups":[{"Name":"g","Count":1,"Tasks":[{"Name":"t","Driver":"raw_exec","Config":{"command":"/bin/true"}}]}]}}""",
        Encoding.UTF8, "application/json");
}
