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

    /// <summary>Records the evaluation's new status (complete, failed, blocked ...).</summary>
    Task UpdateEvalAsync(Evaluation eval, CancellationToken ct);

    /// <summary>Creates a follow-up evaluation (a blocked one, or a delayed reschedule).</summary>
    Task CreateEvalAsync(Evaluation eval, CancellationToken ct);
}

/// <summary>Processes one evaluation of one job to completion.</summary>
public interface IScheduler
{
    Task ProcessAsync(Evaluation eval, CancellationToken ct);
}
