namespace Nomad.Agent.Consensus;

/// <summary>
/// Our small interface over Raft. Commands are opaque bytes to it; the state machine decodes them.
/// Nothing outside this folder names the Raft library.
/// </summary>
public interface IConsensus : IAsyncDisposable
{
    /// <summary>Starts the node (replays the log into the state machine when there is one).</summary>
    Task StartAsync(CancellationToken ct);

    /// <summary>
    /// Starts the node, forming a new cluster with itself as the only voter when <paramref name="bootstrap"/> is set
    /// and it has no cluster configuration yet (bootstrap_expect's chosen server); otherwise it waits to be added.
    /// </summary>
    Task StartAsync(bool bootstrap, CancellationToken ct);

    /// <summary>True when a cluster configuration was persisted earlier (a restart): no bootstrap decision is needed.</summary>
    bool HasClusterState { get; }

    /// <summary>
    /// Replicates a command and waits until it is committed and applied to the local state machine.
    /// Returns the Raft index it was applied at and whatever the state machine returned for it.
    /// Throws <see cref="NotLeaderException"/> on a follower.
    /// </summary>
    Task<ApplyResult> ApplyAsync(ReadOnlyMemory<byte> command, CancellationToken ct);

    /// <summary>Waits until the local state machine has applied everything committed when the call began (linearizable read).</summary>
    Task ReadBarrierAsync(CancellationToken ct);

    bool IsLeader { get; }

    /// <summary>The leader's RPC address ("ip:port"), or null while there is none.</summary>
    string? LeaderAddress { get; }

    /// <summary>Raised with true when this node becomes leader and false when it stops being leader.</summary>
    event Action<bool>? LeadershipChanged;

    Task<bool> AddVoterAsync(string id, string address, CancellationToken ct);
    Task<bool> RemoveVoterAsync(string address, CancellationToken ct);

    /// <summary>The current voters' addresses.</summary>
    IReadOnlyList<string> Peers { get; }

    /// <summary>Figures for agent-info's "raft" section (applied_index, commit_index, term, state, ...).</summary>
    IReadOnlyDictionary<string, string> Stats();
}

public readonly record struct ApplyResult(ulong Index, object? Response);

public sealed class NotLeaderException(string? leader) : Exception(leader is null ? "no cluster leader" : $"not the leader; leader is {leader}")
{
    public string? Leader { get; } = leader;
}

/// <summary>The replicated state machine the consensus layer drives.</summary>
public interface IStateMachine
{
    /// <summary>Applies one committed command at its Raft index; deterministic; returns a response for the proposer.</summary>
    object? Apply(ulong index, ReadOnlySpan<byte> command);

    /// <summary>Writes the whole state (for a Raft snapshot).</summary>
    void WriteSnapshot(Stream destination);

    /// <summary>Replaces the whole state from a snapshot written by <see cref="WriteSnapshot"/>.</summary>
    void RestoreSnapshot(Stream source, ulong index);
}
