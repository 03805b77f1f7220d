using System.Text.Json.Nodes;

namespace Nomad.Agent.Jobspec.Api;

/// <summary>
/// Nomad 1.4's api.Job: what a job file decodes to and what <c>nomad job run -output</c> and /v1/jobs/parse show.
/// Properties are in Go's field order; a null is Go's nil pointer, slice or map (written as JSON null).
/// Durations are int64 nanoseconds. Maps are kept sorted by key, as Go's encoding/json writes them.
/// </summary>
public sealed class Job
{
    public string? Region { get; set; }
    public string? Namespace { get; set; }
    public string? ID { get; set; }
    public string? Name { get; set; }
    public string? Type { get; set; }
    public int? Priority { get; set; }
    public bool? AllAtOnce { get; set; }
    public List<string>? Datacenters { get; set; }
    public List<Constraint>? Constraints { get; set; }
    public List<Affinity>? Affinities { get; set; }
    public List<TaskGroup>? TaskGroups { get; set; }
    public UpdateStrategy? Update { get; set; }
    public Multiregion? Multiregion { get; set; }
    public List<Spread>? Spreads { get; set; }
    public PeriodicConfig? Periodic { get; set; }
    public ParameterizedJobConfig? ParameterizedJob { get; set; }
    public ReschedulePolicy? Reschedule { get; set; }
    public MigrateStrategy? Migrate { get; set; }
    public SortedList<string, string>? Meta { get; set; }
    public string? ConsulToken { get; set; }
    public string? VaultToken { get; set; }
    public bool? Stop { get; set; }
    public string? ParentID { get; set; }
    public bool Dispatched { get; set; }
    public string? DispatchIdempotencyToken { get; set; }
    /// <summary>Go's []byte: base64 in JSON, null when unset.</summary>
    /// <remarks>Held as its base64 text: the generated JSON writer would write a null byte array as "".</remarks>
    public string? Payload { get; set; }
    public string? ConsulNamespace { get; set; }
    public string? VaultNamespace { get; set; }
    public string? NomadTokenID { get; set; }
    public string? Status { get; set; }
    public string? StatusDescription { get; set; }
    public bool? Stable { get; set; }
    public ulong? Version { get; set; }
    public long? SubmitTime { get; set; }
    public ulong? CreateIndex { get; set; }
    public ulong? ModifyIndex { get; set; }
    public ulong? JobModifyIndex { get; set; }
}

/// <summary>api.PeriodicConfig (<c>periodic</c>; <c>cron</c> is Spec, <c>crons</c> is Specs).</summary>
public sealed class PeriodicConfig
{
    public bool? Enabled { get; set; }
    public string? Spec { get; set; }
    /// <summary>Nomad 1.6's <c>crons</c>: written only when set, so the output of every other job stays Nomad 1.4's.</summary>
    [System.Text.Json.Serialization.JsonIgnore(Condition = System.Text.Json.Serialization.JsonIgnoreCondition.WhenWritingNull)]
    public List<string>? Specs { get; set; }
    public string? SpecType { get; set; }
    public bool? ProhibitOverlap { get; set; }
    public string? TimeZone { get; set; }
}

/// <summary>api.ParameterizedJobConfig (<c>parameterized</c>).</summary>
public sealed class ParameterizedJobConfig
{
    public string Payload { get; set; } = "";
    public List<string>? MetaRequired { get; set; }
    public List<string>? MetaOptional { get; set; }
}

/// <summary>api.Multiregion (<c>multiregion</c> with <c>strategy</c> and <c>region "name"</c> blocks).</summary>
public sealed class Multiregion
{
    public MultiregionStrategy? Strategy { get; set; }
    public List<MultiregionRegion>? Regions { get; set; }
}

public sealed class MultiregionStrategy
{
    public int? MaxParallel { get; set; }
    public string? OnFailure { get; set; }
}

public sealed class MultiregionRegion
{
    public string Name { get; set; } = "";
    public int? Count { get; set; }
    public List<string>? Datacenters { get; set; }
    public SortedList<string, string>? Meta { get; set; }
}
