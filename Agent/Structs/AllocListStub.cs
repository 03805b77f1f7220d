namespace Nomad.Agent.Structs;

/// <summary>The short form of an allocation that allocation lists return (Nomad's AllocListStub).</summary>
public sealed record AllocListStub
{
    public string ID { get; init; } = "";
    public string EvalID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public string NodeID { get; init; } = "";
    public string NodeName { get; init; } = "";
    public string JobID { get; init; } = "";
    public string JobType { get; init; } = "";
    public ulong JobVersion { get; init; }
    public string TaskGroup { get; init; } = "";
    /// <summary>Only with <c>?resources=true</c>; null otherwise, as Nomad's stub.</summary>
    public AllocatedResources? AllocatedResources { get; init; }
    public string DesiredStatus { get; init; } = "";
    public string DesiredDescription { get; init; } = "";
    public string ClientStatus { get; init; } = "";
    public string ClientDescription { get; init; } = "";
    public DesiredTransition DesiredTransition { get; init; } = new();
    public Dictionary<string, TaskState>? TaskStates { get; init; }
    /// <summary>The health the client reported (null until it did).</summary>
    public AllocDeploymentStatus? DeploymentStatus { get; init; }
    public string FollowupEvalID { get; init; } = "";
    public string NextAllocation { get; init; } = "";
    public RescheduleTracker? RescheduleTracker { get; init; }
    public List<string>? PreemptedAllocations { get; init; }
    public string PreemptedByAllocation { get; init; } = "";
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
    public ulong AllocModifyIndex { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long CreateTime { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long ModifyTime { get; init; }

    public static AllocListStub From(Allocation a) => From(a, resources: false);

    /// <summary>The stub of <paramref name="a"/>; with <paramref name="resources"/> (<c>?resources=true</c>) its allocated resources too.</summary>
    public static AllocListStub From(Allocation a, bool resources) => new()
    {
        ID = a.ID,
        EvalID = a.EvalID,
        Name = a.Name,
        Namespace = a.Namespace,
        NodeID = a.NodeID,
        NodeName = a.NodeName,
        JobID = a.JobID,
        JobType = a.Job?.Type ?? "",
        JobVersion = a.Job?.Version ?? 0,
        TaskGroup = a.TaskGroup,
        AllocatedResources = resources ? a.AllocatedResources : null,
        DesiredStatus = a.DesiredStatus,
        DesiredDescription = a.DesiredDescription,
        ClientStatus = a.ClientStatus,
        ClientDescription = a.ClientDescription,
        DesiredTransition = a.DesiredTransition,
        TaskStates = a.TaskStates,
        DeploymentStatus = a.DeploymentStatus,
        PreemptedAllocations = a.PreemptedAllocations,
        PreemptedByAllocation = a.PreemptedByAllocation,
        NextAllocation = a.NextAllocation,
        RescheduleTracker = a.RescheduleTracker,
        CreateIndex = a.CreateIndex,
        ModifyIndex = a.ModifyIndex,
        AllocModifyIndex = a.AllocModifyIndex,
        CreateTime = a.CreateTime,
        ModifyTime = a.ModifyTime,
    };
}
