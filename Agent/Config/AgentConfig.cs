namespace Nomad.Agent.Config;

/// <summary>
/// The agent's configuration. Every field is nullable so that a file or a flag set only what it names;
/// <see cref="Merge"/> lays a later source over an earlier one and <c>WithDefaults</c> fills the rest.
/// Keys follow Nomad's agent configuration (HCL/JSON snake_case names in comments).
/// </summary>
public sealed partial record AgentConfig
{
    public string? Region { get; init; }              // region
    public string? Datacenter { get; init; }          // datacenter
    public string? NodeName { get; init; }            // name
    public string? DataDir { get; init; }             // data_dir
    public string? BindAddr { get; init; }            // bind_addr
    public string? LogLevel { get; init; }            // log_level
    public string? PluginDir { get; init; }           // plugin_dir
    public bool? LeaveOnInterrupt { get; init; }      // leave_on_interrupt
    public bool? LeaveOnTerminate { get; init; }      // leave_on_terminate
    public bool? DevMode { get; init; }               // -dev only
    public Ports Ports { get; init; } = new();        // ports { http rpc serf }
    public Addresses Addresses { get; init; } = new();// addresses { http rpc serf }
    public Addresses Advertise { get; init; } = new();// advertise { http rpc serf }
    public ServerConfig Server { get; init; } = new();// server { ... }
    public ClientConfig Client { get; init; } = new();// client { ... }
    /// <summary>plugin "NAME" { config { ... } }: the config block as a JSON-like tree (dictionaries, lists, strings, numbers, bools).</summary>
    public Dictionary<string, PluginConfig> Plugins { get; init; } = new();
    /// <summary>Files this configuration was read from, in order.</summary>
    public List<string> Files { get; init; } = new();
    /// <summary>Nomad keys this agent accepts but does not act on yet (`file:line: key`), for a warning at start.</summary>
    public List<string> Unsupported { get; init; } = new();
}

public sealed partial record Ports
{
    public int? Http { get; init; }
    public int? Rpc { get; init; }
    public int? Serf { get; init; }
}

public sealed partial record Addresses
{
    public string? Http { get; init; }
    public string? Rpc { get; init; }
    public string? Serf { get; init; }
}

public sealed partial record ServerConfig
{
    public bool? Enabled { get; init; }                      // enabled
    public int? BootstrapExpect { get; init; }               // bootstrap_expect
    public string? DataDir { get; init; }                    // data_dir
    public int? NumSchedulers { get; init; }                 // num_schedulers
    public TimeSpan? HeartbeatGrace { get; init; }           // heartbeat_grace
    public TimeSpan? MinHeartbeatTtl { get; init; }          // min_heartbeat_ttl
    public double? MaxHeartbeatsPerSecond { get; init; }     // max_heartbeats_per_second
    public TimeSpan? FailoverHeartbeatTtl { get; init; }     // failover_heartbeat_ttl
    public int? RaftMultiplier { get; init; }                // raft_multiplier
    public TimeSpan? NodeGcThreshold { get; init; }          // node_gc_threshold
    public TimeSpan? NodeGcInterval { get; init; }           // node_gc_interval (ours: how often node GC runs; Nomad: 5m)
    public TimeSpan? JobGcThreshold { get; init; }           // job_gc_threshold
    public TimeSpan? EvalGcThreshold { get; init; }          // eval_gc_threshold
    public List<string>? StartJoin { get; init; }            // start_join
    public List<string>? RetryJoin { get; init; }            // retry_join
    public TimeSpan? RetryInterval { get; init; }            // retry_interval
    public int? RetryMaxAttempts { get; init; }              // retry_max
    public bool? RejoinAfterLeave { get; init; }             // rejoin_after_leave
}

public sealed partial record ClientConfig
{
    public bool? Enabled { get; init; }                      // enabled
    public List<string>? Servers { get; init; }              // servers
    public string? StateDir { get; init; }                   // state_dir
    public string? AllocDir { get; init; }                   // alloc_dir
    public string? NodeClass { get; init; }                  // node_class
    public Dictionary<string, string>? Meta { get; init; }   // meta { }
    public Dictionary<string, string>? Options { get; init; }// options { }
    public string? NetworkInterface { get; init; }           // network_interface
    public int? NetworkSpeed { get; init; }                  // network_speed
    public TimeSpan? GcInterval { get; init; }               // gc_interval
    public int? GcMaxAllocs { get; init; }                   // gc_max_allocs
    public double? GcDiskUsageThreshold { get; init; }       // gc_disk_usage_threshold (percent)
    public ReservedConfig Reserved { get; init; } = new();   // reserved { cpu memory disk reserved_ports }
    public Dictionary<string, HostVolumeConfig>? HostVolumes { get; init; } // host_volume "name" { path read_only }
    public ArtifactConfig Artifact { get; init; } = new();   // artifact { }
}

/// <summary>client { host_volume "NAME" { path read_only } }.</summary>
public sealed record HostVolumeConfig
{
    public string Name { get; init; } = "";
    public string Path { get; init; } = "";
    public bool ReadOnly { get; init; }
}

public sealed partial record ReservedConfig
{
    public int? Cpu { get; init; }
    public int? MemoryMB { get; init; }
    public int? DiskMB { get; init; }
    public string? ReservedPorts { get; init; }
}

public sealed partial record PluginConfig
{
    public string Name { get; init; } = "";
    public List<string>? Args { get; init; }
    /// <summary>The plugin's config block; values are string, long, double, bool, List&lt;object?&gt; or Dictionary&lt;string, object?&gt;.</summary>
    public Dictionary<string, object?> Config { get; init; } = new();
}
