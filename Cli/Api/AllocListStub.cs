using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>One allocation as the list endpoints return it (Nomad's api.AllocationListStub).</summary>
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
    public string DesiredStatus { get; init; } = "";
    public string DesiredDescription { get; init; } = "";
    public string ClientStatus { get; init; } = "";
    public string ClientDescription { get; init; } = "";
    public Dictionary<string, TaskState>? TaskStates { get; init; }
    public DesiredTransition? DesiredTransition { get; init; }
    public string FollowupEvalID { get; init; } = "";
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long CreateTime { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long ModifyTime { get; init; }
}
