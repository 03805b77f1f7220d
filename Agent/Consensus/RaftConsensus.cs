#pragma warning disable DOTNEXT001 // the library marks its write-ahead log experimental
using System.Net;
using DotNext.Net.Cluster.Consensus.Raft;
using DotNext.Net.Cluster.Consensus.Raft.Membership;
using DotNext.Net.Cluster.Consensus.Raft.StateMachine;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;
using Nomad.Agent.Consensus.Transport;
using Nomad.Agent.Rpc;
using RaftNotLeaderException = DotNext.Net.Cluster.Consensus.Raft.NotLeaderException;

namespace Nomad.Agent.Consensus;

/// <summary>
/// <see cref="IConsensus"/> over DotNext.Net.Cluster's Raft: write-ahead log and snapshots under the data
/// directory (or tmpfs for -dev), Raft traffic over the shared server port (<see cref="PortMux.Raft"/>).
/// Voters are identified by their advertised "ip:port".
/// </summary>
/// <remarks>
/// Replay: <see cref="StartAsync"/> returns after the latest snapshot and every entry the log had recorded as
/// committed are applied to the state machine. Entries that were appended, and possibly acknowledged, just before
/// a crash but whose commit had not reached the log's checkpoint yet are applied once a leader commits them again
/// (at once for a single voter, after the election otherwise): call <see cref="ReadBarrierAsync"/> before serving reads.
/// </remarks>
public sealed class RaftConsensus : IConsensus
{
    private readonly RaftOptions _options;
    private readonly IStateMachine _fsm;
    private readonly ILoggerFactory _logs;
    private readonly ILogger _log;
    private readonly SemaphoreSlim _membership = new(1, 1); // the library allows one membership change at a time
    private readonly Lock _eventGate = new();
    private Task _eventChain = Task.CompletedTask;
    private bool _reportedLeader;
    private int _disposed;

    private PortMux? _ownedMux;
    private RaftDirectory? _dir;
    private ClusterConfigurationStorage<EndPoint>? _peers;
    private StateMachineAdapter? _adapter;
    private WriteAheadLog? _wal;
    private SocketConnectionContextFactory? _sockets;
    private RaftCluster? _cluster;

    public RaftConsensus(RaftOptions options, IStateMachine fsm)
    {
        if (options.Mux is null && options.BindEndpoint is null)
            throw new ArgumentException("RaftOptions needs a Mux or a BindEndpoint", nameof(options));
        if (options.ElectionTimeoutMin <= TimeSpan.Zero || options.ElectionTimeoutMax < options.ElectionTimeoutMin)
            throw new ArgumentException("invalid election timeout range", nameof(options));
        if (options.HeartbeatFraction is <= 0 or >= 1)
            throw new ArgumentException("the heartbeat fraction must be between 0 and 1", nameof(options));
        _options = options;
        _fsm = fsm;
        _logs = options.LoggerFactory ?? NullLoggerFactory.Instance;
        _log = _logs.CreateLogger<RaftConsensus>();
    }

    /// <summary>This node's identity in the voter set (its advertised address). Set by <see cref="StartAsync"/>.</summary>
    public IPEndPoint? LocalEndPoint { get; private set; }

    public event Action<bool>? LeadershipChanged;

    public bool IsLeader => _cluster?.Leader is { IsRemote: false };

    public string? LeaderAddress => _cluster?.Leader?.EndPoint is { } ep ? EndPointCodec.Format(ep) : null;

    public IReadOnlyList<string> Peers
        => _cluster?.Members.Select(m => EndPointCodec.Format(m.EndPoint)).Order(StringComparer.Ordinal).ToArray() ?? [];

    public Task StartAsync(CancellationToken ct) => StartAsync(_options.Bootstrap == RaftBootstrap.SingleVoter, ct);

    public bool HasClusterState =>
        _options.DataDirectory is { } dir && new FileInfo(Path.Combine(Path.GetFullPath(dir), RaftDirectory.PeersFileName)) is { Exists: true, Length: > 0 };


    public async Task StartAsync(bool bootstrap, CancellationToken ct)
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        if (_cluster is not null) throw new InvalidOperationException("already started");
        var formCluster = bootstrap && !HasClusterState; // decided before the peer storage creates its file

        var mux = _options.Mux ?? StartOwnMux(_options.BindEndpoint!);
        var self = _options.AdvertiseEndpoint ?? mux.LocalEndPoint;
        if (self.Address.Equals(IPAddress.Any) || self.Address.Equals(IPAddress.IPv6Any))
            throw new InvalidOperationException("Raft needs a concrete advertise address, not a wildcard");
        LocalEndPoint = self;

        _dir = RaftDirectory.Open(_options.DataDirectory);
        _peers = _dir.IsEphemeral ? new InMemoryPeerStorage() : new PersistentPeerStorage(_dir.PeersFile);

        // The latest snapshot must be loaded before the log is opened: the log reads it to know where replay starts.
        _adapter = new StateMachineAdapter(_dir.Snapshots, _fsm, new SnapshotPolicy(_options.SnapshotThreshold, _options.SnapshotLogBytes), _log);
        await _adapter.RestoreAsync(ct).ConfigureAwait(false);
        _wal = new WriteAheadLog(new WriteAheadLog.Options { Location = _dir.Log, ChunkSize = _options.LogChunkSize }, _adapter);

        // Workaround for a DotNext 6.12 restart bug: the log starts replaying committed entries on a background task
        // in its constructor, but RaftCluster attaches the configuration storage to it only inside StartAsync. A
        // committed membership change replayed in between reaches the state machine as a raw configuration entry
        // (whose bytes a decoder takes for a command). Attach the storage right away; since that still leaves a tiny
        // race, the adapter also drops configuration entries and anything without our command tag.
        // Regression test: RaftPersistenceTests.RestartAfterMembershipChange (fails only if both defences go).
        _wal.ConfigurationStorage = _peers;
        if (_options.AfterLogOpened is { } hook) await hook().ConfigureAwait(false);

        _sockets = new SocketConnectionContextFactory(new SocketConnectionFactoryOptions(), _logs.CreateLogger<SocketConnectionContextFactory>());
        var config = new RaftCluster.CustomTransportConfiguration(
            self, new RaftConnectionListenerFactory(mux, _sockets), new RaftConnectionFactory(_sockets))
        {
            PublicEndPoint = self,
            ConfigurationStorage = _peers,
            // Cold start only forms a new cluster: a restarted server keeps the voters it persisted.
            ColdStart = formCluster,
            LowerElectionTimeout = (int)_options.ElectionTimeoutMin.TotalMilliseconds,
            UpperElectionTimeout = (int)_options.ElectionTimeoutMax.TotalMilliseconds,
            HeartbeatThreshold = _options.HeartbeatFraction,
            // The library's default is one heartbeat period (100 ms): too tight to dial a peer on a loaded machine.
            ConnectTimeout = _options.ElectionTimeoutMin,
            LoggerFactory = _logs,
        };
        _cluster = new RaftCluster(config) { AuditTrail = _wal };
        _cluster.LeaderChanged += OnLeaderChanged;
        await _cluster.StartAsync(ct).ConfigureAwait(false);
        _log.LogInformation("raft node {Node} started at {Address} ({Bootstrap}, {Storage})", _options.NodeId, self,
            _options.Bootstrap, _dir.IsEphemeral ? "in memory" : _dir.Root);
    }

    private PortMux StartOwnMux(IPEndPoint bind)
    {
        var mux = new PortMux(bind, _logs.CreateLogger<PortMux>());
        mux.Start();
        return _ownedMux = mux;
    }

    public async Task<ApplyResult> ApplyAsync(ReadOnlyMemory<byte> command, CancellationToken ct)
    {
        var cluster = Started();
        if (!IsLeader) throw new NotLeaderException(LeaderAddress);

        // The log hands this waiter back to the state machine adapter with the entry, which completes it with the
        // index and the FSM's response; ReplicateAsync itself returns once the entry is committed and applied.
        var applied = new TaskCompletionSource<ApplyResult>(TaskCreationOptions.RunContinuationsAsynchronously);
        try
        {
            await cluster.ReplicateAsync((ReadOnlyMemory<byte>)CommandEnvelope.Wrap(command.Span), applied, ct).ConfigureAwait(false);
        }
        catch (RaftNotLeaderException)
        {
            throw new NotLeaderException(LeaderAddress);
        }
        return await applied.Task.WaitAsync(ct).ConfigureAwait(false);
    }

    public async Task ReadBarrierAsync(CancellationToken ct)
    {
        try
        {
            await Started().ApplyReadBarrierAsync(ReadBarrierType.Strong, ct).ConfigureAwait(false);
        }
        catch (QuorumUnreachableException)
        {
            throw new NotLeaderException(LeaderAddress);
        }
    }

    public async Task<bool> AddVoterAsync(string id, string address, CancellationToken ct)
    {
        var endpoint = EndPointCodec.Parse(address);
        return await ChangeMembershipAsync(async cluster =>
        {
            if (cluster.Members.Any(m => m.EndPoint.Equals(endpoint)))
                return true; // already a voter
            _log.LogInformation("adding voter {Id} at {Address}", id, address);
            return await cluster.AddMemberAsync(endpoint, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    public async Task<bool> RemoveVoterAsync(string address, CancellationToken ct)
    {
        var endpoint = EndPointCodec.Parse(address);
        return await ChangeMembershipAsync(async cluster =>
        {
            if (!cluster.Members.Any(m => m.EndPoint.Equals(endpoint)))
                return true; // not a voter
            _log.LogInformation("removing voter at {Address}", address);
            return await cluster.RemoveMemberAsync(endpoint, ct).ConfigureAwait(false);
        }, ct).ConfigureAwait(false);
    }

    private async Task<bool> ChangeMembershipAsync(Func<RaftCluster, Task<bool>> change, CancellationToken ct)
    {
        var cluster = Started();
        await _membership.WaitAsync(ct).ConfigureAwait(false);
        try
        {
            if (!IsLeader) throw new NotLeaderException(LeaderAddress);
            return await change(cluster).ConfigureAwait(false);
        }
        catch (RaftNotLeaderException)
        {
            throw new NotLeaderException(LeaderAddress);
        }
        finally
        {
            _membership.Release();
        }
    }

    public IReadOnlyDictionary<string, string> Stats()
        => _cluster is { } cluster && _wal is { } wal && _adapter is { } adapter
            ? RaftStats.Collect(cluster, wal, adapter)
            : RaftStats.NotStarted;

    private RaftCluster Started()
    {
        ObjectDisposedException.ThrowIf(Volatile.Read(ref _disposed) != 0, this);
        // Before start (a server waiting for bootstrap_expect) there is no leader to write through.
        return Volatile.Read(ref _cluster) ?? throw new NotLeaderException(null);
    }

    private void OnLeaderChanged(RaftCluster<RaftClusterMember> cluster, RaftClusterMember? leader)
        => Publish(leader is { IsRemote: false });

    /// <summary>
    /// Raises <see cref="LeadershipChanged"/> on transitions only, in order, off the Raft library's thread
    /// (a slow handler, like establishing leadership state, must not stall heartbeats).
    /// </summary>
    private void Publish(bool isLeader)
    {
        lock (_eventGate)
        {
            if (isLeader == _reportedLeader) return;
            _reportedLeader = isLeader;
            _eventChain = _eventChain.ContinueWith(_ => Raise(isLeader), CancellationToken.None,
                TaskContinuationOptions.None, TaskScheduler.Default);
        }
    }

    private void Raise(bool isLeader)
    {
        try
        {
            LeadershipChanged?.Invoke(isLeader);
        }
        catch (Exception e)
        {
            _log.LogError(e, "leadership handler failed");
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (Interlocked.Exchange(ref _disposed, 1) != 0) return;
        if (_cluster is { } cluster)
        {
            cluster.LeaderChanged -= OnLeaderChanged;
            await cluster.StopAsync(CancellationToken.None).ConfigureAwait(false);
            await cluster.DisposeAsync().ConfigureAwait(false);
        }
        Publish(false);
        Task events;
        lock (_eventGate) events = _eventChain;
        await events.ConfigureAwait(false);

        if (_wal is not null) await _wal.DisposeAsync().ConfigureAwait(false);
        if (_adapter is not null) await _adapter.DisposeAsync().ConfigureAwait(false);
        _peers?.Dispose();
        _sockets?.Dispose();
        if (_ownedMux is not null) await _ownedMux.DisposeAsync().ConfigureAwait(false);
        _dir?.Dispose();
        _membership.Dispose();
    }
}
