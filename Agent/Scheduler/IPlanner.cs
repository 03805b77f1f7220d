using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// What a scheduler may do to the world: submit plans and record evaluations. At the leader this is the
/// plan queue and Raft; in tests and benchmarks it can apply straight to a snapshot.
/// </summary>
public interface IPlanner
{
    /// <summary>Submits a plan and waits for the plan applier's verdict.</summary>
    Task<PlanResult> SubmitPlanAsync(Plan plan, CancellationToken ct);

    /// <summary>
    /// Records the evaluation's new status (complete, failed ...) together with the evaluations it leaves behind
    /// (a blocked one, delayed reschedules) in one write: one Raft commit, not one per evaluation, and no
    /// blocked evaluation ever stands without its parent's outcome.
    /// </summary>
    Task UpdateEvalAsync(Evaluation eval, IReadOnlyList<Evaluation> created, CancellationToken ct);
}

/// <summary>Processes one evaluation of one job to completion.</summary>
public interface IScheduler
{
    Task ProcessAsync(Evaluation eval, CancellationToken ct);
}
