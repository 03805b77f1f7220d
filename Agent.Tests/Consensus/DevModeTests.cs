using NUnit.Framework;
using System.Diagnostics;
using System.Net;
using System.Text;
using Nomad.Agent.Consensus;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Tests.Consensus;

public sealed class DevModeTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task DevNodeLeadsAtOnceAndAppliesInOrder()
    {
        await using var mux = new PortMux(new IPEndPoint(IPAddress.Loopback, 0));
        mux.Start();
        var fsm = new ListStateMachine();
        await using var raft = new RaftConsensus(RaftOptions.Dev("dev-1", mux), fsm);
        var becameLeader = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        raft.LeadershipChanged += isLeader => becameLeader.TrySetResult(isLeader);

        var clock = Stopwatch.StartNew();
        await raft.StartAsync(CancellationToken.None);
        await Eventually.Until(() => raft.IsLeader, Deadline, "dev node to lead");
        var timeToLeader = clock.Elapsed;
        TestContext.Out.WriteLine($"dev time-to-leader: {timeToLeader.TotalMilliseconds:0} ms");

        Assert.That(await becameLeader.Task.WaitAsync(Deadline), Is.True);
        Assert.That(timeToLeader, Is.LessThan(TimeSpan.FromSeconds(1)));
        Assert.That(raft.LeaderAddress, Is.EqualTo(mux.LocalEndPoint.ToString()));
        Assert.That(raft.Peers, Is.EqualTo(new[] { mux.LocalEndPoint.ToString() }));

        var results = new List<ApplyResult>();
        for (var i = 0; i < 10; i++)
            results.Add(await raft.ApplyAsync(Encoding.UTF8.GetBytes($"cmd-{i}"), CancellationToken.None));

        for (var i = 0; i < results.Count; i++)
        {
            Assert.That(results[i].Response, Is.EqualTo($"ok:{results[i].Index}:cmd-{i}"));
            if (i > 0) Assert.That(results[i].Index, Is.GreaterThan(results[i - 1].Index));
        }
        Assert.That(fsm.Values, Is.EqualTo(Enumerable.Range(0, 10).Select(i => $"cmd-{i}")));

        await raft.ReadBarrierAsync(CancellationToken.None);
        var stats = raft.Stats();
        Assert.That(stats["state"], Is.EqualTo("Leader"));
        Assert.That(stats["applied_index"], Is.EqualTo(results[^1].Index.ToString()));
        Assert.That(stats["num_peers"], Is.EqualTo("0"));
        Assert.That(stats.Keys, Is.SupersetOf(new[]
        {
            "applied_index", "commit_index", "fsm_pending", "last_contact", "last_log_index", "last_log_term",
            "last_snapshot_index", "last_snapshot_term", "latest_configuration", "num_peers", "protocol_version",
            "state", "term",
        }));
    }

    [Test]
    public async Task DevNodeLeavesNoFilesBehind()
    {
        await using var mux = new PortMux(new IPEndPoint(IPAddress.Loopback, 0));
        mux.Start();
        Assume.That(Directory.Exists("/dev/shm"), "tmpfs at /dev/shm");
        var before = Directory.GetDirectories("/dev/shm", "nomad-raft-*").ToHashSet();
        var raft = new RaftConsensus(RaftOptions.Dev("dev-1", mux), new ListStateMachine());
        await raft.StartAsync(CancellationToken.None);
        await raft.ApplyAsync("x"u8.ToArray(), CancellationToken.None);
        await raft.DisposeAsync();
        Assert.That(Directory.GetDirectories("/dev/shm", "nomad-raft-*").Except(before), Is.Empty);
    }

    [Test]
    public async Task ConcurrentAppliesGetDistinctIndexes()
    {
        await using var node = await TestNode.StartAsync("n1", RaftBootstrap.SingleVoter);
        await Eventually.Until(() => node.Raft.IsLeader, Deadline, "leader");
        var results = await Task.WhenAll(Enumerable.Range(0, 64).Select(i => node.ApplyAsync($"c{i}")));
        Assert.That(results.Select(r => r.Index).Distinct().Count(), Is.EqualTo(64));
        foreach (var r in results)
            Assert.That(((string)r.Response!).StartsWith($"ok:{r.Index}:c"), Is.True);
        Assert.That(node.Fsm.Values.Order(), Is.EqualTo(Enumerable.Range(0, 64).Select(i => $"c{i}").Order()));
    }
}
