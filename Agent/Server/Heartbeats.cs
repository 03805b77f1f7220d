using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The leader's view of node liveness: hands out TTLs, keeps a deadline per node, and marks a node
/// down through consensus when its deadline passes. A heartbeat that changes nothing writes nothing.
/// </summary>
public sealed class Heartbeats : IDisposable
{
    private readonly IConsensus _consensus;
    private readonly HeartbeatPolicy _policy;
    private readonly Logger _log;
    private readonly HeartbeatTimers _timers;
    private readonly Random _random = new();
    private readonly Func<DateTime> _now;

    private readonly StateStore? _state;

    /// <param name="state">The state, to create evaluations for the jobs of a node that goes down (null in tests of timing alone).</param>
    public Heartbeats(IConsensus consensus, HeartbeatPolicy policy, Logger log, Func<DateTime>? now = null, StateStore? state = null)
    {
        _state = state;
        _consensus = consensus;
        _policy = policy;
        _log = log;
        _now = now ?? (() => DateTime.UtcNow);
        _timers = new HeartbeatTimers(ExpiredAsync);
    }

    public HeartbeatPolicy Policy => _policy;

    /// <summary>Restarts a node's deadline and returns the TTL to hand to its client.</summary>
    public TimeSpan Reset(string nodeId)
    {
        var ttl = _policy.Ttl(Math.Max(_timers.Count, 1), _random);
        _timers.Reset(nodeId, _policy.ServerTimeout(ttl));
        return ttl;
    }

    public void Remove(string nodeId) => _timers.Remove(nodeId);

    /// <summary>
    /// After winning an election: every live node gets the long failover TTL, so nodes whose heartbeats
    /// went to the old leader are not marked down while they find the new one.
    /// </summary>
    public void InitializeAfterElection(StateSnapshot state)
    {
        foreach (var node in state.Nodes.Values.Where(n => !n.IsTerminal))
            _timers.Reset(node.ID, _policy.FailoverTtl);
        _log.Debug($"initialized heartbeat timers: count={_timers.Count} ttl={_policy.FailoverTtl}");
    }

    /// <summary>On losing leadership the timers are someone else's job.</summary>
    public void Clear() => _timers.Clear();

    public void Dispose() => _timers.Dispose();

    private async Task ExpiredAsync(string nodeId)
    {
        if (!_consensus.IsLeader) return;
        _log.Warn($"node TTL expired: node_id={nodeId}");
        var now = _now();
        var evt = new NodeEvent { Message = "Node heartbeat missed", Subsystem = "Cluster", Timestamp = now };
        try
        {
            var evals = _state is null ? null : NodeEvals.For(_state.Current, nodeId, _state.Current.NodeById(nodeId)?.ModifyIndex ?? 0, UnixNanos.From(now));
            await _consensus.ApplyAsync(new NodeStatusCommand(nodeId, NodeStatus.Down, new DateTimeOffset(now).ToUnixTimeSeconds(), evt) { Evals = evals });
        }
        catch (Exception e)
        {
            _log.Error($"failed to mark node down: node_id={nodeId} error=\"{e.Message}\"");
        }
    }
}
