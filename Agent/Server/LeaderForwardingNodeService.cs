using Nomad.Agent.Consensus;
using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The node service as every server offers it to clients: registrations, heartbeats and allocation updates are
/// served by the leader (which owns the heartbeat timers), so a follower forwards them over the RPC port; the
/// allocation reads are served from local state, as Nomad's clients read them with AllowStale.
/// While no leader is known a write waits for one up to <see cref="LeaderLookup.Wait"/>. A forwarded call goes to the
/// leader's <see cref="LeaderOnly"/> target, which never forwards again (one hop).
/// </summary>
public sealed class LeaderForwardingNodeService(INodeService local, IConsensus consensus, RpcConnectionPool pool) : INodeService, IForwardedNodeService
{
    public INodeService LeaderOnly { get; } = new LeaderOnlyNodeService(local, consensus);

    public Task<NodeUpdateResponse> RegisterAsync(NodeRegisterRequest request, CancellationToken ct = default) =>
        OnLeaderAsync(s => s.RegisterAsync(request, ct), ct);

    public Task<NodeUpdateResponse> UpdateStatusAsync(NodeUpdateStatusRequest request, CancellationToken ct = default) =>
        OnLeaderAsync(s => s.UpdateStatusAsync(request, ct), ct);

    public Task<NodeUpdateResponse> UpdateAllocsAsync(AllocUpdateRequest request, CancellationToken ct = default) =>
        OnLeaderAsync(s => s.UpdateAllocsAsync(request, ct), ct);

    public Task<NodeClientAllocsResponse> GetClientAllocsAsync(NodeClientAllocsRequest request, CancellationToken ct = default) =>
        local.GetClientAllocsAsync(request, ct);

    public Task<AllocsGetResponse> GetAllocsAsync(AllocsGetRequest request, CancellationToken ct = default) =>
        local.GetAllocsAsync(request, ct);

    private async Task<T> OnLeaderAsync<T>(Func<INodeService, Task<T>> call, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + LeaderLookup.Wait;
        string? unreachable = null;
        while (true)
        {
            var leader = await LeaderLookup.LeaderAsync(consensus, a => a == unreachable, deadline, ct).ConfigureAwait(false);
            if (leader is null) return await call(local).ConfigureAwait(false);
            pool.NoteLeader(leader);
            try
            {
                return await pool.CallAsync<INodeService, T>(leader, call, ct, methodPrefix: IForwardedNodeService.MethodPrefix).ConfigureAwait(false);
            }
            catch (ServerUnreachableException) { unreachable = leader; }
            catch (RpcTimeoutException) { unreachable = leader; } // gone silently: wait for the next leader
            catch (NotLeaderException) when (DateTime.UtcNow < deadline) // it lost leadership, or is not the leader we thought
            {
                await Task.Delay(50, ct).ConfigureAwait(false);
            }
        }
    }

    /// <summary>The writes served here only while this server leads; reads as usual.</summary>
    private sealed class LeaderOnlyNodeService(INodeService local, IConsensus consensus) : INodeService
    {
        public Task<NodeUpdateResponse> RegisterAsync(NodeRegisterRequest request, CancellationToken ct = default) =>
            Leading() ? local.RegisterAsync(request, ct) : throw new NotLeaderException(consensus.LeaderAddress);

        public Task<NodeUpdateResponse> UpdateStatusAsync(NodeUpdateStatusRequest request, CancellationToken ct = default) =>
            Leading() ? local.UpdateStatusAsync(request, ct) : throw new NotLeaderException(consensus.LeaderAddress);

        public Task<NodeUpdateResponse> UpdateAllocsAsync(AllocUpdateRequest request, CancellationToken ct = default) =>
            Leading() ? local.UpdateAllocsAsync(request, ct) : throw new NotLeaderException(consensus.LeaderAddress);

        public Task<NodeClientAllocsResponse> GetClientAllocsAsync(NodeClientAllocsRequest request, CancellationToken ct = default) =>
            local.GetClientAllocsAsync(request, ct);

        public Task<AllocsGetResponse> GetAllocsAsync(AllocsGetRequest request, CancellationToken ct = default) =>
            local.GetAllocsAsync(request, ct);

        private bool Leading() => consensus.IsLeader;
    }
}
