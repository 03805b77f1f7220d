namespace Nomad.Agent.Structs;

/// <summary>How a task group's tasks are restarted in place. Durations are nanoseconds.</summary>
public sealed record RestartPolicy
{
    public int Attempts { get; init; }
    public long Interval { get; init; }
    public long Delay { get; init; }
    public string Mode { get; init; } = RestartMode.Fail;

    private const long Second = 1_000_000_000, Minute = 60 * Second, Hour = 60 * Minute;

    public static readonly RestartPolicy ServiceDefault = new() { Attempts = 2, Interval = 30 * Minute, Delay = 15 * Second, Mode = RestartMode.Fail };
    public static readonly RestartPolicy BatchDefault = new() { Attempts = 3, Interval = 24 * Hour, Delay = 15 * Second, Mode = RestartMode.Fail };

    /// <summary>Nomad's default: batch and sysbatch jobs get the batch policy, service and system jobs the service one.</summary>
    public static RestartPolicy ForJobType(string type) => type is JobType.Batch or JobType.SysBatch ? BatchDefault : ServiceDefault;
}

public static class RestartMode
{
    public const string Fail = "fail";
    public const string Delay = "delay";
}
