using Nomad.Agent.Gossip;

namespace Nomad.Agent.Tests.Gossip;

[TestFixture]
public sealed class SuspicionRefutationTests
{
    [Test]
    public void WronglySuspectedNodeRefutesAndStaysAlive()
    {
        using var c = new SimCluster(5, seed: 11, loss: 0);
        c.StartAndConverge(TimeSpan.FromSeconds(30));
        var accuser = c.Nodes[0];
        var victim = c.Nodes[3];
        var inc = victim.Incarnation;

        // A forged accusation, as if some flaky member had missed the victim's acks.
        var rogue = c.Net.CreateTransport("10.9.9.9:4648");
        rogue.SendPacket(accuser.Address, MessageCodec.Encode(new SuspectMessage(inc, victim.Name, "rogue")));
        Assert.That(c.RunUntil(() => accuser.Find(victim.Name)!.State == MemberState.Suspect, TimeSpan.FromSeconds(1)),
            "accuser suspects the victim");

        Assert.That(c.RunUntil(() => victim.Incarnation > inc &&
                c.Nodes.All(n => n.Find(victim.Name) is { State: MemberState.Alive } m && m.Incarnation == victim.Incarnation),
            TimeSpan.FromSeconds(5)), "victim refuted with a higher incarnation, seen by all");

        // Well past the longest suspicion timeout: still alive, nobody failed.
        c.Clock.RunFor(accuser.Options.SuspicionMaxTimeout(5) * 2);
        Assert.That(c.AllRunningSee(victim.Name, MemberState.Alive));
        Assert.That(c.Failures, Is.Empty);
    }

    [Test]
    public void ConfirmationsShrinkTheSuspicionTimeoutTowardTheMinimum()
    {
        var min = TimeSpan.FromSeconds(4);
        var max = TimeSpan.FromSeconds(24);
        Assert.That(Suspicion.Remaining(0, 2, TimeSpan.Zero, min, max), Is.EqualTo(max));
        var one = Suspicion.Remaining(1, 2, TimeSpan.Zero, min, max);
        Assert.That(one, Is.LessThan(max).And.GreaterThan(min));
        Assert.That(Suspicion.Remaining(2, 2, TimeSpan.Zero, min, max), Is.EqualTo(min));
        Assert.That(Suspicion.Remaining(0, 0, TimeSpan.Zero, min, max), Is.EqualTo(min), "nobody to confirm: min");
    }

    [Test]
    public void LanDefaultsMatchMemberlist()
    {
        var o = GossipOptions.Lan("a");
        Assert.That(o.ProbeInterval, Is.EqualTo(TimeSpan.FromSeconds(1)));
        Assert.That(o.ProbeTimeout, Is.EqualTo(TimeSpan.FromMilliseconds(500)));
        Assert.That(o.IndirectChecks, Is.EqualTo(3));
        Assert.That(o.SuspicionMinTimeout(50).TotalMilliseconds, Is.EqualTo(Math.Floor(4 * Math.Log10(50) * 1000)));
        Assert.That(o.RetransmitLimit(50), Is.EqualTo(8));
        Assert.That(o.ScaledPushPullInterval(50), Is.EqualTo(TimeSpan.FromSeconds(60)));
        Assert.That(GossipOptions.Wan("a").ProbeInterval, Is.EqualTo(TimeSpan.FromSeconds(5)));
    }

    [Test]
    public void CodecRoundTripsEveryMessage()
    {
        var tags = new Dictionary<string, string> { ["dc"] = "dc1", ["role"] = "nomad" };
        GossipMessage[] all =
        [
            new PingMessage(1, "a", "b"), new IndirectPingMessage(2, "a", "1.2.3.4:5", true, "c"),
            new AckMessage(uint.MaxValue), new NackMessage(4), new SuspectMessage(5, "a", "b"),
            new AliveMessage(6, "a", "1.2.3.4:5", tags), new DeadMessage(7, "a", "a"),
            new PushPullMessage(true, [new PushPullEntry("a", "1.2.3.4:5", 8, MemberState.Left, tags)]),
        ];
        var decoded = MessageCodec.Decode(MessageCodec.Encode(all));
        Assert.That(decoded, Has.Count.EqualTo(all.Length));
        for (var i = 0; i < all.Length; i++)
            Assert.That(MessageCodec.EncodeMessage(decoded[i]), Is.EqualTo(MessageCodec.EncodeMessage(all[i])));
        Assert.Throws<FormatException>(() => MessageCodec.Decode([0x47, 1, 3, 1]));
    }
}
