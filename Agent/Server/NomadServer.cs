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

    public NomadServer(ServerOptions options, IConsensus consensus, StateStore state, Logger log)
    {
        Options = options;
        Consensus = consensus;
        State = state;
        _log = log;
        Heartbeats = new Heartbeats(consensus, options.Heartbeat, log.Named("heartbeat"), state: state);
        Nodes = new NodeEndpoint(consensus, state, Heartbeats, () => Consensus.Peers, log.Named("node"));
        NodeGc = new NodeGarbageCollector(consensus, state, options.NodeGcThreshold, options.NodeGcInterval, log.Named("core"));
        Drainer = new NodeDrainer(consensus, state, log.Named("drain"));
        CoreGc = new CoreGarbageCollector(consensus, state, options.EvalGcThreshold, options.JobGcThreshold, options.CoreGcInterval, log.Named("core"));
        Scheduling = new SchedulingPipeline(options, consensus, state, log);
        Consensus.LeadershipChanged += OnLeadershipChanged;
    }

    public ServerOptions Options { get; }
    public IConsensus Consensus { get; }
    public StateStore State { get; }
    public Heartbeats Heartbeats { get; }
    public NodeEndpoint Nodes { get; }
    public NodeGarbageCollector NodeGc { get; }
    public CoreGarbageCollector CoreGc { get; }
    public NodeDrainer Drainer { get; }
    /// <summary>The leader's broker, blocked evaluations, plan queue/applier and workers.</summary>
    public SchedulingPipeline Scheduling { get; }
    public EvalBroker Broker => Scheduling.Broker;
    public PlanApplier PlanApplier => Scheduling.Applier;
    public DateTime StartedAt { get; } = DateTime.UtcNow;

    public async Task StartAsync(CancellationToken ct)
    {
        _log.Info($"serf: EventMemberJoin: {Options.MemberName} {Options.SerfAddress}");
        _log.Info($"starting scheduling worker(s): num_workers={Options.NumSchedulers} schedulers=[service, batch, system, _core]");
        await Consensus.StartAsync(ct).ConfigureAwait(false);
        _log.Info($"adding server: server=\"{Options.MemberName} (Addr: {Options.RpcAdvertise}) (DC: {Options.Datacenter})\"");
    }

    /// <summary>This server as a gossip member (the gossip pool arrives with clustering).</summary>
    public ServerMember Self() => new()
    {
        Name = Options.MemberName,
        Addr = Options.SerfAddress,
        Port = Options.SerfPort,
        Status = "alive",
        Tags = new Dictionary<string, string>
        {
            ["role"] = "nomad",
            ["region"] = Options.Region,
            ["dc"] = Options.Datacenter,
            ["build"] = Options.Build,
            ["id"] = Options.ServerId,
            ["vsn"] = "1",
            ["mvn"] = "1",
            ["raft_vsn"] = "3",
            ["rpc_addr"] = Options.RpcAdvertise.Split(':')[0],
            ["port"] = Options.RpcAdvertise.Split(':').Last(),
            ["expect"] = Options.BootstrapExpect.ToString(),
            ["bootstrap"] = Options.BootstrapExpect == 1 ? "1" : "0",
        },
    };

    public IReadOnlyList<ServerMember> Members() => [Self()];

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
        await Consensus.DisposeAsync().ConfigureAwait(false);
    }
}
