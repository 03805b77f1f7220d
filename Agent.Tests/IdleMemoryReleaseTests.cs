namespace Nomad.Agent.Tests;

/// <summary>When the agent gives memory back: once after each burst of allocations, when it has gone quiet.</summary>
public sealed class IdleMemoryReleaseTests
{
    private const long MB = 1 << 20;

    [Test]
    public void Releases_once_when_a_burst_is_followed_by_a_quiet_period()
    {
        var policy = new IdleMemoryRelease(allocatedAtStart: 0);
        long allocated = 0;
        bool Period(long bytes) => policy.ShouldRelease(allocated += bytes);

        Assert.That(Period(1 * MB), Is.False, "quiet, but nothing to give back");
        Assert.That(Period(200 * MB), Is.False, "busy");
        Assert.That(Period(300 * MB), Is.False, "still busy");
        Assert.That(Period(1 * MB), Is.True, "quiet after the burst");
        Assert.That(Period(1 * MB), Is.False, "released already");
        Assert.That(Period(0), Is.False);
    }

    [Test]
    public void An_idle_agent_releases_only_after_it_has_allocated_enough_to_be_worth_it()
    {
        var policy = new IdleMemoryRelease(allocatedAtStart: 0);
        var periods = 0;
        long allocated = 0;
        while (!policy.ShouldRelease(allocated += 1 * MB)) periods++;
        Assert.That(allocated, Is.GreaterThanOrEqualTo(IdleMemoryRelease.BusyBytes));
        Assert.That(periods, Is.EqualTo(IdleMemoryRelease.BusyBytes / MB - 1));
    }

    [Test]
    public void Never_releases_while_every_period_is_busy()
    {
        var policy = new IdleMemoryRelease(allocatedAtStart: 0);
        long allocated = 0;
        for (var i = 0; i < 100; i++)
            Assert.That(policy.ShouldRelease(allocated += IdleMemoryRelease.QuietBytes), Is.False);
    }

    [Test]
    public void Never_releases_when_the_live_heap_is_large()
    {
        var policy = new IdleMemoryRelease(allocatedAtStart: 0);
        long allocated = 0;
        Assert.That(policy.ShouldRelease(allocated += 500 * MB, liveBytes: 1024 * MB), Is.False, "busy");
        Assert.That(policy.ShouldRelease(allocated += 1 * MB, liveBytes: 1024 * MB), Is.False, "quiet after a burst, but a large heap's compaction would pause too long");
        Assert.That(policy.ShouldRelease(allocated += 1 * MB, liveBytes: 10 * MB), Is.True, "the same moment with a small heap");
    }
}
