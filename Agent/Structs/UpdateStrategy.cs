namespace Nomad.Agent.Structs;

/// <summary>A job's rolling-update settings (Nomad's "Update"); durations are nanoseconds.</summary>
public sealed record UpdateStrategy
{
    public long Stagger { get; init; }
    public int MaxParallel { get; init; }
    public string HealthCheck { get; init; } = "";
    public long MinHealthyTime { get; init; }
    public long HealthyDeadline { get; init; }
    public long ProgressDeadline { get; init; }
    public bool AutoRevert { get; init; }
    public bool AutoPromote { get; init; }
    public int Canary { get; init; }
}
