using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>How a node is drained (Nomad's DrainStrategy). Durations are nanoseconds.</summary>
public sealed record DrainStrategy
{
    /// <summary>How long allocations may take to move before they are stopped; -1 forces at once.</summary>
    public long Deadline { get; init; }
    /// <summary>Leave system jobs' allocations in place.</summary>
    public bool IgnoreSystemJobs { get; init; }
    /// <summary>Unix nanoseconds when the deadline passes; 0 with no deadline. A time.Time in JSON.</summary>
    [JsonConverter(typeof(GoTimeNanosConverter))]
    public long ForceDeadline { get; init; }
    /// <summary>Unix nanoseconds when the drain started. A time.Time in JSON.</summary>
    [JsonConverter(typeof(GoTimeNanosConverter))]
    public long StartedAt { get; init; }
}
