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
            index = await consensus.ApplyAsync(new NodeStatusCommand(request.NodeID, request.Status, Unix(now), evt), ct).ConfigureAwait(false);
            log.Debug($"node status changed: node_id={request.NodeID} from={existing.Status} to={request.Status}");
        }

        if (request.Status == NodeStatus.Down)
        {
            heartbeats.Remove(request.NodeID);
            return Reply(index, null);
        }
        return Reply(index, heartbeats.Reset(request.NodeID));
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
