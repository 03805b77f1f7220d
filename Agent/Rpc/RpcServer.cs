using System.Net.Sockets;
using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Rpc;

/// <summary>
/// Serves our RPC on connections the port multiplexer hands over: one JSON-RPC session per connection, carrying
/// the node service (clients) and HTTP forwarding (other servers; <paramref name="http"/> is null until the API is up).
/// </summary>
public sealed class RpcServer(INodeService nodes, Logger log, Func<IHttpForwarding?>? http = null)
{
    public async Task ServeAsync(Socket socket, CancellationToken ct)
    {
        socket.NoDelay = true;
        using var rpc = RpcConnection.Create(new NetworkStream(socket, ownsSocket: true));
        rpc.AddLocalRpcTarget<INodeService>(new NodeServiceTarget(nodes), null);
        rpc.AddLocalRpcTarget<IHttpForwarding>(new HttpForwardingTarget(http), null);
        if (nodes is IForwardedNodeService forwarded)
            rpc.AddLocalRpcTarget<INodeService>(new NodeServiceTarget(forwarded.LeaderOnly),
                new StreamJsonRpc.JsonRpcTargetOptions { MethodNameTransform = n => IForwardedNodeService.MethodPrefix + n });
        rpc.StartListening();
        await using var reg = ct.Register(rpc.Dispose);
        try { await rpc.Completion.ConfigureAwait(false); }
        catch (Exception e) { log.Trace($"rpc connection closed: error=\"{e.Message}\""); }
    }

    private sealed class HttpForwardingTarget(Func<IHttpForwarding?>? http) : IHttpForwarding
    {
        public Task<ForwardedHttpResponse> ForwardHttpAsync(ForwardedHttpRequest request, CancellationToken ct = default) =>
            RpcErrors.Serve(() => (http?.Invoke() ?? throw new NotLeaderException(null)).ForwardHttpAsync(request, ct));
    }

    /// <summary>Exposes the node service with errors coded for the wire.</summary>
    private sealed class NodeServiceTarget(INodeService inner) : INodeService
    {
        public Task<NodeUpdateResponse> RegisterAsync(NodeRegisterRequest request, CancellationToken ct = default) =>
            RpcErrors.Serve(() => inner.RegisterAsync(request, ct));

        public Task<NodeUpdateResponse> UpdateStatusAsync(NodeUpdateStatusRequest request, CancellationToken ct = default) =>
            RpcErrors.Serve(() => inner.UpdateStatusAsync(request, ct));

        public Task<NodeClientAllocsResponse> GetClientAllocsAsync(NodeClientAllocsRequest request, CancellationToken ct = default) =>
            RpcErrors.Serve(() => inner.GetClientAllocsAsync(request, ct));

        public Task<AllocsGetResponse> GetAllocsAsync(AllocsGetRequest request, CancellationToken ct = default) =>
            RpcErrors.Serve(() => inner.GetAllocsAsync(request, ct));

        public Task<NodeUpdateResponse> UpdateAllocsAsync(AllocUpdateRequest request, CancellationToken ct = default) =>
            RpcErrors.Serve(() => inner.UpdateAllocsAsync(request, ct));
    }
}
