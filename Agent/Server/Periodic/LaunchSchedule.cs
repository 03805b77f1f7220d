using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server.Periodic;

/// <summary>
/// The leader's timetable of periodic launches (Nomad's launch heap): each active periodic job and when it is next
/// due. Pure bookkeeping over snapshots and a given "now", so it is tested without clocks or Raft.
/// </summary>
public sealed class LaunchSchedule
{
    private readonly Dictionary<string, Entry> _entries = new(StringComparer.Ordinal);

    private sealed record Entry(Job Job, PeriodicSchedule Schedule, DateTimeOffset? Next);

    /// <summary>
    /// Follows the state: a job that became active (or whose specification changed) is due at its next time after
    /// <paramref name="now"/>; a job deregistered, stopped or disabled leaves the timetable.
    /// </summary>
    /// <returns>the jobs that left the timetable.</returns>
    public List<string> Sync(StateSnapshot snap, DateTimeOffset now)
    {
        var removed = new List<string>();
        foreach (var id in _entries.Keys.ToList())
            if (snap.JobById(id) is not { } job || !PeriodicLaunch.IsActive(job))
            {
                _entries.Remove(id);
                removed.Add(id);
            }
        foreach (var job in snap.Jobs.Values)
        {
            if (!PeriodicLaunch.IsActive(job)) continue;
            if (_entries.TryGetValue(job.ID, out var e) && e.Job.JobModifyIndex == job.JobModifyIndex)
            {
                if (!ReferenceEquals(e.Job, job)) _entries[job.ID] = e with { Job = job };
                continue;
            }
            if (PeriodicSchedule.Of(job.Periodic) is { } schedule) _entries[job.ID] = new Entry(job, schedule, schedule.Next(now));
        }
        return removed;
    }

    /// <summary>The earliest launch due, if any job has one.</summary>
    public DateTimeOffset? NextDue => _entries.Values.Where(e => e.Next is not null).Min(e => e.Next);

    /// <summary>When <paramref name="jobId"/> is next due; null when it is not tracked or has no next launch.</summary>
    public DateTimeOffset? NextFor(string jobId) => _entries.TryGetValue(jobId, out var e) ? e.Next : null;

    /// <summary>
    /// The launches due at or before <paramref name="now"/>, earliest first, each job's entry moved to its next time
    /// after the launch it hands out (as Nomad's dispatcher: one launch per due time, never a burst to catch up).
    /// </summary>
    public List<(Job Job, DateTimeOffset Launch)> TakeDue(DateTimeOffset now)
    {
        var due = new List<(Job, DateTimeOffset)>();
        foreach (var (id, e) in _entries.ToList())
        {
            if (e.Next is not { } next || next > now) continue;
            due.Add((e.Job, next));
            var following = e.Schedule.Next(next);
            // A launch long overdue (a stalled loop) is not repeated for every time missed: resume from now.
            if (following is { } f && f <= now) following = e.Schedule.Next(now);
            _entries[id] = e with { Next = following };
        }
        return due.OrderBy(d => d.Item2).ToList();
    }
}
