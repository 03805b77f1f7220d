namespace Nomad.Agent.Structs;

/// <summary>
/// The cluster's scheduler settings (Nomad's SchedulerConfiguration, /v1/operator/scheduler/configuration), kept in
/// the replicated state; the defaults are Nomad's: binpack, preemption for system jobs only.
/// </summary>
public sealed record SchedulerConfiguration
{
    public const string BinPack = "binpack";
    public const string Spread = "spread";

    public string SchedulerAlgorithm { get; init; } = BinPack;
    public PreemptionConfig PreemptionConfig { get; init; } = new();
    public bool MemoryOversubscriptionEnabled { get; init; }
    public bool RejectJobRegistration { get; init; }
    public bool PauseEvalBroker { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    /// <summary>Whether the scheduler of <paramref name="jobType"/> may evict lower-priority allocations.</summary>
    public bool PreemptionEnabled(string jobType) => jobType switch
    {
        JobType.System => PreemptionConfig.SystemSchedulerEnabled,
        JobType.Service => PreemptionConfig.ServiceSchedulerEnabled,
        JobType.Batch => PreemptionConfig.BatchSchedulerEnabled,
        "sysbatch" => PreemptionConfig.SysBatchSchedulerEnabled,
        _ => false,
    };
}

/// <summary>Which schedulers may preempt (Nomad's PreemptionConfig).</summary>
public sealed record PreemptionConfig
{
    public bool SystemSchedulerEnabled { get; init; } = true;
    public bool SysBatchSchedulerEnabled { get; init; }
    public bool BatchSchedulerEnabled { get; init; }
    public bool ServiceSchedulerEnabled { get; init; }
}
