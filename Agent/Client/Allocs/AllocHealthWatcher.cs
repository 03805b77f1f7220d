using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// How an allocation's health is judged (Nomad's allochealth settings): from a group's <c>migrate</c> block for
/// drains, or its <c>update</c> block for deployments. Durations are nanoseconds.
/// </summary>
/// <param name="HealthCheck">"task_states" or "checks". There are no service checks here yet, so "checks" is judged
/// by the task states alone, which is what Nomad does for a group that registers no checks.</param>
public sealed record HealthSettings(string HealthCheck, long MinHealthyTime, long HealthyDeadline)
{
    public static HealthSettings Of(MigrateStrategy m) => new(m.HealthCheck, m.MinHealthyTime, m.HealthyDeadline);
}

/// <summary>
/// Decides once whether an allocation became healthy (Nomad's client/allochealth tracker, task_states mode): healthy
/// when every task that must keep running has been running, without a restart, for min_healthy_time; unhealthy as
/// soon as a task fails, or when healthy_deadline passes first. Feed it every change of the task states
/// (<see cref="Observe"/>); it re-checks on its own when the running tasks' min_healthy_time is up, and calls
/// <c>report</c> exactly once with the verdict and its time (Unix ns). Reusable: drains build it from
/// <c>migrate</c>, deployments from <c>update</c>.
/// </summary>
public sealed class AllocHealthWatcher : IDisposable
{
    private readonly HealthSettings _settings;
    private readonly IReadOnlySet<string> _ignored;
    private readonly long _deadlineAt;
    private readonly Action<bool, long> _report;
    private readonly Lock _lock = new();
    private readonly Timer _timer;
    private IReadOnlyDictionary<string, TaskState> _states = new Dictionary<string, TaskState>();
    private bool _decided;

    /// <param name="ignoredTasks">tasks that need not keep running (ephemeral lifecycle hooks); their failure still counts</param>
    /// <param name="startedAt">when watching began, Unix ns: healthy_deadline counts from here</param>
    public AllocHealthWatcher(HealthSettings settings, IReadOnlySet<string> ignoredTasks, long startedAt, Action<bool, long> report)
    {
        _settings = settings;
        _ignored = ignoredTasks;
        _deadlineAt = settings.HealthyDeadline > 0 ? startedAt + settings.HealthyDeadline : long.MaxValue;
        _report = report;
        _timer = new Timer(_ => Check(), null, Timeout.Infinite, Timeout.Infinite);
        Arm(startedAt, _deadlineAt);
    }

    /// <summary>The task states changed.</summary>
    public void Observe(IReadOnlyDictionary<string, TaskState> states)
    {
        lock (_lock) _states = states;
        Check();
    }

    private void Check()
    {
        bool healthy;
        var now = UnixNanos.Now();
        lock (_lock)
        {
            if (_decided) return;
            var (verdict, recheckAt) = Evaluate(_states, _ignored, _settings.MinHealthyTime, _deadlineAt, now);
            if (verdict is null)
            {
                Arm(now, Math.Min(recheckAt, _deadlineAt));
                return;
            }
            _decided = true;
            healthy = verdict.Value;
        }
        _timer.Change(Timeout.Infinite, Timeout.Infinite);
        _report(healthy, now);
    }

    private void Arm(long now, long at)
    {
        if (at == long.MaxValue) return;
        var ms = Math.Max(0, (at - now) / 1_000_000) + 1;
        _timer.Change(TimeSpan.FromMilliseconds(Math.Min(ms, (long)int.MaxValue - 1)), Timeout.InfiniteTimeSpan);
    }

    /// <summary>
    /// The verdict on <paramref name="states"/> at <paramref name="now"/>: true healthy, false unhealthy, null not yet
    /// (then the time, Unix ns, at which it may change without another task event).
    /// </summary>
    public static (bool? Healthy, long RecheckAt) Evaluate(IReadOnlyDictionary<string, TaskState> states, IReadOnlySet<string> ignored,
        long minHealthyTime, long deadlineAt, long now)
    {
        if (states.Values.Any(s => s.Failed)) return (false, 0);
        long latestStart = 0;
        var allRunning = states.Count > 0;
        foreach (var (name, s) in states)
        {
            if (ignored.Contains(name)) continue;
            if (s.State != TaskStateName.Running) { allRunning = false; continue; }
            // A restart starts the wait again (Nomad resets its timer on every restart).
            var since = Math.Max(Nanos(s.StartedAt), Nanos(s.LastRestart));
            latestStart = Math.Max(latestStart, since);
        }
        if (allRunning && now >= latestStart + minHealthyTime) return (true, 0);
        if (now >= deadlineAt) return (false, 0);
        return (null, allRunning ? latestStart + minHealthyTime : long.MaxValue);
    }

    private static long Nanos(DateTime? t) => t is { } v ? ((v.Kind == DateTimeKind.Local ? v.ToUniversalTime() : v) - DateTime.UnixEpoch).Ticks * 100 : 0;

    public void Dispose() => _timer.Dispose();
}
