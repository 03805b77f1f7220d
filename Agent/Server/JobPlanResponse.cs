using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>The body of <c>PUT /v1/job/:id/plan</c> (Nomad's api.JobPlanRequest). PolicyOverride is accepted and ignored.</summary>
public sealed record JobPlanRequest(Job? Job, bool Diff = false, bool PolicyOverride = false);

/// <summary>Nomad's api.JobPlanResponse: what the scheduler would do with a job, computed without writing anything.</summary>
public sealed record JobPlanResponse
{
    /// <summary>The registered job's JobModifyIndex (0 for a new job): what <c>job run -check-index</c> should send.</summary>
    public ulong JobModifyIndex { get; init; }
    /// <summary>Evaluations the run would create (blocked evaluations for what does not fit).</summary>
    public List<Evaluation> CreatedEvals { get; init; } = new();
    public JobDiff? Diff { get; init; }
    public PlanAnnotations Annotations { get; init; } = new();
    public Dictionary<string, AllocMetric>? FailedTGAllocs { get; init; }
    public long? NextPeriodicLaunch { get; init; }
    public string Warnings { get; init; } = "";
    public ulong Index { get; init; }
}

public sealed record PlanAnnotations
{
    public Dictionary<string, DesiredUpdates> DesiredTGUpdates { get; init; } = new();
    public List<object>? PreemptedAllocs { get; init; }
}

/// <summary>Per task group, how many allocations the plan would touch and how (Nomad's DesiredUpdates).</summary>
public sealed class DesiredUpdates
{
    public ulong Ignore { get; set; }
    public ulong Place { get; set; }
    public ulong Migrate { get; set; }
    public ulong Stop { get; set; }
    public ulong InPlaceUpdate { get; set; }
    public ulong DestructiveUpdate { get; set; }
    public ulong Canary { get; set; }
    public ulong Preemptions { get; set; }
}

/// <summary>Nomad's structs.JobDiff. Types are "Added", "Deleted", "Edited" or "None".</summary>
public sealed record JobDiff
{
    public string Type { get; init; } = DiffType.None;
    public string ID { get; init; } = "";
    public List<FieldDiff> Fields { get; init; } = new();
    public List<ObjectDiff> Objects { get; init; } = new();
    public List<TaskGroupDiff> TaskGroups { get; init; } = new();
}

public sealed record TaskGroupDiff
{
    public string Type { get; init; } = DiffType.None;
    public string Name { get; init; } = "";
    public List<FieldDiff> Fields { get; init; } = new();
    public List<ObjectDiff> Objects { get; init; } = new();
    public List<TaskDiff> Tasks { get; init; } = new();
    /// <summary>Update kind ("create", "destroy", "in-place update", "create/destroy update", "ignore", ...) → count.</summary>
    public Dictionary<string, ulong>? Updates { get; set; }
}

public sealed record TaskDiff
{
    public string Type { get; init; } = DiffType.None;
    public string Name { get; init; } = "";
    public List<FieldDiff> Fields { get; init; } = new();
    public List<ObjectDiff> Objects { get; init; } = new();
    public List<string>? Annotations { get; set; }
}

public sealed record FieldDiff
{
    public string Type { get; init; } = DiffType.None;
    public string Name { get; init; } = "";
    public string Old { get; init; } = "";
    public string New { get; init; } = "";
    public List<string>? Annotations { get; set; }
}

public sealed record ObjectDiff
{
    public string Type { get; init; } = DiffType.None;
    public string Name { get; init; } = "";
    public List<FieldDiff> Fields { get; init; } = new();
    public List<ObjectDiff> Objects { get; init; } = new();
}

/// <summary>Nomad's DiffType values.</summary>
public static class DiffType
{
    public const string None = "None";
    public const string Added = "Added";
    public const string Deleted = "Deleted";
    public const string Edited = "Edited";
}
