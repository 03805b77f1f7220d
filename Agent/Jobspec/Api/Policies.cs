namespace Nomad.Agent.Jobspec.Api;

/// <summary>api.RestartPolicy (<c>restart</c>).</summary>
public sealed class RestartPolicy
{
    public long? Interval { get; set; }
    public int? Attempts { get; set; }
    public long? Delay { get; set; }
    public string? Mode { get; set; }
}

/// <summary>api.ReschedulePolicy (<c>reschedule</c>).</summary>
public sealed class ReschedulePolicy
{
    public int? Attempts { get; set; }
    public long? Interval { get; set; }
    public long? Delay { get; set; }
    public string? DelayFunction { get; set; }
    public long? MaxDelay { get; set; }
    public bool? Unlimited { get; set; }
}

/// <summary>api.UpdateStrategy (<c>update</c>).</summary>
public sealed class UpdateStrategy
{
    public long? Stagger { get; set; }
    public int? MaxParallel { get; set; }
    public string? HealthCheck { get; set; }
    public long? MinHealthyTime { get; set; }
    public long? HealthyDeadline { get; set; }
    public long? ProgressDeadline { get; set; }
    public int? Canary { get; set; }
    public bool? AutoRevert { get; set; }
    public bool? AutoPromote { get; set; }
}

/// <summary>api.MigrateStrategy (<c>migrate</c>).</summary>
public sealed class MigrateStrategy
{
    public int? MaxParallel { get; set; }
    public string? HealthCheck { get; set; }
    public long? MinHealthyTime { get; set; }
    public long? HealthyDeadline { get; set; }
}

/// <summary>api.ScalingPolicy (group <c>scaling</c>, task <c>scaling "cpu"/"mem"</c>).</summary>
public sealed class ScalingPolicy
{
    public string ID { get; set; } = "";
    public string Namespace { get; set; } = "";
    public string Type { get; set; } = "";
    public SortedList<string, string>? Target { get; set; }
    public long? Min { get; set; }
    public long? Max { get; set; }
    public System.Text.Json.Nodes.JsonObject? Policy { get; set; }
    public bool? Enabled { get; set; }
    public ulong CreateIndex { get; set; }
    public ulong ModifyIndex { get; set; }
}
