using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>What one scheduling attempt produced: the plan and what it could not place.</summary>
public sealed class AttemptOutcome(Plan plan)
{
    public Plan Plan { get; } = plan;
    /// <summary>Every task group of the job, with its placement failures (if any).</summary>
    public Dictionary<string, GroupPlan> Groups { get; } = new(StringComparer.Ordinal);
    /// <summary>Unix nanos at which follow-up evaluations should run (delayed reschedules).</summary>
    public IEnumerable<long> FollowUpTimes { get; set; } = [];
    public int Placed { get; set; }
    public int Stopped { get; set; }
    public int InPlace { get; set; }
}

/// <summary>
/// Nomad's scheduler loop around one evaluation: plan on a snapshot, submit, and plan again on fresher state
/// while the plan applier rejects part of it (up to a limit, counted from the last attempt that made progress);
/// then record follow-up and blocked evaluations and the evaluation's final status.
/// </summary>
public abstract class SchedulerBase(StateSnapshot state, IPlanner planner, Logger log) : IScheduler
{
    protected IPlanner Planner { get; } = planner;
    protected Logger Log { get; } = log;

    /// <summary>Nomad's maxServiceScheduleAttempts / maxBatchScheduleAttempts / maxSystemScheduleAttempts.</summary>
    protected abstract int MaxAttempts { get; }

    /// <summary>Whether unplaced allocations leave a blocked evaluation behind (not for system jobs, which node events re-evaluate).</summary>
    protected virtual bool BlocksOnFailure => true;

    protected abstract AttemptOutcome Attempt(Evaluation eval, StateSnapshot state, long now);

    public async Task ProcessAsync(Evaluation eval, CancellationToken ct)
    {
        var current = state;
        var attempts = 0;
        AttemptOutcome outcome;
        while (true)
        {
            attempts++;
            outcome = Attempt(eval, current, UnixNanos.Now());
            if (outcome.Plan.IsNoOp) break;
            var result = await Planner.SubmitPlanAsync(outcome.Plan, ct);
            if (result.RefreshIndex == 0) break;
            // Part of the plan was rejected (a node filled up under us): plan again on the newer state.
            if (result.NodeAllocation.Count > 0 || result.NodeUpdate.Count > 0) attempts = 0;
            if (attempts >= MaxAttempts || result.RefreshedState is null)
            {
                var why = result.RefreshedState is null ? "planner returned no refreshed state" : $"maximum attempts reached ({MaxAttempts})";
                Log.Warn($"scheduler: evaluation failed eval_id={eval.ID} job_id={eval.JobID} reason=\"{why}\"");
                await Planner.UpdateEvalAsync(eval with { Status = EvalStatus.Failed, StatusDescription = why, ModifyTime = UnixNanos.Now() }, [], ct);
                return;
            }
            Log.Debug($"scheduler: refreshing state eval_id={eval.ID} refresh_index={result.RefreshIndex}");
            current = result.RefreshedState;
        }

        var now = UnixNanos.Now();
        var created = FollowUps(eval, current, outcome.FollowUpTimes, now);

        var queued = new Dictionary<string, int>(StringComparer.Ordinal);
        Dictionary<string, AllocMetric>? failed = null;
        foreach (var (name, g) in outcome.Groups)
        {
            queued[name] = g.FailedCount;
            if (g.Failure is not null) (failed ??= new(StringComparer.Ordinal))[name] = g.Failure.Build();
        }
        var blockedId = "";
        if (failed is not null && BlocksOnFailure)
        {
            var blocked = new Evaluation
            {
                ID = Guid.NewGuid().ToString(), Namespace = eval.Namespace, Priority = eval.Priority, Type = eval.Type,
                TriggeredBy = EvalTrigger.QueuedAllocs, JobID = eval.JobID, JobModifyIndex = eval.JobModifyIndex,
                Status = EvalStatus.Blocked, PreviousEval = eval.ID, CreateTime = now, ModifyTime = now,
            };
            created.Add(blocked);
            blockedId = blocked.ID;
        }
        Log.Debug($"scheduler: evaluation complete eval_id={eval.ID} job_id={eval.JobID} placed={outcome.Placed} stopped={outcome.Stopped} in_place={outcome.InPlace} queued={queued.Values.Sum()}");
        await Planner.UpdateEvalAsync(eval with
        {
            Status = EvalStatus.Complete, StatusDescription = "", QueuedAllocations = queued, FailedTGAllocs = failed,
            BlockedEval = blockedId, ModifyTime = now,
        }, created, ct);
    }

    /// <summary>One pending evaluation per reschedule time, unless one for that time already exists.</summary>
    private static List<Evaluation> FollowUps(Evaluation eval, StateSnapshot current, IEnumerable<long> times, long now)
    {
        var followUps = new List<Evaluation>();
        foreach (var t in times)
        {
            if (current.EvalsForJob(eval.JobID).Any(e => e.Status == EvalStatus.Pending && e.WaitUntil == t)) continue;
            followUps.Add(new Evaluation
            {
                ID = Guid.NewGuid().ToString(), Namespace = eval.Namespace, Priority = eval.Priority, Type = eval.Type,
                TriggeredBy = EvalTrigger.AllocFailure, JobID = eval.JobID, JobModifyIndex = eval.JobModifyIndex,
                Status = EvalStatus.Pending, PreviousEval = eval.ID, WaitUntil = t, CreateTime = now, ModifyTime = now,
            });
        }
        return followUps;
    }

    /// <summary>A new allocation of <paramref name="g"/> on the chosen node.</summary>
    protected static Allocation NewAlloc(Evaluation eval, Job job, GroupPlan g, string name, Node node,
        AllocatedResources resources, AllocMetric metrics, Allocation? previous, RescheduleTracker? tracker) => new()
    {
        ID = Guid.NewGuid().ToString(),
        Namespace = job.Namespace,
        EvalID = eval.ID,
        Name = name,
        NodeID = node.ID,
        NodeName = node.Name,
        JobID = job.ID,
        Job = job,
        TaskGroup = g.Group.Name,
        AllocatedResources = resources,
        Metrics = metrics,
        DesiredStatus = AllocDesiredStatus.Run,
        ClientStatus = AllocClientStatus.Pending,
        PreviousAllocation = previous?.ID ?? "",
        RescheduleTracker = tracker,
    };

    protected static Plan NewPlan(Evaluation eval, Job? job, StateSnapshot state) => new()
    {
        EvalID = eval.ID,
        Priority = eval.Priority,
        Job = job,
        AllAtOnce = job?.AllAtOnce ?? false,
        SnapshotIndex = state.Index,
    };
}
