using Nomad.Agent.Consensus;
using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The node service as every server offers it to clients: registrations, heartbeats and allocation updates are
/// served by the leader (which owns the heartbeat timers), so a follower forwards them over the RPC port; the
/// allocation reads are served from local state, as Nomad's clients read them with AllowStale.
/// While no leader is known a write waits for one up to <see cref="LeaderWait"/>.
/// </summary>
public sealed class LeaderForwardingNodeService(INodeService local, IConsensus consensus, RpcConnectionPool pool) : INodeService
{
    public static readonly TimeSpan LeaderWait = TimeSpan.FromSeconds(5);

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
        var deadline = DateTime.UtcNow + LeaderWait;
        string? unreachable = null;
        while (true)
        {
            if (consensus.IsLeader) return await call(local).ConfigureAwait(false);
            if (consensus.LeaderAddress is { } leader && leader != unreachable)
            {
                try
                {
                    return await pool.CallAsync<INodeService, T>(leader, call, ct).ConfigureAwait(false);
                }
                catch (ServerUnreachableException) { unreachable = leader; }
                catch (NotLeaderException) when (DateTime.UtcNow < deadline) { } // it just lost leadership
            }
            if (DateTime.UtcNow >= deadline) throw new NotLeaderException(consensus.LeaderAddress);
            await Task.Delay(50, ct).ConfigureAwait(false);
        }
    }
}
