using Nomad.Agent.Consensus;

namespace Nomad.Agent.Tests.Consensus;

/// <summary>When a snapshot is due: by entries (snapshot_threshold), or by the bytes of commands since the last one.</summary>
public sealed class SnapshotPolicyTests
{
    private const long MB = 1 << 20;

    [Test]
    public void Commands_past_the_byte_limit_bring_a_snapshot_before_the_entry_threshold()
    {
        var policy = new SnapshotPolicy(entries: 8192, bytes: 16 * MB);
        Assert.That(policy.Applied(10 * MB), Is.False);
        Assert.That(policy.Applied(10 * MB), Is.True);
        Assert.That(policy.Applied(1 * MB), Is.False, "counting starts again");
    }

    [Test]
    public void A_large_state_is_not_rewritten_for_every_few_megabytes_of_commands()
    {
        var policy = new SnapshotPolicy(entries: 8192, bytes: 16 * MB);
        policy.Snapshotted(200 * MB);
        var applied = 0;
        while (!policy.Applied(10 * MB)) applied++;
        Assert.That(applied, Is.EqualTo(19), "the 20th 10 MB command reaches the last snapshot's 200 MB");
    }

    [Test]
    public void The_entry_threshold_holds_whatever_the_sizes()
    {
        var policy = new SnapshotPolicy(entries: 3, bytes: 16 * MB);
        policy.Snapshotted(200 * MB);
        Assert.That(policy.Applied(1), Is.False);
        Assert.That(policy.Applied(1), Is.False);
        Assert.That(policy.Applied(1), Is.True);
    }
}
