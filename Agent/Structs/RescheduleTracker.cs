namespace Nomad.Agent.Structs;

/// <summary>The reschedules that led to an allocation, oldest first.</summary>
public sealed record RescheduleTracker
{
    public List<RescheduleEvent> Events { get; init; } = new();
}

public sealed record RescheduleEvent
{
    /// <summary>Unix nanoseconds.</summary>
    public long RescheduleTime { get; init; }
    public string PrevAllocID { get; init; } = "";
    public string PrevNodeID { get; init; } = "";
    /// <summary>Nanoseconds.</summary>
    public long Delay { get; init; }
}

/// <summary>What the servers want done with an allocation beyond its desired status.</summary>
public sealed record DesiredTransition
{
    /// <summary>Move it to another node (set while its node drains).</summary>
    public bool? Migrate { get; init; }
}
