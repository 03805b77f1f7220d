using Nomad.Agent.Server;

namespace Nomad.Agent.Tests.Server;

public sealed class HeartbeatTimersTests
{
    [Test]
    public async Task Expired_fires_once_for_a_node_that_is_not_reset()
    {
        var fired = new List<string>();
        var done = new TaskCompletionSource();
        using var timers = new HeartbeatTimers(id => { lock (fired) fired.Add(id); done.TrySetResult(); return Task.CompletedTask; });
        timers.Reset("a", TimeSpan.FromMilliseconds(20));
        await done.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(fired, Is.EqualTo(new[] { "a" }));
        Assert.That(timers.Count, Is.EqualTo(0));
    }

    [Test]
    public async Task Removed_and_reset_nodes_do_not_fire()
    {
        var fired = new List<string>();
        var canary = new TaskCompletionSource();
        using var timers = new HeartbeatTimers(id => { lock (fired) fired.Add(id); if (id == "canary") canary.TrySetResult(); return Task.CompletedTask; });
        timers.Reset("removed", TimeSpan.FromMilliseconds(50));
        timers.Remove("removed");
        timers.Reset("kept", TimeSpan.FromMilliseconds(50));
        timers.Reset("kept", TimeSpan.FromMinutes(10));
        timers.Reset("canary", TimeSpan.FromMilliseconds(200));
        await canary.Task.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(fired, Is.EqualTo(new[] { "canary" }));
    }
}
