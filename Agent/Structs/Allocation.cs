namespace Nomad.Agent.Structs;

/// <summary>One placed instance of a task group; JSON names follow /v1/allocation/:id.</summary>
public sealed record Allocation
{
    public string ID { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public string EvalID { get; init; } = "";
    /// <summary><c>job.group[index]</c>.</summary>
    public string Name { get; init; } = "";
    public string NodeID { get; init; } = "";
    public string NodeName { get; init; } = "";
    public string JobID { get; init; } = "";
    public Job? Job { get; init; }
    public string TaskGroup { get; init; } = "";
    public AllocatedResources AllocatedResources { get; init; } = new();
    public AllocMetric? Metrics { get; init; }
    public string DesiredStatus { get; init; } = AllocDesiredStatus.Run;
    public string DesiredDescription { get; init; } = "";
    public string ClientStatus { get; init; } = AllocClientStatus.Pending;
    public string ClientDescription { get; init; } = "";
    public Dictionary<string, TaskState>? TaskStates { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
    public ulong AllocModifyIndex { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long CreateTime { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long ModifyTime { get; init; }

    public static string MakeName(string job, string group, int index) => $"{job}.{group}[{index}]";

    /// <summary>True once the servers want it stopped or the client reports it finished.</summary>
    public bool IsTerminal =>
        DesiredStatus is AllocDesiredStatus.Stop or AllocDesiredStatus.Evict
        || ClientStatus is AllocClientStatus.Complete or AllocClientStatus.Failed or AllocClientStatus.Lost;
}
