using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The server's duties: owns the state store and consensus, answers node registration and heartbeats,
/// and runs the leader-only loops (heartbeat deadlines, node GC) while this server leads.
/// </summary>
public sealed class NomadServer : IAsyncDisposable
{
    private readonly Logger _log;
    private readonly Lock _leaderGate = new();
    private CancellationTokenSource? _leaderLoops;
    private readonly Rpc.RpcConnectionPool _forwardPool = new();

    /// <param name="gossip">The serf pool; null for a server without one (in-process tests): it then is its own only member.</param>
    public NomadServer(ServerOptions options, IConsensus consensus, StateStore state, Logger log, ServerGossip? gossip = null)
    {
        Gossip = gossip;
        Membership = gossip is null ? null : new ClusterMembership(options, consensus, gossip, log);
        Options = options;
        Consensus = consensus;
        State = state;
        _log = log;
        Heartbeats = new Heartbeats(consensus, options.Heartbeat, log.Named("heartbeat"), state: state);
        Nodes = new NodeEndpoint(consensus, state, Heartbeats, () => Consensus.Peers, log.Named("node"));
        NodeService = new LeaderForwardingNodeService(Nodes, consensus, _forwardPool);
        NodeGc = new NodeGarbageCollector(consensus, state, options.NodeGcThreshold, options.NodeGcInterval, log.Named("core"));
        Drainer = new NodeDrainer(consensus, state, log.Named("drain"));
        CoreGc = new CoreGarbageCollector(consensus, state, options.EvalGcThreshold, options.JobGcThreshold, options.CoreGcInterval, log.Named("core"));
        Scheduling = new SchedulingPipeline(options, consensus, state, log);
        Periodic = new Periodic.PeriodicDispatcher(consensus, state, log.Named("periodic"));
        Consensus.LeadershipChanged += OnLeadershipChanged;
    }

    public ServerOptions Options { get; }
    public IConsensus Consensus { get; }
    public StateStore State { get; }
    public Heartbeats Heartbeats { get; }
    public NodeEndpoint Nodes { get; }
    /// <summary>What clients call (in process or over RPC): <see cref="Nodes"/>, with writes forwarded to the leader.</summary>
    public Rpc.INodeService NodeService { get; }
    public NodeGarbageCollector NodeGc { get; }
    public CoreGarbageCollector CoreGc { get; }
    public NodeDrainer Drainer { get; }
    /// <summary>The leader's broker, blocked evaluations, plan queue/applier and workers.</summary>
    public SchedulingPipeline Scheduling { get; }
    /// <summary>The leader's launcher of periodic jobs' children.</summary>
    public Periodic.PeriodicDispatcher Periodic { get; }
    public EvalBroker Broker => Scheduling.Broker;
    public PlanApplier PlanApplier => Scheduling.Applier;
    public DateTime StartedAt { get; } = DateTime.UtcNow;
    /// <summary>The gossip pool of servers (all regions); null when this server runs without one.</summary>
    public ServerGossip? Gossip { get; }
    /// <summary>Raft membership from gossip: bootstrap_expect, adding joined servers, removing left ones.</summary>
    public ClusterMembership? Membership { get; }

    public async Task StartAsync(CancellationToken ct)
    {
        if (Gossip is null) _log.Info($"serf: EventMemberJoin: {Options.MemberName} {Options.SerfAddress}");
        else Gossip.Start();
        _log.Info($"starting scheduling worker(s): num_workers={Options.NumSchedulers} schedulers=[service, batch, system, _core]");
        if (Membership is null) await Consensus.StartAsync(ct).ConfigureAwait(false);
        else await Membership.StartAsync(ct).ConfigureAwait(false);
        _log.Info($"adding server: server=\"{Options.MemberName} (Addr: {Options.RpcAdvertise}) (DC: {Options.Datacenter})\"");
    }

    /// <summary>This server as a gossip member.</summary>
    public ServerMember Self() => Gossip?.Node.Find(Options.MemberName)?.ToServerMember() ?? new()
    {
        Name = Options.MemberName,
        Addr = Options.SerfAddress,
        Port = Options.SerfPort,
        Status = "alive",
        Tags = ServerGossip.Tags(Options),
    };

    /// <summary>Every server in the gossip pool (all regions), or just this one without a pool.</summary>
    public IReadOnlyList<ServerMember> Members() => Gossip?.Members() ?? [Self()];

    /// <summary>
    /// Graceful leave (leave_on_interrupt / leave_on_terminate): the leader hands back its own vote first; then the
    /// leave is gossiped, and a follower waits until the leader has removed it from the voters (or time runs out).
    /// </summary>
    public async Task LeaveAsync(CancellationToken ct)
    {
        var self = Options.RpcAdvertise;
        var hadPeers = Consensus.Peers.Count > 1;
        if (hadPeers && Consensus.IsLeader)
        {
            try { await Consensus.RemoveVoterAsync(self, ct).ConfigureAwait(false); }
            catch (Exception e) when (e is not OperationCanceledException) { _log.Warn($"failed to remove ourself as raft peer: error=\"{e.Message}\""); }
        }
        if (Gossip is not null) await Gossip.LeaveAsync(TimeSpan.FromSeconds(3)).ConfigureAwait(false);
        if (!hadPeers || Gossip is null || Consensus.IsLeader) return;
        // The leader removes us once it sees the leave. Raft does not tell a removed follower, so its own view may
        // never change: give the leader a moment (while we still vote) and go either way.
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct);
        wait.CancelAfter(TimeSpan.FromSeconds(2));
        try
        {
            while (Consensus.Peers.Contains(self)) await Task.Delay(50, wait.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
    }

    private void OnLeadershipChanged(bool leader)
    {
        lock (_leaderGate)
        {
            _leaderLoops?.Cancel();
            _leaderLoops?.Dispose();
            _leaderLoops = null;
            if (!leader)
            {
                Heartbeats.Clear();
                Scheduling.Stop();
                _log.Info("cluster leadership lost");
                return;
            }
            _leaderLoops = new CancellationTokenSource();
            _ = EstablishLeadershipAsync(_leaderLoops.Token);
        }
    }

    /// <summary>
    /// As Nomad's leader does first: a barrier, so the state includes everything committed by earlier
    /// leaders before timers are set from it; then the leader-only loops.
    /// </summary>
    private async Task EstablishLeadershipAsync(CancellationToken ct)
    {
        try
        {
            await Consensus.ReadBarrierAsync(ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            _log.Error($"failed to wait for barrier: error=\"{e.Message}\"");
            return;
        }
        catch (OperationCanceledException) { return; }
        _log.Info("cluster leadership acquired");
        Heartbeats.InitializeAfterElection(State.Current);
        lock (_leaderGate)
        {
            if (ct.IsCancellationRequested) return;
            Scheduling.Start(ct);
        }
        _ = NodeGc.RunAsync(ct);
        _ = CoreGc.RunAsync(ct);
        _ = Drainer.RunAsync(ct);
        _ = Periodic.RunAsync(ct);
    }

    public async ValueTask DisposeAsync()
    {
        _log.Info("shutting down server");
        Consensus.LeadershipChanged -= OnLeadershipChanged;
        lock (_leaderGate)
        {
            _leaderLoops?.Cancel();
            _leaderLoops?.Dispose();
            _leaderLoops = null;
            Scheduling.Stop();
        }
        Heartbeats.Dispose();
        if (Membership is not null) await Membership.DisposeAsync().ConfigureAwait(false);
        Gossip?.Dispose();
        _forwardPool.Dispose();
        await Consensus.DisposeAsync().ConfigureAwait(false);
    }
}
