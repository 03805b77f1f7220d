using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// Nomad's reschedule policy arithmetic for a failed allocation: whether another attempt is allowed
/// (Unlimited, or fewer than Attempts within Interval), the delay before it (constant, exponential or
/// fibonacci, capped at MaxDelay) and the tracker the replacement carries.
/// </summary>
public static class Rescheduling
{
    /// <summary>Nomad's rescheduleWindowSize: a reschedule due within this much of now happens now.</summary>
    public const long WindowNanos = 1_000_000_000;

    /// <summary>Keeps this many past events for unlimited policies (Nomad's maxPastRescheduleEvents).</summary>
    private const int MaxPastEvents = 5;

    public static bool Allowed(ReschedulePolicy? policy, Allocation alloc, long now)
    {
        if (policy is null) return false;
        if (policy.Unlimited) return true;
        if (policy.Attempts <= 0) return false;
        var events = alloc.RescheduleTracker?.Events;
        if (events is null) return true;
        var attempted = 0;
        foreach (var e in events)
            if (now - e.RescheduleTime < policy.Interval) attempted++;
        return attempted < policy.Attempts;
    }

    /// <summary>The delay before the next attempt (Nomad's NextDelay).</summary>
    public static long NextDelay(ReschedulePolicy policy, Allocation alloc)
    {
        var delay = policy.Delay;
        var events = alloc.RescheduleTracker?.Events;
        if (events is null || events.Count == 0) return delay;
        switch (policy.DelayFunction)
        {
            case "exponential":
                delay = events[^1].Delay * 2;
                break;
            case "fibonacci":
                if (events.Count >= 2)
                {
                    var n1 = events[^1].Delay;
                    var n2 = events[^2].Delay;
                    // After the ceiling was reset, a new series starts.
                    delay = n2 == policy.MaxDelay && n1 == policy.Delay ? n1 : n1 + n2;
                }
                break;
            default:
                return delay;
        }
        if (policy.MaxDelay > 0 && delay > policy.MaxDelay)
        {
            delay = policy.MaxDelay;
            // A long healthy run since the last reschedule starts the series again.
            if (FailTime(alloc) - events[^1].RescheduleTime > delay) delay = policy.Delay;
        }
        return delay;
    }

    /// <summary>When the allocation failed: the latest task finish, or its last modification.</summary>
    public static long FailTime(Allocation alloc)
    {
        long latest = 0;
        if (alloc.TaskStates is not null)
            foreach (var s in alloc.TaskStates.Values)
                if (s.FinishedAt is { } f) latest = Math.Max(latest, UnixNanos.From(f));
        return latest > 0 ? latest : alloc.ModifyTime;
    }

    /// <summary>The replacement's tracker: the previous events still relevant plus this reschedule.</summary>
    public static RescheduleTracker NextTracker(ReschedulePolicy? policy, Allocation prev, long now, long delay)
    {
        var events = new List<RescheduleEvent>();
        if (prev.RescheduleTracker?.Events is { } past)
        {
            if (policy is { Unlimited: true })
                events.AddRange(past.Skip(Math.Max(0, past.Count - MaxPastEvents + 1)));
            else if (policy is not null)
                events.AddRange(past.Where(e => now - e.RescheduleTime < policy.Interval));
        }
        events.Add(new RescheduleEvent { RescheduleTime = now, PrevAllocID = prev.ID, PrevNodeID = prev.NodeID, Delay = delay });
        return new RescheduleTracker { Events = events };
    }
}
