namespace Nomad.Agent.Structs;

/// <summary>How failed allocations are replaced on other nodes. Durations are nanoseconds.</summary>
public sealed record ReschedulePolicy
{
    public int Attempts { get; init; }
    public long Interval { get; init; }
    public long Delay { get; init; }
    public string DelayFunction { get; init; } = "";
    public long MaxDelay { get; init; }
    public bool Unlimited { get; init; }

    private const long Second = 1_000_000_000, Minute = 60 * Second, Hour = 60 * Minute;

    public static readonly ReschedulePolicy ServiceDefault = new()
    {
        Attempts = 0, Interval = 0, Delay = 30 * Second, DelayFunction = "exponential", MaxDelay = Hour, Unlimited = true,
    };

    public static readonly ReschedulePolicy BatchDefault = new()
    {
        Attempts = 1, Interval = 24 * Hour, Delay = 5 * Second, DelayFunction = "constant", MaxDelay = 0, Unlimited = false,
    };

    public static readonly IReadOnlyList<string> DelayFunctions = ["constant", "exponential", "fibonacci"];

    /// <summary>Nomad's default by job type; system jobs have none.</summary>
    public static ReschedulePolicy? ForJobType(string type) => type switch
    {
        JobType.Batch => BatchDefault,
        JobType.System => null,
        // The api's catch-all: all zero, so never rescheduled.
        JobType.SysBatch => new ReschedulePolicy(),
        _ => ServiceDefault,
    };
}
