namespace Nomad.Agent.Server;

/// <summary>What a server needs from the agent configuration, resolved (no nulls).</summary>
public sealed record ServerOptions
{
    public required string NodeName { get; init; }
    public required string Region { get; init; }
    public required string Datacenter { get; init; }
    /// <summary>This server's stable ID (gossip tag `id`).</summary>
    public required string ServerId { get; init; }
    public required string RpcAdvertise { get; init; }
    public required string SerfAddress { get; init; }
    public required int SerfPort { get; init; }
    public int BootstrapExpect { get; init; } = 1;
    public int NumSchedulers { get; init; } = Environment.ProcessorCount;
    public HeartbeatPolicy Heartbeat { get; init; } = HeartbeatPolicy.Default;
    public TimeSpan NodeGcThreshold { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan NodeGcInterval { get; init; } = TimeSpan.FromMinutes(5);
    public required string Build { get; init; }
    /// <summary>Makes the scheduler for an evaluation; null means Nomad's own (service, batch, system). Tests bring fakes.</summary>
    public SchedulerFactory? SchedulerFactory { get; init; }
    public EvalBrokerOptions EvalBroker { get; init; } = new();
    /// <summary>How old a terminal evaluation must be before GC removes it (eval_gc_threshold).</summary>
    public TimeSpan EvalGcThreshold { get; init; } = TimeSpan.FromHours(1);
    /// <summary>How old a dead job must be before GC removes it (job_gc_threshold).</summary>
    public TimeSpan JobGcThreshold { get; init; } = TimeSpan.FromHours(4);
    /// <summary>How often job/evaluation GC runs (Nomad: 5m).</summary>
    public TimeSpan CoreGcInterval { get; init; } = TimeSpan.FromMinutes(5);

    /// <summary>The gossip member name, `name.region` as Nomad's.</summary>
    public string MemberName => $"{NodeName}.{Region}";
}
