using Nomad.Agent.Gossip;

namespace Nomad.Agent.Tests.Gossip;

[TestFixture]
public sealed class ReapTests
{
    [Test]
    public void FailedAndLeftMembersAreReapedAfterTheirTimeouts()
    {
        var reconnect = TimeSpan.FromMinutes(2);
        var tombstone = TimeSpan.FromMinutes(3);
        using var c = new SimCluster(6, seed: 21, loss: 0, name => GossipOptions.Lan(name) with
        {
            ReconnectTimeout = reconnect, TombstoneTimeout = tombstone,
        });
        var reaps = new List<(string Observer, string Subject)>();
        foreach (var n in c.Nodes)
            n.MemberChanged += e => { if (e.Kind == MemberEventKind.Reap) reaps.Add((n.Name, e.Member.Name)); };
        c.StartAndConverge(TimeSpan.FromSeconds(30));

        var failed = c.Nodes[4];
        var leaver = c.Nodes[5];
        var leave = leaver.LeaveAsync(TimeSpan.FromSeconds(5));
        Assert.That(c.Clock.RunUntil(() => leave.IsCompleted, TimeSpan.FromSeconds(10)));
        c.Kill(leaver);
        c.Kill(failed);
        Assert.That(c.RunUntil(() => c.AllRunningSee(failed.Name, MemberState.Dead) && c.AllRunningSee(leaver.Name, MemberState.Left),
            TimeSpan.FromMinutes(1)), "failed and left seen everywhere");

        var bound = tombstone + c.Nodes[0].Options.ReapInterval + TimeSpan.FromMinutes(1);
        Assert.That(c.RunUntil(() => c.Running.All(n => n.Members.Count == 4), bound), "both reaped everywhere");
        Assert.That(reaps.Select(r => r.Subject).Distinct(), Is.EquivalentTo(new[] { failed.Name, leaver.Name }));
        Assert.That(reaps, Has.Count.EqualTo(8), "each of 4 survivors reaps each member once");
    }
}
