using System.Text.Json.Serialization;
using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>
/// A change to the replicated state. Commands carry everything they need (timestamps included)
/// so that applying one is deterministic on every server.
/// </summary>
[JsonPolymorphic(TypeDiscriminatorPropertyName = "Type")]
[JsonDerivedType(typeof(NodeRegisterCommand), "NodeRegister")]
[JsonDerivedType(typeof(NodeStatusCommand), "NodeStatus")]
[JsonDerivedType(typeof(NodeDeregisterCommand), "NodeDeregister")]
[JsonDerivedType(typeof(NodeEligibilityCommand), "NodeEligibility")]
[JsonDerivedType(typeof(NodeDrainCommand), "NodeDrain")]
[JsonDerivedType(typeof(JobRegisterCommand), "JobRegister")]
[JsonDerivedType(typeof(JobDeregisterCommand), "JobDeregister")]
[JsonDerivedType(typeof(EvalUpsertCommand), "EvalUpsert")]
[JsonDerivedType(typeof(PlanApplyCommand), "PlanApply")]
[JsonDerivedType(typeof(AllocClientUpdateCommand), "AllocClientUpdate")]
[JsonDerivedType(typeof(GcCommand), "Gc")]
[JsonDerivedType(typeof(AllocDesiredTransitionCommand), "AllocDesiredTransition")]
[JsonDerivedType(typeof(SchedulerConfigCommand), "SchedulerConfig")]
public abstract record Command;

/// <summary>Registers a node or replaces its registration (fingerprints, drivers, status).</summary>
public sealed record NodeRegisterCommand(Node Node, NodeEvent? Event) : Command
{
    /// <summary>Evaluations to create in the same write (system jobs for a node that became ready).</summary>
    public List<Evaluation>? Evals { get; init; }
}

/// <summary>Moves a node to a status (ready, down, ...) with an optional event.</summary>
public sealed record NodeStatusCommand(string NodeID, string Status, long UpdatedAtUnix, NodeEvent? Event) : Command
{
    /// <summary>Evaluations to create in the same write (the jobs with allocations on a node that went down, ...).</summary>
    public List<Evaluation>? Evals { get; init; }
}

/// <summary>Removes nodes (garbage collection, or a client that deregisters).</summary>
public sealed record NodeDeregisterCommand(List<string> NodeIDs) : Command;

/// <summary>Sets a node's scheduling eligibility (<c>nomad node eligibility</c>).</summary>
public sealed record NodeEligibilityCommand(string NodeID, string Eligibility, NodeEvent? Event, List<Evaluation>? Evals) : Command;

/// <summary>Starts (<paramref name="Strategy"/> set) or ends a drain; a drained node becomes ineligible.</summary>
/// <param name="MarkEligible">When ending a drain, make the node eligible again.</param>
public sealed record NodeDrainCommand(string NodeID, DrainStrategy? Strategy, bool MarkEligible, NodeEvent? Event, List<Evaluation>? Evals) : Command;

/// <summary>Registers a job or a new version of it, and its evaluation, in one write.</summary>
/// <param name="SubmitTime">Unix nanoseconds.</param>
public sealed record JobRegisterCommand(Job Job, Evaluation? Eval, long SubmitTime) : Command;

/// <summary>Stops a job (its allocations are stopped by the evaluation) or, with <paramref name="Purge"/>, removes it.</summary>
public sealed record JobDeregisterCommand(string JobID, bool Purge, Evaluation? Eval, long SubmitTime) : Command;

/// <summary>Creates or updates evaluations (the scheduler's status updates, follow-up and blocked evaluations).</summary>
public sealed record EvalUpsertCommand(List<Evaluation> Evals) : Command;

/// <summary>
/// The part of a scheduler's plan the plan applier accepted: new or updated allocations (which all run
/// <paramref name="Job"/>, carried once rather than per allocation) and allocations to stop.
/// </summary>
/// <param name="Time">Unix nanoseconds, for CreateTime/ModifyTime.</param>
public sealed record PlanApplyCommand(string EvalID, Job? Job, List<Allocation> Placed, List<AllocStop> Stopped, long Time) : Command
{
    /// <summary>Evaluations to create in the same write (the jobs whose allocations were preempted).</summary>
    public List<Evaluation>? Evals { get; init; }
}

/// <summary>Allocations to stop: why, and the client status to force (<c>lost</c> for allocations on a down node).</summary>
public sealed record AllocStop(string AllocID, string DesiredDescription, string? ClientStatus = null, string DesiredStatus = AllocDesiredStatus.Stop)
{
    /// <summary>For an eviction: the allocation that preempted this one.</summary>
    public string? PreemptedBy { get; init; }
}

/// <summary>What clients reported about their allocations, and the evaluations those reports call for (failed allocations).</summary>
/// <param name="Time">Unix nanoseconds.</param>
public sealed record AllocClientUpdateCommand(List<AllocClientUpdate> Updates, List<Evaluation>? Evals, long Time) : Command;

/// <summary>Marks allocations for migration (the drainer's batches), with the evaluations that move them, in one write.</summary>
public sealed record AllocDesiredTransitionCommand(Dictionary<string, DesiredTransition> Transitions, List<Evaluation> Evals) : Command;

/// <summary>Sets the scheduler configuration; with <paramref name="CasIndex"/>, only if its ModifyIndex is still that (0: never set).</summary>
public sealed record SchedulerConfigCommand(SchedulerConfiguration Config, ulong? CasIndex) : Command;

/// <summary>Removes what garbage collection found old enough.</summary>
public sealed record GcCommand(List<string> JobIDs, List<string> EvalIDs, List<string> AllocIDs) : Command
{
    /// <summary>
    /// The state index garbage collection looked at. Rows modified after it (a job registered again while the
    /// command was in flight) are kept; 0 removes unconditionally.
    /// </summary>
    public ulong AtIndex { get; init; }
}
