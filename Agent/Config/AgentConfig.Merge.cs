namespace Nomad.Agent.Config;

// Merging: a later source (file, flags) laid over an earlier one, field by field as Nomad's Config.Merge does.
// Where Nomad's field is a plain value its zero means "not set": an empty string, a 0 number or duration never
// overrides, and a bool can only be turned on (`client { enabled = false }` in a later file leaves the client that
// -dev or an earlier file enabled). Where Nomad's field is a pointer (num_schedulers, raft_multiplier, the node GC
// thresholds) any value given wins. Maps merge key by key; the address lists (client.servers, start_join, retry_join)
// add up, as Nomad appends them (each address once); Files accumulate.
public sealed partial record AgentConfig
{
    public AgentConfig Merge(AgentConfig later) => new()
    {
        Region = NonEmpty(Region, later.Region),
        Datacenter = NonEmpty(Datacenter, later.Datacenter),
        NodeName = NonEmpty(NodeName, later.NodeName),
        DataDir = NonEmpty(DataDir, later.DataDir),
        BindAddr = NonEmpty(BindAddr, later.BindAddr),
        LogLevel = NonEmpty(LogLevel, later.LogLevel),
        PluginDir = NonEmpty(PluginDir, later.PluginDir),
        LeaveOnInterrupt = OnlyTurnsOn(LeaveOnInterrupt, later.LeaveOnInterrupt),
        LeaveOnTerminate = OnlyTurnsOn(LeaveOnTerminate, later.LeaveOnTerminate),
        DevMode = OnlyTurnsOn(DevMode, later.DevMode),
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

    /// <summary>A bool Nomad keeps as a plain bool: a later true turns it on, a later false changes nothing.</summary>
    internal static bool? OnlyTurnsOn(bool? earlier, bool? later) => later == true ? true : earlier ?? later;

    /// <summary>A string Nomad keeps as a plain string: empty is unset.</summary>
    internal static string? NonEmpty(string? earlier, string? later) => string.IsNullOrEmpty(later) ? earlier : later;

    /// <summary>A number or duration Nomad keeps as a plain value: zero is unset.</summary>
    internal static T? NonZero<T>(T? earlier, T? later) where T : struct, IEquatable<T> =>
        later is { } v && !v.Equals(default) ? later : earlier;

    /// <summary>A list Nomad appends to: the earlier entries, then the later ones not already there.</summary>
    internal static List<string>? Append(List<string>? earlier, List<string>? later) =>
        earlier is null || later is null ? later ?? earlier : [.. earlier.Concat(later).Distinct()];

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
        Http = AgentConfig.NonZero(Http, later.Http),
        Rpc = AgentConfig.NonZero(Rpc, later.Rpc),
        Serf = AgentConfig.NonZero(Serf, later.Serf),
    };
}

public sealed partial record Addresses
{
    public Addresses Merge(Addresses later) => new()
    {
        Http = AgentConfig.NonEmpty(Http, later.Http),
        Rpc = AgentConfig.NonEmpty(Rpc, later.Rpc),
        Serf = AgentConfig.NonEmpty(Serf, later.Serf),
    };
}

public sealed partial record ServerConfig
{
    public ServerConfig Merge(ServerConfig later) => new()
    {
        Enabled = AgentConfig.OnlyTurnsOn(Enabled, later.Enabled),
        BootstrapExpect = AgentConfig.NonZero(BootstrapExpect, later.BootstrapExpect),
        DataDir = AgentConfig.NonEmpty(DataDir, later.DataDir),
        NumSchedulers = later.NumSchedulers ?? NumSchedulers,
        HeartbeatGrace = AgentConfig.NonZero(HeartbeatGrace, later.HeartbeatGrace),
        MinHeartbeatTtl = AgentConfig.NonZero(MinHeartbeatTtl, later.MinHeartbeatTtl),
        MaxHeartbeatsPerSecond = AgentConfig.NonZero(MaxHeartbeatsPerSecond, later.MaxHeartbeatsPerSecond),
        FailoverHeartbeatTtl = AgentConfig.NonZero(FailoverHeartbeatTtl, later.FailoverHeartbeatTtl),
        RaftMultiplier = later.RaftMultiplier ?? RaftMultiplier,
        NodeGcThreshold = later.NodeGcThreshold ?? NodeGcThreshold,
        NodeGcInterval = later.NodeGcInterval ?? NodeGcInterval,
        JobGcThreshold = later.JobGcThreshold ?? JobGcThreshold,
        EvalGcThreshold = later.EvalGcThreshold ?? EvalGcThreshold,
        StartJoin = AgentConfig.Append(StartJoin, later.StartJoin),
        RetryJoin = AgentConfig.Append(RetryJoin, later.RetryJoin),
        RetryInterval = AgentConfig.NonZero(RetryInterval, later.RetryInterval),
        RetryMaxAttempts = AgentConfig.NonZero(RetryMaxAttempts, later.RetryMaxAttempts),
        RejoinAfterLeave = AgentConfig.OnlyTurnsOn(RejoinAfterLeave, later.RejoinAfterLeave),
    };
}

public sealed partial record ClientConfig
{
    public ClientConfig Merge(ClientConfig later) => new()
    {
        Enabled = AgentConfig.OnlyTurnsOn(Enabled, later.Enabled),
        Servers = AgentConfig.Append(Servers, later.Servers),
        StateDir = AgentConfig.NonEmpty(StateDir, later.StateDir),
        AllocDir = AgentConfig.NonEmpty(AllocDir, later.AllocDir),
        NodeClass = AgentConfig.NonEmpty(NodeClass, later.NodeClass),
        Meta = AgentConfig.MergeMaps(Meta, later.Meta),
        Options = AgentConfig.MergeMaps(Options, later.Options),
        NetworkInterface = AgentConfig.NonEmpty(NetworkInterface, later.NetworkInterface),
        NetworkSpeed = AgentConfig.NonZero(NetworkSpeed, later.NetworkSpeed),
        GcInterval = AgentConfig.NonZero(GcInterval, later.GcInterval),
        GcMaxAllocs = AgentConfig.NonZero(GcMaxAllocs, later.GcMaxAllocs),
        GcDiskUsageThreshold = AgentConfig.NonZero(GcDiskUsageThreshold, later.GcDiskUsageThreshold),
        Reserved = Reserved.Merge(later.Reserved),
        HostVolumes = AgentConfig.MergeMaps(HostVolumes, later.HostVolumes),
        Artifact = Artifact.Merge(later.Artifact),
    };
}

public sealed partial record ReservedConfig
{
    public ReservedConfig Merge(ReservedConfig later) => new()
    {
        Cpu = AgentConfig.NonZero(Cpu, later.Cpu),
        MemoryMB = AgentConfig.NonZero(MemoryMB, later.MemoryMB),
        DiskMB = AgentConfig.NonZero(DiskMB, later.DiskMB),
        ReservedPorts = AgentConfig.NonEmpty(ReservedPorts, later.ReservedPorts),
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
