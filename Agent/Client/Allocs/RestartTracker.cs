using Nomad.Agent.Config;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>What the restart policy says after a task ended.</summary>
/// <param name="Restart">Whether to run the task again.</param>
/// <param name="Delay">How long to wait first.</param>
/// <param name="Reason">Nomad's reason text (for the Restarting / Not Restarting event).</param>
/// <param name="Failed">Whether the task is failed when not restarted.</param>
public sealed record RestartDecision(bool Restart, TimeSpan Delay, string Reason, bool Failed);

/// <summary>
/// Nomad's RestartTracker: counts restarts within the policy's interval; beyond <c>attempts</c> the task
/// fails (mode fail) or waits out the rest of the interval (mode delay). Service and system tasks are
/// restarted even after a successful exit; batch tasks that succeed are done.
/// </summary>
public sealed class RestartTracker(RestartPolicy policy, bool restartOnSuccess)
{
    public const string ReasonWithinPolicy = "Restart within policy";
    public const string ReasonDelay = "Exceeded allowed attempts, applying a delay";
    public const string ReasonNoRestarts = "Policy allows no restarts";
    public const string ReasonSucceeded = "Restart unnecessary as task terminated successfully";

    /// <summary>Restarts counted in the current interval.</summary>
    public int Count { get; set; }

    /// <summary>When the current interval began (Unix ns; 0 before the first exit).</summary>
    public long IntervalStart { get; set; }

    /// <summary>
    /// Whether a task that exits successfully runs again (Nomad's NewRestartTracker): prestart and poststart tasks
    /// only when they are sidecars, poststop tasks never, main tasks unless the job is a batch job.
    /// </summary>
    public static bool RestartsOnSuccess(string jobType, Structs.TaskLifecycle? lifecycle) => lifecycle?.Hook switch
    {
        TaskLifecycleHook.Prestart or TaskLifecycleHook.Poststart => lifecycle.Sidecar,
        TaskLifecycleHook.Poststop => false,
        _ => jobType is not (JobType.Batch or JobType.SysBatch),
    };

    public RestartDecision OnExit(bool successful, bool startFailed = false)
    {
        if (policy.Attempts == 0)
            return !restartOnSuccess && successful
                ? new RestartDecision(false, TimeSpan.Zero, ReasonNoRestarts, false)
                : new RestartDecision(false, TimeSpan.Zero, ReasonNoRestarts, !successful || startFailed);

        var now = UnixNanos.Now();
        if (now > IntervalStart + policy.Interval)
        {
            Count = 0;
            IntervalStart = now;
        }
        Count++;

        if (successful && !restartOnSuccess && !startFailed)
            return new RestartDecision(false, TimeSpan.Zero, ReasonSucceeded, false);
        if (Count > policy.Attempts)
        {
            if (policy.Mode == RestartMode.Fail)
                return new RestartDecision(false, TimeSpan.Zero,
                    $"Exceeded allowed attempts {policy.Attempts} in interval {GoDuration.FormatNanoseconds(policy.Interval)} and mode is \"fail\"", true);
            return new RestartDecision(true, TimeSpan.FromTicks(Math.Max(0, IntervalStart + policy.Interval - now) / 100), ReasonDelay, false);
        }
        return new RestartDecision(true, Jitter(), ReasonWithinPolicy, false);
    }

    /// <summary>The policy's delay plus up to a quarter more, so restarts of many tasks spread out.</summary>
    private TimeSpan Jitter()
    {
        var d = Math.Max(1, policy.Delay);
        return TimeSpan.FromTicks((d + (long)(Random.Shared.NextInt64(d) * 0.25)) / 100);
    }
}
