using Nomad.Agent.Gossip;

namespace Nomad.Agent.Tests.Gossip;

/// <summary>Serf's force-leave: a failed member becomes left everywhere; an alive one refutes it.</summary>
[TestFixture]
public sealed class ForceLeaveTests
{
    [Test]
    public void ForceLeaveOfAFailedMemberIsSeenAsLeftEverywhere()
    {
        using var c = new SimCluster(5, seed: 31, loss: 0.05);
        c.StartAndConverge(TimeSpan.FromSeconds(30));
        var dead = c.Nodes[4];
        c.Kill(dead);
        Assert.That(c.RunUntil(() => c.AllRunningSee(dead.Name, MemberState.Dead), TimeSpan.FromMinutes(1)), "failed everywhere first");

        Assert.That(c.Nodes[0].ForceLeave(dead.Name, prune: false), Is.True);
        Assert.That(c.RunUntil(() => c.AllRunningSee(dead.Name, MemberState.Left), TimeSpan.FromSeconds(30)), "left everywhere");
        Assert.That(c.Nodes[0].ForceLeave("nobody", prune: false), Is.False);
    }

    [Test]
    public void PruneDropsTheMemberAndAnAliveMemberRefutes()
    {
        using var c = new SimCluster(4, seed: 7, loss: 0);
        c.StartAndConverge(TimeSpan.FromSeconds(30));
        var alive = c.Nodes[3];
        var incarnation = alive.Incarnation;
        Assert.That(c.Nodes[0].ForceLeave(alive.Name, prune: false), Is.True);
        Assert.That(c.RunUntil(() => c.Running.All(n => n.Find(alive.Name)?.State == MemberState.Alive) && alive.Incarnation > incarnation,
            TimeSpan.FromSeconds(30)), "the alive member refuted the force-leave");

        var dead = c.Nodes[2];
        c.Kill(dead);
        Assert.That(c.RunUntil(() => c.Nodes[0].Find(dead.Name)?.State == MemberState.Dead, TimeSpan.FromMinutes(1)));
        Assert.That(c.Nodes[0].ForceLeave(dead.Name, prune: true), Is.True);
        Assert.That(c.Nodes[0].Find(dead.Name), Is.Null, "pruned from the member list at once");
        Assert.That(c.RunUntil(() => c.Nodes[1].Find(dead.Name)?.State == MemberState.Left, TimeSpan.FromSeconds(30)), "others see it left");
    }
}
