using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Client;

public sealed class AllocHealthWatcherTests
{
    private const long S = 1_000_000_000;
    private static readonly DateTime T0 = new(2026, 12, 7, 12, 0, 0, DateTimeKind.Utc);
    private static readonly long T0Nanos = (T0 - DateTime.UnixEpoch).Ticks * 100;
    private static readonly HashSet<string> None = [];

    private static TaskState Running(double startedAfter, double? restartedAfter = null) => new()
    {
        State = TaskStateName.Running, StartedAt = T0.AddSeconds(startedAfter),
        LastRestart = restartedAfter is { } r ? T0.AddSeconds(r) : null,
    };

    [Test]
    public void Healthy_once_every_task_has_run_for_min_healthy_time_and_not_before()
    {
        var states = new Dictionary<string, TaskState> { ["a"] = Running(0), ["b"] = Running(2) };
        Assert.That(AllocHealthWatcher.Evaluate(states, None, 5 * S, T0Nanos + 60 * S, T0Nanos + 6 * S), Is.EqualTo(((bool?)null, T0Nanos + 7 * S)),
            "b started last: healthy at 2 + 5 s");
        Assert.That(AllocHealthWatcher.Evaluate(states, None, 5 * S, T0Nanos + 60 * S, T0Nanos + 7 * S).Healthy, Is.True);
    }

    [Test]
    public void A_restart_starts_the_wait_again_and_a_pending_task_keeps_it_undecided()
    {
        var restarted = new Dictionary<string, TaskState> { ["a"] = Running(0, restartedAfter: 4) };
        Assert.That(AllocHealthWatcher.Evaluate(restarted, None, 5 * S, T0Nanos + 60 * S, T0Nanos + 6 * S).Healthy, Is.Null);
        var pending = new Dictionary<string, TaskState> { ["a"] = Running(0), ["b"] = new TaskState() };
        Assert.That(AllocHealthWatcher.Evaluate(pending, None, 5 * S, T0Nanos + 60 * S, T0Nanos + 30 * S), Is.EqualTo(((bool?)null, long.MaxValue)));
        Assert.That(AllocHealthWatcher.Evaluate(pending, new HashSet<string> { "b" }, 5 * S, T0Nanos + 60 * S, T0Nanos + 30 * S).Healthy, Is.True,
            "an ephemeral lifecycle task need not keep running");
    }

    [Test]
    public void Unhealthy_when_a_task_fails_or_the_healthy_deadline_passes_first()
    {
        var failed = new Dictionary<string, TaskState> { ["a"] = Running(0), ["b"] = new TaskState { State = TaskStateName.Dead, Failed = true } };
        Assert.That(AllocHealthWatcher.Evaluate(failed, None, 5 * S, T0Nanos + 60 * S, T0Nanos + 1 * S).Healthy, Is.False);
        var slow = new Dictionary<string, TaskState> { ["a"] = new TaskState() };
        Assert.That(AllocHealthWatcher.Evaluate(slow, None, 5 * S, T0Nanos + 60 * S, T0Nanos + 60 * S).Healthy, Is.False);
    }

    [Test]
    public async Task The_watcher_reports_healthy_by_itself_once_min_healthy_time_is_up_and_only_once()
    {
        var verdicts = new List<bool>();
        var reported = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        var now = UnixNanos.Now();
        using var watcher = new AllocHealthWatcher(new HealthSettings("task_states", S / 5, 60 * S), None, now, (healthy, _) =>
        {
            lock (verdicts) verdicts.Add(healthy);
            reported.TrySetResult(healthy);
        });
        var running = new Dictionary<string, TaskState> { ["a"] = new() { State = TaskStateName.Running, StartedAt = UnixNanos.ToDateTime(now) } };
        watcher.Observe(running);
        Assert.That(await reported.Task.WaitAsync(TimeSpan.FromSeconds(30)), Is.True);
        watcher.Observe(new Dictionary<string, TaskState> { ["a"] = new() { State = TaskStateName.Dead, Failed = true } });
        lock (verdicts) Assert.That(verdicts, Is.EqualTo(new[] { true }), "decided once");
    }

    [Test]
    public async Task The_watcher_reports_unhealthy_at_the_healthy_deadline_when_tasks_never_run()
    {
        var reported = new TaskCompletionSource<bool>(TaskCreationOptions.RunContinuationsAsynchronously);
        using var watcher = new AllocHealthWatcher(new HealthSettings("checks", S, S / 5), None, UnixNanos.Now(), (healthy, _) => reported.TrySetResult(healthy));
        watcher.Observe(new Dictionary<string, TaskState> { ["a"] = new() });
        Assert.That(await reported.Task.WaitAsync(TimeSpan.FromSeconds(30)), Is.False);
    }
}
