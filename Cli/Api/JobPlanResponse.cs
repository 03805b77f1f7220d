using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>PUT /v1/job/:id/plan's answer (Nomad's api.JobPlanResponse): what the scheduler would do, and the diff.</summary>
public sealed record JobPlanResponse
{
    public ulong JobModifyIndex { get; init; }
    public List<Evaluation>? CreatedEvals { get; init; }
    public JobDiff? Diff { get; init; }
    public PlanAnnotations? Annotations { get; init; }
    public Dictionary<string, AllocMetric>? FailedTGAllocs { get; init; }
    public string Warnings { get; init; } = "";
}

public sealed record PlanAnnotations
{
    public Dictionary<string, DesiredUpdates>? DesiredTGUpdates { get; init; }
}

/// <summary>Per task group, how many allocations the plan would touch and how.</summary>
public sealed record DesiredUpdates
{
    public ulong Ignore { get; init; }
    public ulong Place { get; init; }
    public ulong Migrate { get; init; }
    public ulong Stop { get; init; }
    public ulong InPlaceUpdate { get; init; }
    public ulong DestructiveUpdate { get; init; }
    public ulong Canary { get; init; }
    public ulong Preemptions { get; init; }
}

/// <summary>Diff types: "Added", "Deleted", "Edited", "None".</summary>
public sealed record JobDiff
{
    public string Type { get; init; } = "";
    public string ID { get; init; } = "";
    public List<FieldDiff>? Fields { get; init; }
    public List<ObjectDiff>? Objects { get; init; }
    public List<TaskGroupDiff>? TaskGroups { get; init; }
}

public sealed record TaskGroupDiff
{
    public string Type { get; init; } = "";
    public string Name { get; init; } = "";
    public List<FieldDiff>? Fields { get; init; }
    public List<ObjectDiff>? Objects { get; init; }
    public List<TaskDiff>? Tasks { get; init; }
    /// <summary>Update type ("create", "destroy", "in-place update", ...) → count.</summary>
    public Dictionary<string, ulong>? Updates { get; init; }
}

public sealed record TaskDiff
{
    public string Type { get; init; } = "";
    public string Name { get; init; } = "";
    public List<FieldDiff>? Fields { get; init; }
    public List<ObjectDiff>? Objects { get; init; }
    public List<string>? Annotations { get; init; }
}

public sealed record FieldDiff
{
    public string Type { get; init; } = "";
    public string Name { get; init; } = "";
    public string Old { get; init; } = "";
    public string New { get; init; } = "";
    public List<string>? Annotations { get; init; }
}

public sealed record ObjectDiff
{
    public string Type { get; init; } = "";
    public string Name { get; init; } = "";
    public List<FieldDiff>? Fields { get; init; }
    public List<ObjectDiff>? Objects { get; init; }
}
