namespace Nomad.Agent.Config;

// What -dev implies, and Nomad's defaults for whatever no file or flag set.
public sealed partial record AgentConfig
{
    /// <summary>
    /// The base that <c>-dev</c> starts from (files and flags are merged over it): one local node that is
    /// both server and client, bound to loopback, verbose, bootstrapping alone, with raw_exec enabled.
    /// </summary>
    public static AgentConfig DevDefaults() => new()
    {
        DevMode = true,
        BindAddr = "127.0.0.1",
        LogLevel = "DEBUG",
        Server = new ServerConfig { Enabled = true, BootstrapExpect = 1 },
        // As Nomad's -dev: the node's network is the loopback interface.
        Client = new ClientConfig { Enabled = true, NetworkInterface = "lo" },
        Plugins = new()
        {
            ["raw_exec"] = new PluginConfig { Name = "raw_exec", Config = new() { ["enabled"] = true } },
        },
    };

    /// <summary>
    /// A copy with every unset field given Nomad's default. Directories under data_dir (plugins, server,
    /// client, alloc) are derived only when data_dir is set; addresses default to bind_addr; advertise
    /// addresses stay unset (they are worked out at start-up).
    /// </summary>
    public AgentConfig WithDefaults()
    {
        string bind = BindAddr ?? "0.0.0.0";
        string? Under(string sub) => DataDir is null ? null : Path.Combine(DataDir, sub);
        return this with
        {
            Region = Region ?? "global",
            Datacenter = Datacenter ?? "dc1",
            NodeName = NodeName ?? System.Net.Dns.GetHostName(),
            BindAddr = bind,
            LogLevel = LogLevel ?? "INFO",
            PluginDir = PluginDir ?? Under("plugins"),
            LeaveOnInterrupt = LeaveOnInterrupt ?? false,
            LeaveOnTerminate = LeaveOnTerminate ?? false,
            DevMode = DevMode ?? false,
            Ports = new Ports { Http = Ports.Http ?? 4646, Rpc = Ports.Rpc ?? 4647, Serf = Ports.Serf ?? 4648 },
            Addresses = new Addresses { Http = Addresses.Http ?? bind, Rpc = Addresses.Rpc ?? bind, Serf = Addresses.Serf ?? bind },
            Server = Server with
            {
                Enabled = Server.Enabled ?? false,
                DataDir = Server.DataDir ?? Under("server"),
                NumSchedulers = Server.NumSchedulers ?? Environment.ProcessorCount,
                HeartbeatGrace = Server.HeartbeatGrace ?? TimeSpan.FromSeconds(10),
                MinHeartbeatTtl = Server.MinHeartbeatTtl ?? TimeSpan.FromSeconds(10),
                MaxHeartbeatsPerSecond = Server.MaxHeartbeatsPerSecond ?? 50.0,
                FailoverHeartbeatTtl = Server.FailoverHeartbeatTtl ?? TimeSpan.FromMinutes(5),
                RaftMultiplier = Server.RaftMultiplier is null or 0 ? 1 : Server.RaftMultiplier,
                NodeGcThreshold = Server.NodeGcThreshold ?? TimeSpan.FromHours(24),
                NodeGcInterval = Server.NodeGcInterval ?? TimeSpan.FromMinutes(5),
                JobGcThreshold = Server.JobGcThreshold ?? TimeSpan.FromHours(4),
                EvalGcThreshold = Server.EvalGcThreshold ?? TimeSpan.FromHours(1),
                StartJoin = Server.StartJoin ?? [],
                RetryJoin = Server.RetryJoin ?? [],
                RetryInterval = Server.RetryInterval ?? TimeSpan.FromSeconds(30),
                RetryMaxAttempts = Server.RetryMaxAttempts ?? 0, // 0: retry forever
                RejoinAfterLeave = Server.RejoinAfterLeave ?? false,
                // BootstrapExpect stays unset: such a server waits to be joined to a cluster.
            },
            Client = Client with
            {
                Enabled = Client.Enabled ?? false,
                Servers = Client.Servers ?? [],
                StateDir = Client.StateDir ?? Under("client"),
                AllocDir = Client.AllocDir ?? Under("alloc"),
                Meta = Client.Meta ?? [],
                Options = Client.Options ?? [],
                NetworkSpeed = Client.NetworkSpeed ?? 0, // 0: fingerprint it
                GcInterval = Client.GcInterval ?? TimeSpan.FromMinutes(1),
                GcMaxAllocs = Client.GcMaxAllocs ?? 50,
                GcDiskUsageThreshold = Client.GcDiskUsageThreshold ?? 80,
                Reserved = new ReservedConfig
                {
                    Cpu = Client.Reserved.Cpu ?? 0,
                    MemoryMB = Client.Reserved.MemoryMB ?? 0,
                    DiskMB = Client.Reserved.DiskMB ?? 0,
                    ReservedPorts = Client.Reserved.ReservedPorts ?? "",
                },
            },
        };
    }
}
