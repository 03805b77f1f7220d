using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>One job as GET /v1/jobs lists it (Nomad's api.JobListStub).</summary>
public sealed record JobListStub
{
    public string ID { get; init; } = "";
    public string ParentID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public List<string>? Datacenters { get; init; }
    public string Type { get; init; } = "";
    public int Priority { get; init; }
    public bool Periodic { get; init; }
    public bool ParameterizedJob { get; init; }
    public bool Stop { get; init; }
    public string Status { get; init; } = "";
    public string StatusDescription { get; init; } = "";
    public JobSummary? JobSummary { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
    public ulong JobModifyIndex { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long SubmitTime { get; init; }
}
