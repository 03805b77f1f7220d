using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// Leader-only garbage collection of jobs, evaluations and allocations (Nomad's CoreScheduler jobGC and evalGC):
/// <list type="bullet">
/// <item>dead jobs (stopped, or batch with everything finished) untouched for <c>job_gc_threshold</c> go with their evaluations and allocations;</item>
/// <item>terminal evaluations older than <c>eval_gc_threshold</c> whose allocations are all terminal go with those allocations;</item>
/// <item>old terminal allocations of live jobs go too (except failed ones still waiting to be rescheduled).</item>
/// </list>
/// One <see cref="GcCommand"/> per pass. Times are compared on ModifyTime/SubmitTime (unix nanoseconds).
/// </summary>
public sealed class CoreGarbageCollector(IConsensus consensus, StateStore state, TimeSpan evalThreshold, TimeSpan jobThreshold,
    TimeSpan interval, Logger log)
{
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                try { await CollectAsync(DateTime.UtcNow, evalThreshold, jobThreshold, ct).ConfigureAwait(false); }
                catch (Exception e) when (e is not OperationCanceledException) { log.Error($"core GC failed: error=\"{e.Message}\""); }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>A pass with no age thresholds (<c>PUT /v1/system/gc</c>).</summary>
    public Task<GcCommand?> ForceAsync(CancellationToken ct) => CollectAsync(DateTime.UtcNow, TimeSpan.Zero, TimeSpan.Zero, ct);

    /// <summary>One pass; returns what it removed (null when nothing was old enough).</summary>
    public async Task<GcCommand?> CollectAsync(DateTime now, TimeSpan evalAge, TimeSpan jobAge, CancellationToken ct)
    {
        var command = Find(state.Current, UnixNanos.From(now - evalAge), UnixNanos.From(now - jobAge), UnixNanos.From(now));
        if (command is null) return null;
        await consensus.ApplyAsync(command, ct).ConfigureAwait(false);
        log.Debug($"core GC: jobs={command.JobIDs.Count} evals={command.EvalIDs.Count} allocs={command.AllocIDs.Count}");
        return command;
    }

    /// <summary>What is old enough to remove, given cutoffs in unix nanoseconds (pure).</summary>
    public static GcCommand? Find(StateSnapshot s, long evalCutoff, long jobCutoff, long now)
    {
        var jobs = new List<string>();
        var evals = new HashSet<string>();
        var allocs = new HashSet<string>();

        foreach (var job in s.Jobs.Values)
        {
            if (!JobCollectable(job) || job.SubmitTime > jobCutoff) continue;
            var jobEvals = s.EvalsForJob(job.ID).ToList();
            var jobAllocs = s.AllocsForJob(job.ID).ToList();
            if (jobEvals.Any(e => !IsTerminal(e) || e.ModifyTime > jobCutoff)) continue;
            if (jobAllocs.Any(a => !a.IsTerminal || a.ModifyTime > jobCutoff)) continue;
            jobs.Add(job.ID);
            evals.UnionWith(jobEvals.Select(e => e.ID));
            allocs.UnionWith(jobAllocs.Select(a => a.ID));
        }

        foreach (var eval in s.Evals.Values)
        {
            if (evals.Contains(eval.ID)) continue;
            var (collect, evalAllocs) = EvalCollectable(s, eval, evalCutoff, now);
            if (collect) evals.Add(eval.ID);
            allocs.UnionWith(evalAllocs);
        }

        if (jobs.Count == 0 && evals.Count == 0 && allocs.Count == 0) return null;
        return new GcCommand(jobs, evals.Order().ToList(), allocs.Order().ToList()) { AtIndex = s.Index };
    }

    /// <summary>Nomad's JobIsGCable: dead, and either stopped or a batch job.</summary>
    private static bool JobCollectable(Job job) =>
        job.Status == JobStatus.Dead && (job.Stop || job.Type is JobType.Batch or "sysbatch");

    private static bool IsTerminal(Evaluation e) => e.Status is EvalStatus.Complete or EvalStatus.Failed or EvalStatus.Canceled;

    /// <summary>Nomad's gcEval: whether the evaluation can go, and which of its allocations can go regardless.</summary>
    private static (bool Collect, List<string> Allocs) EvalCollectable(StateSnapshot s, Evaluation eval, long cutoff, long now)
    {
        if (!IsTerminal(eval) || eval.ModifyTime > cutoff) return (false, []);
        var job = s.JobById(eval.JobID);
        var allocs = s.AllocsForJob(eval.JobID).Where(a => a.EvalID == eval.ID).ToList();

        // A live batch job's finished allocations must stay, or the scheduler would run them again;
        // only those of older versions may go.
        if (eval.Type == JobType.Batch && job is not null && !(job.Status == JobStatus.Dead && job.Stop))
        {
            var old = allocs.Where(a => a.IsTerminal && a.ModifyTime <= cutoff && a.CreateIndex < job.JobModifyIndex)
                .Select(a => a.ID).ToList();
            return (false, old);
        }

        var collect = true;
        var ids = new List<string>();
        foreach (var a in allocs)
        {
            if (AllocCollectable(a, job, cutoff, now)) ids.Add(a.ID);
            else collect = false;
        }
        return (collect, ids);
    }

    /// <summary>Nomad's allocGCEligible.</summary>
    private static bool AllocCollectable(Allocation a, Job? job, long cutoff, long now)
    {
        if (!a.IsTerminal || a.ModifyTime > cutoff) return false;
        if (job is null || job.Stop || job.Status == JobStatus.Dead) return true;
        if (a.DesiredStatus == AllocDesiredStatus.Stop) return true;
        if (a.ClientStatus != AllocClientStatus.Failed) return true;
        // A failed allocation that may still be rescheduled carries the reschedule history forward: keep it until replaced.
        var policy = job.TaskGroups.FirstOrDefault(g => g.Name == a.TaskGroup)?.ReschedulePolicy;
        if (policy is null || (!policy.Unlimited && policy.Attempts == 0)) return true;
        if (a.NextAllocation.Length > 0) return true;
        if (policy.Unlimited) return false;
        if (a.RescheduleTracker is not { Events.Count: > 0 } tracker) return false;
        return now - tracker.Events[^1].RescheduleTime > policy.Interval;
    }
}
