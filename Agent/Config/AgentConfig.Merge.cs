namespace Nomad.Agent.Config;

// Merging: a later source (file, flags) laid over an earlier one. Set fields of the later win;
// maps merge key by key; lists are replaced whole; Files accumulate.
public sealed partial record AgentConfig
{
    public AgentConfig Merge(AgentConfig later) => new()
    {
        Region = later.Region ?? Region,
        Datacenter = later.Datacenter ?? Datacenter,
        NodeName = later.NodeName ?? NodeName,
        DataDir = later.DataDir ?? DataDir,
        BindAddr = later.BindAddr ?? BindAddr,
        LogLevel = later.LogLevel ?? LogLevel,
        PluginDir = later.PluginDir ?? PluginDir,
        LeaveOnInterrupt = later.LeaveOnInterrupt ?? LeaveOnInterrupt,
        LeaveOnTerminate = later.LeaveOnTerminate ?? LeaveOnTerminate,
        DevMode = later.DevMode ?? DevMode,
        Ports = Ports.Merge(later.Ports),
        Addresses = Addresses.Merge(later.Addresses),
        Advertise = Advertise.Merge(later.Advertise),
        Server = Server.Merge(later.Server),
        Client = Client.Merge(later.Client),
        Plugins = MergePlugins(Plugins, later.Plugins),
        Files = [.. Files, .. later.Files],
        Unsupported = [.. Unsupported, .. later.Unsupported],
    };

    private static Dictionary<string, PluginConfig> MergePlugins(
        Dictionary<string, PluginConfig> earlier, Dictionary<string, PluginConfig> later)
    {
        var merged = new Dictionary<string, PluginConfig>(earlier, StringComparer.Ordinal);
        foreach (var (name, p) in later)
            merged[name] = merged.TryGetValue(name, out var e) ? e.Merge(p) : p;
        return merged;
    }

    internal static Dictionary<TKey, TValue>? MergeMaps<TKey, TValue>(Dictionary<TKey, TValue>? earlier, Dictionary<TKey, TValue>? later)
        where TKey : notnull
    {
        if (earlier == null || later == null) return later ?? earlier;
        var merged = new Dictionary<TKey, TValue>(earlier, earlier.Comparer);
        foreach (var (k, v) in later) merged[k] = v;
        return merged;
    }
}

public sealed partial record Ports
{
    public Ports Merge(Ports later) => new()
    {
        Http = later.Http ?? Http,
        Rpc = later.Rpc ?? Rpc,
        Serf = later.Serf ?? Serf,
    };
}

public sealed partial record Addresses
{
    public Addresses Merge(Addresses later) => new()
    {
        Http = later.Http ?? Http,
        Rpc = later.Rpc ?? Rpc,
        Serf = later.Serf ?? Serf,
    };
}

public sealed partial record ServerConfig
{
    public ServerConfig Merge(ServerConfig later) => new()
    {
        Enabled = later.Enabled ?? Enabled,
        BootstrapExpect = later.BootstrapExpect ?? BootstrapExpect,
        DataDir = later.DataDir ?? DataDir,
        NumSchedulers = later.NumSchedulers ?? NumSchedulers,
        HeartbeatGrace = later.HeartbeatGrace ?? HeartbeatGrace,
        MinHeartbeatTtl = later.MinHeartbeatTtl ?? MinHeartbeatTtl,
        MaxHeartbeatsPerSecond = later.MaxHeartbeatsPerSecond ?? MaxHeartbeatsPerSecond,
        FailoverHeartbeatTtl = later.FailoverHeartbeatTtl ?? FailoverHeartbeatTtl,
        RaftMultiplier = later.RaftMultiplier ?? RaftMultiplier,
        NodeGcThreshold = later.NodeGcThreshold ?? NodeGcThreshold,
        NodeGcInterval = later.NodeGcInterval ?? NodeGcInterval,
        JobGcThreshold = later.JobGcThreshold ?? JobGcThreshold,
        EvalGcThreshold = later.EvalGcThreshold ?? EvalGcThreshold,
        StartJoin = later.StartJoin ?? StartJoin,
        RetryJoin = later.RetryJoin ?? RetryJoin,
        RetryInterval = later.RetryInterval ?? RetryInterval,
        RetryMaxAttempts = later.RetryMaxAttempts ?? RetryMaxAttempts,
        RejoinAfterLeave = later.RejoinAfterLeave ?? RejoinAfterLeave,
    };
}

public sealed partial record ClientConfig
{
    public ClientConfig Merge(ClientConfig later) => new()
    {
        Enabled = later.Enabled ?? Enabled,
        Servers = later.Servers ?? Servers,
        StateDir = later.StateDir ?? StateDir,
        AllocDir = later.AllocDir ?? AllocDir,
        NodeClass = later.NodeClass ?? NodeClass,
        Meta = AgentConfig.MergeMaps(Meta, later.Meta),
        Options = AgentConfig.MergeMaps(Options, later.Options),
        NetworkInterface = later.NetworkInterface ?? NetworkInterface,
        NetworkSpeed = later.NetworkSpeed ?? NetworkSpeed,
        GcInterval = later.GcInterval ?? GcInterval,
        GcMaxAllocs = later.GcMaxAllocs ?? GcMaxAllocs,
        GcDiskUsageThreshold = later.GcDiskUsageThreshold ?? GcDiskUsageThreshold,
        Reserved = Reserved.Merge(later.Reserved),
    };
}

public sealed partial record ReservedConfig
{
    public ReservedConfig Merge(ReservedConfig later) => new()
    {
        Cpu = later.Cpu ?? Cpu,
        MemoryMB = later.MemoryMB ?? MemoryMB,
        DiskMB = later.DiskMB ?? DiskMB,
        ReservedPorts = later.ReservedPorts ?? ReservedPorts,
    };
}

public sealed partial record PluginConfig
{
    /// <summary>Later args replace earlier ones; config keys merge (top level only), later winning.</summary>
    public PluginConfig Merge(PluginConfig later) => new()
    {
        Name = later.Name.Length > 0 ? later.Name : Name,
        Args = later.Args ?? Args,
        Config = AgentConfig.MergeMaps(Config, later.Config)!,
    };
}
