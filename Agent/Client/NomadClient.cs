using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client;

/// <summary>
/// The client's duties so far: know its node, register it with the servers, keep it alive with
/// heartbeats at the TTL the servers hand out, and mark it down on a graceful leave.
/// </summary>
public sealed class NomadClient : IAsyncDisposable
{
    private readonly ClientOptions _options;
    private readonly INodeService _servers;
    private readonly INodeFacts _facts;
    private readonly Logger _log;
    // Set when fingerprints or drivers changed, so the loop re-registers the node before the next heartbeat.
    private volatile TaskCompletionSource _factsChanged = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _ready = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private Task? _loop;

    public NomadClient(ClientOptions options, INodeService servers, INodeFacts facts, Logger log)
    {
        _options = options;
        _servers = servers;
        _facts = facts;
        _log = log;
        facts.Changed += () => _factsChanged.TrySetResult();
        Identity = options.PersistIdentity ? NodeIdentity.LoadOrCreate(options.StateDir) : NodeIdentity.Fresh();
        Node = BuildNode();
        HostStats = new HostStatsCollector(options.AllocDir, () => Node.NodeResources.Cpu.CpuShares);
    }

    /// <summary>The host's usage, for /v1/client/stats.</summary>
    public HostStatsCollector HostStats { get; }

    public NodeIdentity Identity { get; }
    public Node Node { get; private set; }
    public TimeSpan HeartbeatTtl { get; private set; }
    public DateTime? LastHeartbeat { get; private set; }
    /// <summary>The servers' RPC addresses: as the servers last reported them, or as PUT /v1/agent/servers set them since.</summary>
    public IReadOnlyList<string> KnownServers { get; private set; } = [];

    /// <summary>Replaces the server list the agent reports (the next heartbeat's answer replaces it again, as in Nomad).</summary>
    public void SetKnownServers(IReadOnlyList<string> servers) => KnownServers = servers.Distinct().ToList();

    /// <summary>Completes once the node is registered and ready.</summary>
    public Task Ready => _ready.Task;

    public Task StartAsync()
    {
        Directory.CreateDirectory(_options.StateDir);
        Directory.CreateDirectory(_options.AllocDir);
        _log.Info($"using state directory: state_dir={_options.StateDir}");
        _log.Info($"using alloc directory: alloc_dir={_options.AllocDir}");
        _log.Info($"started client: node_id={Identity.NodeId}");
        _loop = Task.Run(() => RunAsync(_stop.Token));
        return Task.CompletedTask;
    }

    private Node BuildNode() => new()
    {
        ID = Identity.NodeId,
        SecretID = Identity.SecretId,
        Name = _options.NodeName,
        Datacenter = _options.Datacenter,
        NodeClass = _options.NodeClass,
        HTTPAddr = _options.HttpAdvertise,
        Meta = new Dictionary<string, string>(_options.Meta),
        HostVolumes = _options.HostVolumes.Count == 0 ? null : new Dictionary<string, ClientHostVolumeConfig>(_options.HostVolumes),
        Status = NodeStatus.Initializing,
        Attributes = _facts.Attributes(),
        NodeResources = _facts.Resources(),
        Drivers = _facts.Drivers(),
    };

    /// <summary>The node with the latest facts and the given status.</summary>
    private Node Refreshed(string status) => Node with
    {
        Attributes = _facts.Attributes(),
        NodeResources = _facts.Resources(),
        Drivers = _facts.Drivers(),
        Status = status,
    };

    private async Task RunAsync(CancellationToken ct)
    {
        await RegisterAsync(ct).ConfigureAwait(false);
        while (!ct.IsCancellationRequested)
        {
            var changed = _factsChanged.Task;
            try { await Task.WhenAny(Task.Delay(HeartbeatTtl, ct), changed).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (ct.IsCancellationRequested) return;
            if (changed.IsCompleted)
            {
                _factsChanged = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                await UpdateNodeAsync(ct).ConfigureAwait(false);
                continue;
            }
            await HeartbeatAsync(ct).ConfigureAwait(false);
        }
    }

    /// <summary>Registers as initializing, then moves to ready; retries until it succeeds or the client stops.</summary>
    private async Task RegisterAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            try
            {
                Node = Refreshed(NodeStatus.Initializing);
                var reg = await _servers.RegisterAsync(new NodeRegisterRequest(Node), ct).ConfigureAwait(false);
                Accept(reg);
                _log.Info("node registration complete");
                var up = await _servers.UpdateStatusAsync(new NodeUpdateStatusRequest(Identity.NodeId, Identity.SecretId, NodeStatus.Ready), ct).ConfigureAwait(false);
                Accept(up);
                Node = Node with { Status = NodeStatus.Ready };
                _log.Info("state updated to ready");
                _ready.TrySetResult();
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                _log.Error($"error registering: error=\"{e.Message}\"");
                await DelayQuietly(_options.RetryInterval, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>Re-registers the node with its new facts (Nomad's node update on fingerprint change).</summary>
    private async Task UpdateNodeAsync(CancellationToken ct)
    {
        try
        {
            Node = Refreshed(NodeStatus.Ready);
            Accept(await _servers.RegisterAsync(new NodeRegisterRequest(Node), ct).ConfigureAwait(false));
            _log.Debug("node attributes or drivers changed; node updated");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            _log.Error($"error updating node: error=\"{e.Message}\"");
            _factsChanged.TrySetResult();
            HeartbeatTtl = _options.RetryInterval;
        }
    }

    private async Task HeartbeatAsync(CancellationToken ct)
    {
        try
        {
            var resp = await _servers.UpdateStatusAsync(new NodeUpdateStatusRequest(Identity.NodeId, Identity.SecretId, NodeStatus.Ready), ct).ConfigureAwait(false);
            Accept(resp);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (NotFoundException)
        {
            // The servers forgot us (GC'd while we were away): register again.
            _log.Warn("node not found on the servers; registering again");
            await RegisterAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _log.Error($"error heartbeating. retrying: error=\"{e.Message}\"");
            HeartbeatTtl = _options.RetryInterval;
        }
    }

    private void Accept(NodeUpdateResponse resp)
    {
        LastHeartbeat = DateTime.UtcNow;
        if (resp.HeartbeatTtlMs > 0) HeartbeatTtl = resp.HeartbeatTtl;
        if (resp.Servers.Count > 0) KnownServers = resp.Servers;
    }

    /// <summary>Graceful leave: tell the servers this node is down so nothing waits for its heartbeat.</summary>
    public async Task LeaveAsync(CancellationToken ct)
    {
        await StopLoopAsync().ConfigureAwait(false);
        try
        {
            await _servers.UpdateStatusAsync(new NodeUpdateStatusRequest(Identity.NodeId, Identity.SecretId, NodeStatus.Down), ct).ConfigureAwait(false);
            _log.Info("marked node down on the servers");
        }
        catch (Exception e)
        {
            _log.Error($"failed to mark node down: error=\"{e.Message}\"");
        }
    }

    private async Task StopLoopAsync()
    {
        _stop.Cancel();
        if (_loop is not null)
        {
            try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _log.Info("shutting down");
        await StopLoopAsync().ConfigureAwait(false);
        _stop.Dispose();
    }

    private static async Task DelayQuietly(TimeSpan delay, CancellationToken ct)
    {
        try { await Task.Delay(delay, ct).ConfigureAwait(false); } catch (OperationCanceledException) { }
    }
}
