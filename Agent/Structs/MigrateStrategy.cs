namespace Nomad.Agent.Structs;

/// <summary>How a drain moves a group's allocations (Nomad's "MigrateStrategy"); durations are nanoseconds.</summary>
public sealed record MigrateStrategy
{
    public int MaxParallel { get; init; } = 1;
    public string HealthCheck { get; init; } = "checks";
    public long MinHealthyTime { get; init; } = 10_000_000_000;
    public long HealthyDeadline { get; init; } = 300_000_000_000;
}
