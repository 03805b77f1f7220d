namespace Nomad.Agent.Structs;

/// <summary>A periodic job's schedule (Nomad's "PeriodicConfig"): <c>cron</c> is Spec; <c>crons</c> is Specs.</summary>
public sealed record PeriodicConfig
{
    public bool Enabled { get; init; } = true;
    public string Spec { get; init; } = "";
    public List<string>? Specs { get; init; }
    public string SpecType { get; init; } = "cron";
    public bool ProhibitOverlap { get; init; }
    public string TimeZone { get; init; } = "UTC";
}
