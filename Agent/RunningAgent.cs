using System.Net.Sockets;
using Nomad.Agent.Client;
using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Client.Artifacts;
using Nomad.Agent.Config;
using Nomad.Agent.Consensus;
using Nomad.Agent.Http;
using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;
using Nomad.Agent.Server;
using Nomad.Agent.State;
using Microsoft.Extensions.Logging;
using System.Text.Json;
using Nomad.Agent.Plugins;
using Nomad.Contracts;

namespace Nomad.Agent;

/// <summary>One running agent: the server and/or client it was configured as, the RPC port and the HTTP API.</summary>
public sealed class RunningAgent(AgentConfig config, LogSink sink) : IAgentInfo, IAsyncDisposable
{
    private readonly Logger _log = sink.For("agent");
    // Libraries (Kestrel, the Raft library, the port mux) log through Microsoft.Extensions.Logging into our sink.
    private readonly ILoggerFactory _loggers = LoggerFactory.Create(b =>
        b.SetMinimumLevel(LogLevel.Trace).AddProvider(new ExtensionsLoggerProvider(sink, LibrarySubsystem)));
    private PortMux? _rpcPort;
    private HttpApi? _http;
    private RemoteNodeService? _remote;
    private PluginWatcher? _plugins;
    private readonly List<TaskRunner> _tasks = new();
    private readonly CancellationTokenSource _stopTasks = new();
    // Temporary state and alloc dirs made for a client without a data_dir (-dev); a dev agent removes them at shutdown.
    private readonly List<string> _tempDirs = new();
    private bool _shutDown;

    public AgentConfig Config => config;
    public NomadServer? Server { get; private set; }
    public NomadClient? Client { get; private set; }
    public FingerprintManager? Fingerprints { get; private set; }
    public DriverManager? Drivers { get; private set; }
    /// <summary>The client's durable record of its tasks.</summary>
    public ClientStateStore? TaskStore { get; private set; }
    /// <summary>The client's allocations: runners, the watcher of the servers, GC.</summary>
    public AllocService? Allocs { get; private set; }
    public AgentAddresses Addresses { get; } = AgentAddresses.Resolve(config);

    /// <summary>
    /// Starts the server, HTTP API and client. Plugins (fingerprints, driver processes) start alongside the
    /// server since neither needs the other; the client registers once both are up.
    /// The caller holds log lines until its banner is out.
    /// </summary>
    public async Task StartAsync(CancellationToken ct)
    {
        var client = config.Client.Enabled == true;
        var dirs = client ? ClientDirs() : default;
        var plugins = client ? Task.Run(() => StartPluginsAsync(dirs.AllocDir)) : Task.FromResult<INodeFacts>(null!);
        try
        {
            if (config.Server.Enabled == true) await StartServerAsync(ct).ConfigureAwait(false);
            _http = await StartHttpAsync(ct).ConfigureAwait(false);
        }
        finally
        {
            // Never leave plugin start-up running unobserved behind a failed start.
            await plugins.ConfigureAwait(false);
        }
        if (client) await StartClientAsync(dirs, await plugins.ConfigureAwait(false)).ConfigureAwait(false);
    }

    private (string StateDir, string AllocDir) ClientDirs()
    {
        var c = config.Client;
        var dataDir = config.DataDir;
        return (c.StateDir ?? (dataDir is null ? OwnTempDir("NomadClient") : Path.Combine(dataDir, "client")),
                c.AllocDir ?? (dataDir is null ? OwnTempDir("NomadClient") : Path.Combine(dataDir, "alloc")));
    }

    private async Task StartServerAsync(CancellationToken ct)
    {
        var s = config.Server;
        var dev = config.DevMode == true;
        var dataDir = dev ? null : Path.Combine(s.DataDir ?? config.DataDir!, "server");
        var serverId = dataDir is null ? Guid.NewGuid().ToString() : NodeIdentity.LoadOrCreateId(Path.Combine(dataDir, "node-id"));
        var state = new StateStore();
        var fsm = new NomadStateMachine(state);

        _rpcPort = new PortMux(Addresses.RpcBind, _loggers.CreateLogger("nomad.rpc"));
        try { _rpcPort.Start(); }
        catch (SocketException e) when (e.SocketErrorCode == SocketError.AddressAlreadyInUse)
        {
            throw new AgentStartException($"failed to start RPC listener: {Addresses.RpcBind} already in use", e);
        }

        var advertise = System.Net.IPEndPoint.Parse(Addresses.RpcAdvertise);
        var raftOptions = dev
            ? RaftOptions.Dev(serverId, _rpcPort, advertise)
            : new RaftOptions
            {
                NodeId = serverId,
                Mux = _rpcPort,
                AdvertiseEndpoint = advertise,
                DataDirectory = Path.Combine(dataDir!, "raft"),
                Bootstrap = (s.BootstrapExpect ?? 1) == 1 ? RaftBootstrap.SingleVoter : RaftBootstrap.Join,
            };
        var raft = new RaftConsensus(raftOptions.Scaled(s.RaftMultiplier!.Value) with { LoggerFactory = _loggers }, fsm);

        var serverOptions = new ServerOptions
        {
            NodeName = config.NodeName!,
            Region = config.Region!,
            Datacenter = config.Datacenter!,
            ServerId = serverId,
            RpcAdvertise = Addresses.RpcAdvertise,
            SerfAddress = Addresses.SerfAdvertise.Split(':')[0],
            SerfPort = Addresses.SerfBind.Port,
            BootstrapExpect = s.BootstrapExpect ?? 1,
            NumSchedulers = s.NumSchedulers ?? Environment.ProcessorCount,
            Heartbeat = new HeartbeatPolicy(s.MinHeartbeatTtl!.Value, s.MaxHeartbeatsPerSecond!.Value, s.HeartbeatGrace!.Value, s.FailoverHeartbeatTtl!.Value),
            NodeGcThreshold = s.NodeGcThreshold!.Value,
            NodeGcInterval = s.NodeGcInterval!.Value,
            EvalGcThreshold = s.EvalGcThreshold!.Value,
            JobGcThreshold = s.JobGcThreshold!.Value,
            Build = BuildInfo.Version,
        };
        var gossip = ServerGossip.Bind(serverOptions, Addresses.SerfBind, System.Net.IPAddress.Parse(Addresses.SerfAdvertise.Split(':')[0]), sink.For("nomad"));
        Server = new NomadServer(serverOptions, raft, state, sink.For("nomad"), gossip);

        var rpc = new RpcServer(Server.NodeService, sink.For("nomad.rpc"), () => _http?.Replay);
        _rpcPort.Register(RpcConnection.Kind, rpc.ServeAsync);
        await Server.StartAsync(ct).ConfigureAwait(false);
        // Runs until it joined or the agent stops; it logs its own failures.
        _ = ServerJoiner.Start(Server.Gossip!, s, sink.For("nomad"), _stopTasks.Token);
    }

    private async Task<HttpApi> StartHttpAsync(CancellationToken ct)
    {
        try
        {
            return await HttpApi.StartAsync(Addresses.HttpBind, this, sink, ct).ConfigureAwait(false);
        }
        catch (IOException e) when (e.InnerException is SocketException { SocketErrorCode: SocketError.AddressAlreadyInUse } || e.Message.Contains("address already in use", StringComparison.OrdinalIgnoreCase))
        {
            throw new AgentStartException($"failed to start HTTP listener: {Addresses.HttpBind} already in use", e);
        }
    }

    private async Task StartClientAsync((string StateDir, string AllocDir) dirs, INodeFacts facts)
    {
        var c = config.Client;
        var dev = config.DevMode == true;
        var (stateDir, allocDir) = dirs;

        INodeService servers;
        if (c.Servers is { Count: > 0 } list)
        {
            _remote = new RemoteNodeService(list, sink.For("client.rpc"));
            servers = _remote;
        }
        else if (Server is not null)
        {
            servers = Server.NodeService;
        }
        else
        {
            throw new AgentStartException("client has no servers: set client.servers or -servers (or run a server in this agent)");
        }

        Client = new NomadClient(new ClientOptions
        {
            NodeName = config.NodeName!,
            Datacenter = config.Datacenter!,
            Region = config.Region!,
            NodeClass = c.NodeClass ?? "",
            StateDir = stateDir,
            AllocDir = allocDir,
            PersistIdentity = !dev,
            HttpAdvertise = Addresses.HttpAdvertise,
            Meta = c.Meta ?? new Dictionary<string, string>(),
            HostVolumes = HostVolumes(c),
        }, servers, facts, sink.For("client"));
        await Client.StartAsync().ConfigureAwait(false);
        TaskStore = new ClientStateStore(stateDir);
        // Allocations in the state dir are restored at once (their tasks re-attached, nothing restarted);
        // the watcher reconciles them with the servers once the node is ready.
        Allocs = AllocService.Start(Client, servers, Drivers!, TaskStore, new AllocServiceOptions
        {
            StateDir = stateDir,
            AllocDir = allocDir,
            Region = config.Region!,
            GcInterval = c.GcInterval!.Value,
            GcMaxAllocs = c.GcMaxAllocs!.Value,
            GcDiskUsageThreshold = c.GcDiskUsageThreshold!.Value,
            Artifacts = ArtifactOptions.From(c.Artifact),
        }, sink.For("client"));
        RecoverOrphanTasks(Allocs.RestoredTasks);
    }

    /// <summary>
    /// The client's host volumes as the node offers them. As Nomad's client, each path must exist when the client
    /// starts ("failed to validate volume"): a volume whose directory is missing would fail every task placed on it.
    /// </summary>
    private static Dictionary<string, Structs.ClientHostVolumeConfig> HostVolumes(ClientConfig c)
    {
        var volumes = new Dictionary<string, Structs.ClientHostVolumeConfig>(StringComparer.Ordinal);
        foreach (var (name, v) in c.HostVolumes ?? new())
        {
            if (!Path.Exists(v.Path))
                throw new AgentStartException($"failed to validate volume {name}, err: stat {v.Path}: no such file or directory");
            volumes[name] = new Structs.ClientHostVolumeConfig { Name = name, Path = v.Path, ReadOnly = v.ReadOnly };
        }
        return volumes;
    }

    /// <summary>
    /// Re-attaches tasks in the state dir that no allocation owns (started by hand through a TaskRunner),
    /// so that they too are followed to their exit. Nothing is restarted.
    /// </summary>
    private void RecoverOrphanTasks(IReadOnlySet<string> owned)
    {
        var log = sink.For("client");
        foreach (var record in TaskStore!.All().Where(r => r.Exit is null && !owned.Contains(r.Handle.Config.ID)))
        {
            log.Info($"recovering task: task_id={record.Handle.Config.ID} driver={record.Driver}");
            _tasks.Add(TaskRunner.Recover(Drivers!, TaskStore, record, log, _stopTasks.Token));
        }
    }

    /// <summary>Finds the plugins (built-in ones beside the executable, then plugin_dir), loads fingerprinters, starts drivers.</summary>
    private async Task<INodeFacts> StartPluginsAsync(string allocDir)
    {
        var c = config.Client;
        var clientLog = sink.For("client");
        Fingerprints = new FingerprintManager(new FingerprintRequest
        {
            Options = c.Options ?? new Dictionary<string, string>(),
            AllocDir = allocDir,
            NetworkInterface = c.NetworkInterface ?? "",
            NetworkSpeed = c.NetworkSpeed ?? 0,
            AgentVersion = BuildInfo.Version,
            AgentRevision = BuildInfo.Revision,
            HttpAdvertise = Addresses.HttpAdvertise,
        }, clientLog.Named("fingerprint_mgr"));
        Drivers = new DriverManager(PluginConfigJson, new DriverSupervisorOptions { DllHost = [Environment.ProcessPath!, "plugin-host"] }, clientLog.Named("driver_mgr"));

        var roots = new List<string> { Path.Combine(AppContext.BaseDirectory, "plugins") };
        if (config.PluginDir is { Length: > 0 } dir) roots.Add(dir);
        _plugins = new PluginWatcher(roots, PluginScanInterval, _log);
        _plugins.Added = async plugin =>
        {
            if (plugin.IsFingerprint) await Fingerprints.AddAsync(FingerprintPluginLoader.Load(plugin)).ConfigureAwait(false);
            else await Drivers.AddAsync(plugin, TimeSpan.FromSeconds(10)).ConfigureAwait(false);
        };
        _plugins.Removed = name => Drivers.RemoveAsync(name);
        await _plugins.StartAsync().ConfigureAwait(false);
        var available = Drivers.Infos().Where(d => d.Value is { Detected: true, Healthy: true }).Select(d => d.Key).Order();
        clientLog.Info($"available drivers [{string.Join(" ", available)}]");
        return new PluginNodeFacts(Fingerprints, Drivers);
    }

    /// <summary>How often the plugin directories are rescanned for added, changed or removed plugins.</summary>
    private static readonly TimeSpan PluginScanInterval = TimeSpan.FromSeconds(2);

    private JsonElement PluginConfigJson(string name) =>
        JsonSerializer.SerializeToElement(config.Plugins.TryGetValue(name, out var p) ? p.Config : new Dictionary<string, object?>());

    private static string LibrarySubsystem(string category) =>
        category.StartsWith("nomad", StringComparison.Ordinal) ? category
        : category.Contains("DotNext", StringComparison.Ordinal) || category.Contains("Raft", StringComparison.Ordinal) ? "nomad.raft"
        : category;

    private string OwnTempDir(string prefix)
    {
        var dir = Path.Combine(Path.GetTempPath(), prefix + Random.Shared.NextInt64(1_000_000_000, 9_999_999_999));
        Directory.CreateDirectory(dir);
        _tempDirs.Add(dir);
        return dir;
    }

    /// <summary>Graceful leave: the client marks its node down; a server leaves the peer set. True if done in time.</summary>
    public async Task<bool> LeaveAsync(TimeSpan timeout)
    {
        using var cts = new CancellationTokenSource(timeout);
        try
        {
            if (Client is not null) await Client.LeaveAsync(cts.Token).ConfigureAwait(false);
            if (Server is not null)
            {
                sink.For("nomad").Info("server starting leave");
                await Server.LeaveAsync(cts.Token).ConfigureAwait(false);
            }
            return true;
        }
        catch (Exception e)
        {
            _log.Error($"error during leave: error=\"{e.Message}\"");
            return false;
        }
    }

    public async Task ShutdownAsync()
    {
        if (_shutDown) return;
        _shutDown = true;
        _log.Info("requesting shutdown");
        var dev = config.DevMode == true;
        // A dev agent's state is in temp dirs no agent will pick up again: its tasks are killed, not left behind.
        var cleanedUp = dev && (Allocs is null || await DestroyAllocationsAsync(Allocs).ConfigureAwait(false));
        // Stop following tasks (they keep running under their shims, to be recovered by the next agent).
        _stopTasks.Cancel();
        if (Allocs is not null) await Allocs.DisposeAsync().ConfigureAwait(false);
        if (Client is not null) await Client.DisposeAsync().ConfigureAwait(false);
        if (_plugins is not null) await _plugins.DisposeAsync().ConfigureAwait(false);
        if (Drivers is not null) await Drivers.DisposeAsync().ConfigureAwait(false);
        if (Fingerprints is not null) await Fingerprints.DisposeAsync().ConfigureAwait(false);
        _remote?.Dispose();
        if (_http is not null) await _http.DisposeAsync().ConfigureAwait(false);
        if (Server is not null) await Server.DisposeAsync().ConfigureAwait(false);
        if (_rpcPort is not null) await _rpcPort.DisposeAsync().ConfigureAwait(false);
        if (cleanedUp) RemoveTempDirs();
        _log.Info("shutdown complete");
        _loggers.Dispose();
    }

    /// <summary>
    /// Nomad's dev-mode client at shutdown: every task is killed through its driver and every allocation destroyed.
    /// kill_timeout is honoured (up to the client's maximum); a task that does not die by then is left, with a warning.
    /// </summary>
    /// <returns>false when some allocation was not destroyed in time (its temp dirs must stay).</returns>
    private async Task<bool> DestroyAllocationsAsync(AllocService allocs)
    {
        var log = sink.For("client");
        var count = allocs.Manager.All.Count;
        if (count > 0) log.Info($"dev mode: destroying allocations: count={count}");
        using var deadline = new CancellationTokenSource(DevDestroyTimeout);
        try
        {
            await allocs.DestroyAllAsync(deadline.Token).ConfigureAwait(false);
            return true;
        }
        catch (OperationCanceledException) when (deadline.IsCancellationRequested)
        {
            log.Warn($"dev mode: allocations not destroyed in time; leaving them: timeout={DevDestroyTimeout.TotalSeconds}s");
            return false;
        }
    }

    /// <summary>The client's longest kill_timeout, the SIGKILL that follows and the driver's clean-up.</summary>
    private static readonly TimeSpan DevDestroyTimeout = TimeSpan.FromTicks(TaskLifecycle.MaxKillTimeoutNs / 100) + TimeSpan.FromSeconds(15);

    private void RemoveTempDirs()
    {
        foreach (var dir in _tempDirs)
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                _log.Warn($"failed to remove temporary directory: dir={dir} error=\"{e.Message}\"");
            }
        }
    }

    public ValueTask DisposeAsync() => new(ShutdownAsync());

    public Dictionary<string, Dictionary<string, string>> Stats() => AgentStats.Collect(this);

    public IReadOnlyList<string> KnownServers => _remote?.Servers ?? [];

    public Task SetClientServersAsync(IReadOnlyList<string> servers)
    {
        if (Client is null) throw new Structs.BadRequestException("this agent is not a client");
        Client.SetKnownServers(servers);
        // A client beside a server talks to that server in process (as Nomad's does): only the list it reports changes.
        return _remote?.ReplaceServersAsync(servers) ?? Task.CompletedTask;
    }
}
