using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>
/// The health the client reported for an allocation (Nomad's AllocDeploymentStatus): set once its tasks have run
/// for the group's min_healthy_time (healthy) or one failed or the healthy_deadline passed (unhealthy). The drainer
/// counts it for migrate's max_parallel; deployments read it too.
/// </summary>
public sealed record AllocDeploymentStatus
{
    /// <summary>Null while the health is not known yet.</summary>
    public bool? Healthy { get; init; }
    /// <summary>When the health was decided, Unix nanoseconds (a Go time: RFC 3339 in the API).</summary>
    [JsonConverter(typeof(GoTimeNanosConverter))]
    public long Timestamp { get; init; }
    public bool Canary { get; init; }
    /// <summary>The Raft index at which the servers recorded it.</summary>
    public ulong ModifyIndex { get; init; }

    /// <summary>Nomad's HasHealth: healthy or unhealthy, either way decided.</summary>
    [JsonIgnore]
    public bool HasHealth => Healthy is not null;
}
