using NUnit.Framework;
using System.Diagnostics;
using Nomad.Agent.Consensus;

namespace Nomad.Agent.Tests.Consensus;

public sealed class RaftClusterTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(20);

    [Test]
    public async Task ThreeServersReplicateRedirectAndFailOver()
    {
        var nodes = new List<TestNode>();
        try
        {
            var a = await TestNode.StartAsync("a", RaftBootstrap.SingleVoter);
            nodes.Add(a);
            nodes.Add(await TestNode.StartAsync("b", RaftBootstrap.Join));
            nodes.Add(await TestNode.StartAsync("c", RaftBootstrap.Join));
            await Eventually.Until(() => a.Raft.IsLeader, Deadline, "a to lead");

            // Joins are serialized by the consensus layer; issue them concurrently to exercise that.
            var joins = await Task.WhenAll(nodes.Skip(1).Select(n => a.Raft.AddVoterAsync(n.Options.NodeId, n.Address, CancellationToken.None)));
            Assert.That(joins, Is.All.True);
            var all = nodes.Select(n => n.Address).Order(StringComparer.Ordinal).ToArray();
            await Eventually.Until(() => nodes.All(n => n.Raft.Peers.SequenceEqual(all)), Deadline, "every node to see 3 voters");
            await Eventually.Until(() => nodes.All(n => n.Raft.LeaderAddress == a.Address), Deadline, "every node to know the leader");
            Assert.That(nodes.Count(n => n.Raft.IsLeader), Is.EqualTo(1));

            var first = await a.ApplyAsync("one");
            await Eventually.Until(() => nodes.All(n => n.Fsm.Values.Contains("one")), Deadline, "replication to all");
            Assert.That(nodes.Select(n => n.Fsm.Entries.Single(e => e.Value == "one").Index), Is.All.EqualTo(first.Index));

            var follower = nodes[1];
            var redirect = await Assert.ThrowsAsync<NotLeaderException>(() => follower.ApplyAsync("nope"));
            Assert.That(redirect!.Leader, Is.EqualTo(a.Address));

            // A follower's read barrier catches up with the leader's commit index.
            await a.ApplyAsync("two");
            await follower.Raft.ReadBarrierAsync(CancellationToken.None);
            Assert.That(follower.Fsm.Values, Does.Contain("two"));
            Assert.That(follower.Raft.Stats()["state"], Is.EqualTo("Follower"));
            Assert.That(a.Raft.Stats()["num_peers"], Is.EqualTo("2"));

            // Leader stops: one of the other two takes over.
            var clock = Stopwatch.StartNew();
            nodes.Remove(a);
            await a.DisposeAsync();
            var successor = await Eventually.Until(() => nodes.FirstOrDefault(n => n.Raft.IsLeader), Deadline, "a new leader");
            TestContext.Out.WriteLine($"failover: new leader after {clock.Elapsed.TotalMilliseconds:0} ms");
            var other = nodes.Single(n => n != successor);
            await Eventually.Until(() => other.Raft.LeaderAddress == successor.Address, Deadline, "the other follower to follow it");

            var three = await successor.ApplyAsync("three");
            Assert.That(three.Index, Is.GreaterThan(first.Index));
            await Eventually.Until(() => other.Fsm.Values.Contains("three"), Deadline, "replication after failover");
            Assert.That(other.Fsm.Values, Is.EqualTo(successor.Fsm.Values));
        }
        finally
        {
            foreach (var node in nodes)
                await node.DisposeAsync();
        }
    }
}
