using NUnit.Framework;
using Nomad.Agent.Consensus;

namespace Nomad.Agent.Tests.Consensus;

public sealed class RaftOptionsTests
{
    [Test]
    public void Raft_multiplier_scales_the_election_timeouts_and_keeps_the_heartbeat_fraction()
    {
        var scaled = new RaftOptions { NodeId = "n" }.Scaled(3);
        Assert.That(scaled.ElectionTimeoutMin, Is.EqualTo(TimeSpan.FromMilliseconds(1500)));
        Assert.That(scaled.ElectionTimeoutMax, Is.EqualTo(TimeSpan.FromMilliseconds(3000)));
        Assert.That(scaled.HeartbeatFraction, Is.EqualTo(0.2));
    }

    [TestCase(0)]
    [TestCase(RaftOptions.MaxMultiplier + 1)]
    public void A_multiplier_outside_1_to_10_is_refused(int multiplier)
        => Assert.Throws<ArgumentOutOfRangeException>(() => new RaftOptions { NodeId = "n" }.Scaled(multiplier));
}
