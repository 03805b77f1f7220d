namespace Nomad.Agent.Structs;

/// <summary>A job as Nomad's /v1/job/:id returns it. Initial values are Nomad's defaults (api Job.Canonicalize).</summary>
public sealed record Job
{
    public string ID { get; init; } = "";
    public string Name { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public string Region { get; init; } = "global";
    public string Type { get; init; } = JobType.Service;
    public int Priority { get; init; } = 50;
    public bool AllAtOnce { get; init; }
    public List<string> Datacenters { get; init; } = new();
    public List<Constraint>? Constraints { get; init; }
    public List<Affinity>? Affinities { get; init; }
    public List<Spread>? Spreads { get; init; }
    public List<TaskGroup> TaskGroups { get; init; } = new();
    public UpdateStrategy? Update { get; init; }
    public Dictionary<string, string>? Meta { get; init; }
    public PeriodicConfig? Periodic { get; init; }
    public ParameterizedJobConfig? ParameterizedJob { get; init; }
    /// <summary>The parent's ID for a periodic launch or a dispatched job.</summary>
    public string ParentID { get; init; } = "";
    public bool Dispatched { get; init; }

    /// <summary>
    /// Nomad's IsParameterized: a parameterized job not dispatched yet, a template that is never placed itself. A
    /// dispatched child keeps its parent's block (and, with periodic, is launched on schedule).
    /// </summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool IsParameterized => ParameterizedJob is not null && !Dispatched;
    /// <summary>The idempotency token a dispatch was made with: another dispatch with it returns this job.</summary>
    public string DispatchIdempotencyToken { get; init; } = "";
    /// <summary>A dispatched job's payload (base64 in JSON).</summary>
    public byte[]? Payload { get; init; }
    public string Status { get; init; } = JobStatus.Pending;
    public string StatusDescription { get; init; } = "";
    public bool Stop { get; init; }
    public bool Stable { get; init; }
    public ulong Version { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long SubmitTime { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
    public ulong JobModifyIndex { get; init; }
}
