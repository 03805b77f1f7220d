using System.Net;
using System.Net.Sockets;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Consensus.Transport;

/// <summary>Client side of Raft over the shared port: dials the peer and announces the Raft protocol byte first.</summary>
internal sealed class RaftConnectionFactory(SocketConnectionContextFactory contexts) : IConnectionFactory
{
    private static readonly byte[] Preamble = [PortMux.Raft];

    public async ValueTask<ConnectionContext> ConnectAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var socket = new Socket(endpoint.AddressFamily, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            await socket.ConnectAsync(endpoint, cancellationToken).ConfigureAwait(false);
            await socket.SendAsync(Preamble, SocketFlags.None, cancellationToken).ConfigureAwait(false);
            return contexts.Create(socket);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
    }
}
