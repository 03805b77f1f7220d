using NUnit.Framework;
using Nomad.Agent.Consensus;

namespace Nomad.Agent.Tests.Consensus;

public sealed class RaftPersistenceTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(15);

    [Test]
    public async Task AcknowledgedAppliesSurviveRestartExactlyOnce()
    {
        using var dir = new TempDir();
        var acknowledged = new List<(ulong Index, string Value)>();
        int port;
        await using (var node = await TestNode.StartAsync("n1", RaftBootstrap.SingleVoter, dir.Path))
        {
            port = node.Endpoint.Port;
            await Eventually.Until(() => node.Raft.IsLeader, Deadline, "leader");
            for (var i = 0; i < 20; i++)
                acknowledged.Add(((await node.ApplyAsync($"seq-{i}")).Index, $"seq-{i}"));
            var burst = await Task.WhenAll(Enumerable.Range(0, 30).Select(i => node.ApplyAsync($"par-{i}")));
            acknowledged.AddRange(burst.Select((r, i) => (r.Index, $"par-{i}")));
        }

        await using (var node = await TestNode.StartAsync("n1", RaftBootstrap.SingleVoter, dir.Path, port))
        {
            await Eventually.Until(() => node.Raft.IsLeader, Deadline, "leader after restart");
            await node.Raft.ReadBarrierAsync(CancellationToken.None);
            Assert.That(node.Fsm.Entries.OrderBy(e => e.Index), Is.EqualTo(acknowledged.OrderBy(e => e.Index)));

            var next = await node.ApplyAsync("after-restart");
            Assert.That(next.Index, Is.GreaterThan(acknowledged.Max(e => e.Index)));
        }
    }

    [Test]
    public async Task CrashImageHoldsEveryAcknowledgedApply()
    {
        using var live = new TempDir();
        using var image = new TempDir();
        var acknowledged = new List<(ulong Index, string Value)>();
        int port;
        await using (var node = await TestNode.StartAsync("n1", RaftBootstrap.SingleVoter, live.Path))
        {
            port = node.Endpoint.Port; // the image names this address as its only voter
            await Eventually.Until(() => node.Raft.IsLeader, Deadline, "leader");
            var burst = await Task.WhenAll(Enumerable.Range(0, 40).Select(i => node.ApplyAsync($"par-{i}")));
            acknowledged.AddRange(burst.Select((r, i) => (r.Index, $"par-{i}")));
            acknowledged.Add(((await node.ApplyAsync("last")).Index, "last"));
            CrashImage.Copy(live.Path, image.Path); // immediately after the last acknowledgement, node still running
        }

        await using (var node = await TestNode.StartAsync("n1", RaftBootstrap.SingleVoter, image.Path, port))
        {
            TestContext.Out.WriteLine($"applied by the time StartAsync returned: {node.Fsm.Entries.Count} of {acknowledged.Count}");
            await Eventually.Until(() => node.Raft.IsLeader, Deadline, "leader on the crash image");
            await node.Raft.ReadBarrierAsync(CancellationToken.None);
            Assert.That(node.Fsm.Entries.OrderBy(e => e.Index), Is.EqualTo(acknowledged.OrderBy(e => e.Index)));
        }
    }

    [Test]
    public async Task SnapshotIsTakenAndRestored()
    {
        using var dir = new TempDir();
        const int count = 100;
        int port;
        await using (var node = await TestNode.StartAsync("n1", RaftBootstrap.SingleVoter, dir.Path,
                         tweak: o => o with { SnapshotThreshold = 20 }))
        {
            port = node.Endpoint.Port;
            await Eventually.Until(() => node.Raft.IsLeader, Deadline, "leader");
            for (var i = 0; i < count; i++)
                await node.ApplyAsync($"v{i}");
            await Eventually.Until(() => node.Raft.Stats()["last_snapshot_index"] != "0", Deadline, "a snapshot");
            Assert.That(Directory.GetFiles(Path.Combine(dir.Path, "snapshots")), Is.Not.Empty);
        }

        await using (var node = await TestNode.StartAsync("n1", RaftBootstrap.SingleVoter, dir.Path, port,
                         o => o with { SnapshotThreshold = 20 }))
        {
            Assert.That(node.Fsm.Restores, Is.EqualTo(1), "state comes back from the snapshot");
            Assert.That(node.Fsm.LastRestoredIndex, Is.GreaterThan(0UL));
            await Eventually.Until(() => node.Raft.IsLeader, Deadline, "leader after restart");
            await node.Raft.ReadBarrierAsync(CancellationToken.None);
            Assert.That(node.Fsm.Values, Is.EqualTo(Enumerable.Range(0, count).Select(i => $"v{i}")));
            Assert.That(node.Raft.Stats()["last_snapshot_index"], Is.EqualTo(node.Fsm.LastRestoredIndex.ToString()));
        }
    }

    /// <summary>A few large commands bring a snapshot long before the entry threshold, so the log before them can go.</summary>
    [Test]
    public async Task LargeCommandsBringASnapshotBeforeTheEntryThreshold()
    {
        using var dir = new TempDir();
        await using var node = await TestNode.StartAsync("n1", RaftBootstrap.SingleVoter, dir.Path,
            tweak: o => o with { SnapshotThreshold = 8192, SnapshotLogBytes = 2 << 20 });
        await Eventually.Until(() => node.Raft.IsLeader, Deadline, "leader");
        var large = new string('x', 1 << 20);
        for (var i = 0; i < 3; i++)
            await node.ApplyAsync($"{i}{large}");
        await Eventually.Until(() => node.Raft.Stats()["last_snapshot_index"] != "0", Deadline, "a snapshot after 3 MB of commands");
    }

    /// <summary>
    /// Regression for the DotNext 6.12 bug worked around in RaftConsensus.StartAsync: committed membership entries
    /// replayed on restart used to reach the state machine (and crash it) before the configuration storage was attached.
    /// </summary>
    [Test]
    public async Task RestartAfterMembershipChange()
    {
        using var dirA = new TempDir();
        using var dirB = new TempDir();
        int portA;
        await using (var a = await TestNode.StartAsync("a", RaftBootstrap.SingleVoter, dirA.Path))
        await using (var b = await TestNode.StartAsync("b", RaftBootstrap.Join, dirB.Path))
        {
            portA = a.Endpoint.Port;
            await Eventually.Until(() => a.Raft.IsLeader, Deadline, "a to lead");
            await a.ApplyAsync("before-add");
            Assert.That(await a.Raft.AddVoterAsync("b", b.Address, CancellationToken.None), Is.True);
            await a.ApplyAsync("while-two");
            await Eventually.Until(() => b.Fsm.Values.Contains("while-two"), Deadline, "b to replicate");
            Assert.That(await a.Raft.RemoveVoterAsync(b.Address, CancellationToken.None), Is.True);
            await a.ApplyAsync("after-remove");
            Assert.That(a.Raft.Peers, Is.EqualTo(new[] { a.Address }));
        }

        // Both membership entries are committed in a's log; a restarts alone as the only voter. The hook holds the
        // start until the log has replayed everything, i.e. the replay happens in the window where the bug struck.
        var expected = new[] { "before-add", "while-two", "after-remove" };
        var fsm = new ListStateMachine();
        await using (var a = await TestNode.StartAsync("a", RaftBootstrap.SingleVoter, dirA.Path, portA,
                         o => o with { AfterLogOpened = () => Eventually.Until(() => fsm.Values.Contains("after-remove"), Deadline, "replay") },
                         fsm))
        {
            await Eventually.Until(() => a.Raft.IsLeader, Deadline, "a to lead after restart");
            await a.Raft.ReadBarrierAsync(CancellationToken.None);
            Assert.That(a.Fsm.Values, Is.EqualTo(expected));
            Assert.That(a.Raft.Peers, Is.EqualTo(new[] { a.Address }));
            await a.ApplyAsync("after-restart");
        }
    }
}
