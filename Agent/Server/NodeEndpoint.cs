using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>The servers' side of node registration and heartbeats (Nomad's Node.Register / Node.UpdateStatus).</summary>
public sealed class NodeEndpoint(IConsensus consensus, StateStore state, Heartbeats heartbeats, Func<IReadOnlyList<string>> servers, Logger log) : INodeService
{
    public async Task<NodeUpdateResponse> RegisterAsync(NodeRegisterRequest request, CancellationToken ct = default)
    {
        var node = request.Node ?? throw new BadRequestException("missing node for client registration");
        NodeValidation.Validate(node);
        var existing = state.Current.NodeById(node.ID);
        if (existing is not null && existing.SecretID != node.SecretID)
            throw new PermissionDeniedException($"node secret ID does not match: node_id={node.ID}");

        var now = DateTime.UtcNow;
        var statusChanged = existing is null || existing.Status != node.Status;
        var toStore = node with { StatusUpdatedAt = statusChanged ? Unix(now) : existing!.StatusUpdatedAt };
        var evt = existing is null ? new NodeEvent { Message = "Node registered", Subsystem = "Cluster", Timestamp = now } : null;
        var index = await consensus.ApplyAsync(new NodeRegisterCommand(toStore, evt), ct).ConfigureAwait(false);
        if (existing is null) log.Debug($"node registered: node_id={node.ID} name={node.Name}");
        return Reply(index, toStore.IsTerminal ? null : heartbeats.Reset(node.ID));
    }

    public async Task<NodeUpdateResponse> UpdateStatusAsync(NodeUpdateStatusRequest request, CancellationToken ct = default)
    {
        if (string.IsNullOrEmpty(request.NodeID)) throw new BadRequestException("missing node ID for client status update");
        if (!NodeStatus.IsValid(request.Status)) throw new BadRequestException($"invalid status \"{request.Status}\" for node");
        var existing = state.Current.NodeById(request.NodeID) ?? throw new NotFoundException($"node not found: {request.NodeID}");
        if (existing.SecretID != request.SecretID)
            throw new PermissionDeniedException($"node secret ID does not match: node_id={request.NodeID}");

        var index = state.Current.Index;
        if (existing.Status != request.Status)
        {
            var now = DateTime.UtcNow;
            var evt = existing.Status == NodeStatus.Down && request.Status == NodeStatus.Ready
                ? new NodeEvent { Message = "Node reregistered by heartbeat", Subsystem = "Cluster", Timestamp = now }
                : null;
            // A node that becomes ready may take system jobs; one that goes down loses its allocations.
            var evals = request.Status is NodeStatus.Ready or NodeStatus.Down
                ? NodeEvals.For(state.Current, request.NodeID, existing.ModifyIndex, UnixNanos.From(now))
                : null;
            index = await consensus.ApplyAsync(new NodeStatusCommand(request.NodeID, request.Status, Unix(now), evt) { Evals = evals }, ct).ConfigureAwait(false);
            log.Debug($"node status changed: node_id={request.NodeID} from={existing.Status} to={request.Status}");
        }

        if (request.Status == NodeStatus.Down)
        {
            heartbeats.Remove(request.NodeID);
            return Reply(index, null);
        }
        return Reply(index, heartbeats.Reset(request.NodeID));
    }

    public async Task<NodeClientAllocsResponse> GetClientAllocsAsync(NodeClientAllocsRequest request, CancellationToken ct = default)
    {
        Authenticate(request.NodeID, request.SecretID);
        var deadline = DateTime.UtcNow + TimeSpan.FromMilliseconds(Math.Clamp(request.MaxWaitMs, 0, (long)MaxAllocWait.TotalMilliseconds));
        while (true)
        {
            // Wait on the allocs table, but answer only when this node's allocations moved (or the wait ran out).
            var snap = state.Current;
            var (index, allocs) = NodeAllocs(snap, request.NodeID);
            var left = deadline - DateTime.UtcNow;
            if (index > request.MinIndex || left <= TimeSpan.Zero) return new NodeClientAllocsResponse(index, allocs);
            await state.WaitForTableAsync(Tables.Allocs, snap.TableIndex(Tables.Allocs), left, ct).ConfigureAwait(false);
        }
    }

    public Task<AllocsGetResponse> GetAllocsAsync(AllocsGetRequest request, CancellationToken ct = default)
    {
        Authenticate(request.NodeID, request.SecretID);
        var snap = state.Current;
        var allocs = request.AllocIDs.Select(snap.AllocById).Where(a => a is not null && a.NodeID == request.NodeID).ToList();
        return Task.FromResult(new AllocsGetResponse(snap.TableIndex(Tables.Allocs), allocs!));
    }

    public async Task<NodeUpdateResponse> UpdateAllocsAsync(AllocUpdateRequest request, CancellationToken ct = default)
    {
        Authenticate(request.NodeID, request.SecretID);
        var snap = state.Current;
        foreach (var u in request.Allocs)
        {
            if (string.IsNullOrEmpty(u.AllocID)) throw new BadRequestException("missing allocation ID in allocation update");
            if (snap.AllocById(u.AllocID) is { } a && a.NodeID != request.NodeID)
                throw new PermissionDeniedException($"allocation {u.AllocID} does not run on node {request.NodeID}");
        }
        var now = UnixNanos.Now();
        var evals = new List<Evaluation>();
        var jobsEvaluated = new HashSet<string>();
        foreach (var u in request.Allocs)
        {
            // A failed allocation of a live service or batch job may be rescheduled: the scheduler decides.
            if (u.ClientStatus != AllocClientStatus.Failed || snap.AllocById(u.AllocID) is not { } alloc) continue;
            if (alloc.ClientStatus == AllocClientStatus.Failed || snap.JobById(alloc.JobID) is not { Stop: false } job) continue;
            if (JobType.OnEveryNode(job.Type) || !jobsEvaluated.Add(job.ID)) continue;
            evals.Add(Evaluation.ForJob(job, EvalTrigger.AllocFailure, now));
        }
        var index = await consensus.ApplyAsync(new AllocClientUpdateCommand(request.Allocs, evals, now), ct).ConfigureAwait(false);
        return Reply(index, null);
    }

    /// <summary>The longest a client's allocation query may block.</summary>
    public static readonly TimeSpan MaxAllocWait = TimeSpan.FromMinutes(5);

    private static (ulong Index, Dictionary<string, ulong> Allocs) NodeAllocs(StateSnapshot snap, string nodeId)
    {
        // The index at which any of the node's allocations last changed, removals included (so a client
        // sees the servers' GC at once); after a snapshot restore that is unknown, so the allocations' own.
        var index = snap.AllocsChangedIndex(nodeId);
        var allocs = new Dictionary<string, ulong>();
        foreach (var a in snap.AllocsForNode(nodeId))
        {
            allocs[a.ID] = a.AllocModifyIndex;
            index = Math.Max(index, a.ModifyIndex);
        }
        return (index, allocs);
    }

    private void Authenticate(string nodeId, string secretId)
    {
        var node = state.Current.NodeById(nodeId) ?? throw new NotFoundException($"node not found: {nodeId}");
        if (node.SecretID != secretId) throw new PermissionDeniedException($"node secret ID does not match: node_id={nodeId}");
    }

    private NodeUpdateResponse Reply(ulong index, TimeSpan? ttl) => new()
    {
        Index = index,
        HeartbeatTtlMs = (long)(ttl?.TotalMilliseconds ?? 0),
        LeaderRpcAddr = consensus.LeaderAddress,
        Servers = servers().ToList(),
    };

    private static long Unix(DateTime t) => new DateTimeOffset(t).ToUnixTimeSeconds();
}
