using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// What operators do to a node's scheduling (Nomad's Node.UpdateDrain, Node.UpdateEligibility, Node.Evaluate).
/// Each change writes the evaluations it calls for in the same command.
/// </summary>
public sealed class NodeControlEndpoint(IConsensus consensus, StateStore state, Logger log)
{
    public const string DrainSet = "Node drain strategy set";
    public const string DrainUpdated = "Node drain strategy updated";
    public const string DrainDisabled = "Node drain disabled";
    public const string MarkedEligible = "Node marked as eligible for scheduling";
    public const string MarkedIneligible = "Node marked as ineligible for scheduling";

    /// <summary>Starts, updates or (with a null <paramref name="spec"/>) ends a drain.</summary>
    public async Task<NodeDrainUpdateResponse> UpdateDrainAsync(string nodeId, DrainSpec? spec, bool markEligible, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(nodeId)) throw new BadRequestException("missing node ID for drain update");
        var snap = state.Current;
        var node = snap.NodeById(nodeId) ?? throw new NotFoundException("node not found");
        var now = DateTime.UtcNow;
        var nowNanos = UnixNanos.From(now);
        DrainStrategy? strategy = null;
        if (spec is not null)
        {
            strategy = new DrainStrategy
            {
                Deadline = spec.Deadline,
                IgnoreSystemJobs = spec.IgnoreSystemJobs,
                StartedAt = node.DrainStrategy?.StartedAt ?? nowNanos,
                ForceDeadline = spec.Deadline > 0 ? nowNanos + spec.Deadline : 0,
            };
        }
        var message = (node.DrainStrategy, strategy) switch
        {
            (null, not null) => DrainSet,
            (not null, not null) => DrainUpdated,
            (not null, null) => DrainDisabled,
            _ => null,
        };
        var evt = message is null ? null : new NodeEvent { Message = message, Subsystem = "Drain", Timestamp = now };
        // A drain moves the node's allocations away; a node that becomes eligible again may take system jobs.
        var becomesEligible = strategy is null && markEligible && node.SchedulingEligibility == NodeEligibility.Ineligible;
        var evals = strategy is not null || becomesEligible ? NodeEvals.For(snap, nodeId, node.ModifyIndex, nowNanos) : [];
        var index = await consensus.ApplyAsync(new NodeDrainCommand(nodeId, strategy, markEligible, evt, evals), ct).ConfigureAwait(false);
        log.Debug($"node drain updated: node_id={nodeId} draining={strategy is not null} evals={evals.Count}");
        return new NodeDrainUpdateResponse
        {
            NodeModifyIndex = index,
            EvalIDs = evals.Count > 0 ? evals.Select(e => e.ID).ToList() : null,
            EvalCreateIndex = evals.Count > 0 ? index : 0,
            Index = index,
        };
    }

    /// <summary>Marks a node eligible or ineligible for new placements.</summary>
    public async Task<NodeDrainUpdateResponse> UpdateEligibilityAsync(string nodeId, string eligibility, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(nodeId)) throw new BadRequestException("missing node ID for setting scheduling eligibility");
        if (eligibility is not (NodeEligibility.Eligible or NodeEligibility.Ineligible))
            throw new BadRequestException($"invalid scheduling eligibility \"{eligibility}\"");
        var snap = state.Current;
        var node = snap.NodeById(nodeId) ?? throw new NotFoundException("node not found");
        if (node.DrainStrategy is not null && eligibility == NodeEligibility.Eligible)
            throw new BadRequestException("can not set node's scheduling eligibility to eligible while it is draining");
        if (node.SchedulingEligibility == eligibility)
            return new NodeDrainUpdateResponse { NodeModifyIndex = node.ModifyIndex, Index = snap.Index };

        var now = DateTime.UtcNow;
        var evt = new NodeEvent { Message = eligibility == NodeEligibility.Eligible ? MarkedEligible : MarkedIneligible, Subsystem = "Cluster", Timestamp = now };
        var evals = eligibility == NodeEligibility.Eligible && node.Status == NodeStatus.Ready
            ? NodeEvals.For(snap, nodeId, node.ModifyIndex, UnixNanos.From(now))
            : [];
        var index = await consensus.ApplyAsync(new NodeEligibilityCommand(nodeId, eligibility, evt, evals), ct).ConfigureAwait(false);
        log.Debug($"node eligibility updated: node_id={nodeId} eligibility={eligibility} evals={evals.Count}");
        return new NodeDrainUpdateResponse
        {
            NodeModifyIndex = index,
            EvalIDs = evals.Count > 0 ? evals.Select(e => e.ID).ToList() : null,
            EvalCreateIndex = evals.Count > 0 ? index : 0,
            Index = index,
        };
    }

    /// <summary>Creates evaluations for every job with allocations on the node, and every system job (<c>nomad node eval</c>).</summary>
    public async Task<NodeDrainUpdateResponse> EvaluateAsync(string nodeId, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(nodeId)) throw new BadRequestException("missing node ID for evaluation");
        var snap = state.Current;
        var node = snap.NodeById(nodeId) ?? throw new NotFoundException("node not found");
        var evals = NodeEvals.For(snap, nodeId, node.ModifyIndex, UnixNanos.Now());
        if (evals.Count == 0) return new NodeDrainUpdateResponse { NodeModifyIndex = node.ModifyIndex, Index = snap.Index };
        var index = await consensus.ApplyAsync(new EvalUpsertCommand(evals), ct).ConfigureAwait(false);
        return new NodeDrainUpdateResponse
        {
            NodeModifyIndex = node.ModifyIndex,
            EvalIDs = evals.Select(e => e.ID).ToList(),
            EvalCreateIndex = index,
            Index = index,
        };
    }
}

/// <summary>Nomad's api.DrainSpec: how long allocations may take to move (ns; -1 forces at once, 0 no deadline).</summary>
public sealed record DrainSpec(long Deadline, bool IgnoreSystemJobs);

/// <summary>Nomad's NodeDrainUpdateResponse / NodeEligibilityUpdateResponse (the same fields).</summary>
public sealed record NodeDrainUpdateResponse
{
    public ulong NodeModifyIndex { get; init; }
    public List<string>? EvalIDs { get; init; }
    public ulong EvalCreateIndex { get; init; }
    public ulong Index { get; init; }
    public long LastContact { get; init; }
    public bool KnownLeader { get; init; }
}
