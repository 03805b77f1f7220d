namespace Nomad.Agent.Structs;

/// <summary>The short form of a job that /v1/jobs lists (Nomad's JobListStub).</summary>
public sealed record JobListStub
{
    public string ID { get; init; } = "";
    public string ParentID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public List<string> Datacenters { get; init; } = new();
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

    public static JobListStub From(Job j, JobSummary? summary) => new()
    {
        ID = j.ID,
        ParentID = j.ParentID,
        Name = j.Name,
        Namespace = j.Namespace,
        Datacenters = j.Datacenters,
        Type = j.Type,
        Priority = j.Priority,
        Periodic = j.Periodic is not null,
        ParameterizedJob = j.IsParameterized,
        Stop = j.Stop,
        Status = j.Status,
        StatusDescription = j.StatusDescription,
        JobSummary = summary,
        CreateIndex = j.CreateIndex,
        ModifyIndex = j.ModifyIndex,
        JobModifyIndex = j.JobModifyIndex,
        SubmitTime = j.SubmitTime,
    };
}
