using Nomad.Agent.Structs;

namespace Nomad.Agent.Rpc;

/// <summary>
/// What a client asks of the servers about its own node and its allocations. The in-process server
/// implements it directly; a remote server is reached through the RPC port with the same interface.
/// </summary>
public interface INodeService
{
    /// <summary>Registers (or re-registers) the node; the reply carries the heartbeat TTL.</summary>
    Task<NodeUpdateResponse> RegisterAsync(NodeRegisterRequest request, CancellationToken ct = default);

    /// <summary>Heartbeat and status change in one: the servers write only when the status changes.</summary>
    Task<NodeUpdateResponse> UpdateStatusAsync(NodeUpdateStatusRequest request, CancellationToken ct = default);

    /// <summary>A blocking query for the node's allocations (ID → AllocModifyIndex).</summary>
    Task<NodeClientAllocsResponse> GetClientAllocsAsync(NodeClientAllocsRequest request, CancellationToken ct = default);

    /// <summary>Whole allocations, jobs included, of this node.</summary>
    Task<AllocsGetResponse> GetAllocsAsync(AllocsGetRequest request, CancellationToken ct = default);

    /// <summary>The client's allocation and task states.</summary>
    Task<NodeUpdateResponse> UpdateAllocsAsync(AllocUpdateRequest request, CancellationToken ct = default);
}
