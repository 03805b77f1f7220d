using System.Net;
using Microsoft.Extensions.Logging;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Consensus;

/// <summary>How a server's Raft node starts when it has no cluster configuration yet.</summary>
public enum RaftBootstrap
{
    /// <summary>Form a new cluster with this node as its only voter (-dev, or the first server). Leader at once.</summary>
    SingleVoter,

    /// <summary>Wait, without voting, until a leader adds this node with <see cref="IConsensus.AddVoterAsync"/>.</summary>
    Join,
}

/// <summary>Settings for <see cref="RaftConsensus"/>.</summary>
public sealed record RaftOptions
{
    /// <summary>The server's node id (for logs and the agent-info figures; Raft itself names voters by address).</summary>
    public required string NodeId { get; init; }

    /// <summary>
    /// The shared server port (Nomad's 4647), already started, that carries RPC and Raft. Raft registers for
    /// <see cref="PortMux.Raft"/> connections on it. When null, <see cref="RaftConsensus"/> opens and owns its own
    /// mux on <see cref="BindEndpoint"/>.
    /// </summary>
    public PortMux? Mux { get; init; }

    /// <summary>Where to listen when <see cref="Mux"/> is null (port 0 picks a free port).</summary>
    public IPEndPoint? BindEndpoint { get; init; }

    /// <summary>
    /// The address other servers reach this node at; it is also its identity in the voter set, and the address
    /// reported as leader address (RPC shares the port). Null means the mux's bound endpoint, which must then not
    /// be a wildcard address.
    /// </summary>
    public IPEndPoint? AdvertiseEndpoint { get; init; }

    /// <summary>Raft state directory (the agent passes &lt;data_dir&gt;/server/raft). Null keeps everything in memory.</summary>
    public string? DataDirectory { get; init; }

    public RaftBootstrap Bootstrap { get; init; } = RaftBootstrap.Join;

    /// <summary>Nomad's server.raft_multiplier: scales every Raft timeout, for slow or overloaded machines.</summary>
    public const int MaxMultiplier = 10;

    /// <summary>
    /// A follower that hears nothing from the leader for a random time in this range starts an election, so it
    /// bounds how long writes stop after a leader dies. Below ~500 ms elections flap on a loaded 2-core machine.
    /// </summary>
    public TimeSpan ElectionTimeoutMin { get; init; } = TimeSpan.FromMilliseconds(500);

    public TimeSpan ElectionTimeoutMax { get; init; } = TimeSpan.FromMilliseconds(1000);

    /// <summary>
    /// The leader's heartbeat period as a fraction of <see cref="ElectionTimeoutMin"/>: at 0.2 a follower misses
    /// five heartbeats before it calls an election, so one slow heartbeat under CPU load does not depose a leader.
    /// </summary>
    public double HeartbeatFraction { get; init; } = 0.2;

    /// <summary>These options with every timeout multiplied by <paramref name="multiplier"/> (1 to <see cref="MaxMultiplier"/>).</summary>
    public RaftOptions Scaled(int multiplier)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(multiplier, 1);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(multiplier, MaxMultiplier);
        return this with { ElectionTimeoutMin = ElectionTimeoutMin * multiplier, ElectionTimeoutMax = ElectionTimeoutMax * multiplier };
    }

    /// <summary>Applied entries between snapshots (Nomad's raft snapshot_threshold defaults to 8192).</summary>
    public long SnapshotThreshold { get; init; } = 8192;

    /// <summary>
    /// Bytes of commands applied since the last snapshot after which one is taken even before
    /// <see cref="SnapshotThreshold"/> entries: large jobs must not pile up in the log (on tmpfs, i.e. RAM, for -dev).
    /// </summary>
    public long SnapshotLogBytes { get; init; } = 16L << 20;

    /// <summary>Size of one log file. The library's default (one page) makes hundreds of files.</summary>
    public int LogChunkSize { get; init; } = 4 * 1024 * 1024;

    public ILoggerFactory? LoggerFactory { get; init; }

    /// <summary>
    /// Test hook: runs after the log is opened (and has started replaying) but before the Raft node starts, i.e. in
    /// the window where the library's restart bug hit. Lets a test make the replay finish inside that window.
    /// </summary>
    internal Func<Task>? AfterLogOpened { get; init; }

    /// <summary>Settings for `agent -dev`: one voter, in memory, leader immediately.</summary>
    public static RaftOptions Dev(string nodeId, PortMux mux, IPEndPoint? advertise = null) => new()
    {
        NodeId = nodeId,
        Mux = mux,
        AdvertiseEndpoint = advertise,
        Bootstrap = RaftBootstrap.SingleVoter,
    };
}
