using System.Net;
using System.Net.Sockets;
using System.Threading.Channels;
using Microsoft.AspNetCore.Connections;
using Microsoft.AspNetCore.Server.Kestrel.Transport.Sockets;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Consensus.Transport;

/// <summary>
/// Server side of Raft over the shared port: registers for <see cref="PortMux.Raft"/> connections on the mux and
/// offers them to the Raft library as ASP.NET connection contexts.
/// </summary>
internal sealed class RaftConnectionListenerFactory(PortMux mux, SocketConnectionContextFactory contexts) : IConnectionListenerFactory
{
    public ValueTask<IConnectionListener> BindAsync(EndPoint endpoint, CancellationToken cancellationToken = default)
    {
        var listener = new Listener(mux, contexts, endpoint);
        mux.Register(PortMux.Raft, listener.EnqueueAsync);
        return ValueTask.FromResult<IConnectionListener>(listener);
    }

    private sealed class Listener(PortMux mux, SocketConnectionContextFactory contexts, EndPoint endpoint) : IConnectionListener
    {
        private readonly Channel<Socket> _accepted = Channel.CreateUnbounded<Socket>(new() { SingleReader = true });

        public EndPoint EndPoint => endpoint;

        public Task EnqueueAsync(Socket socket, CancellationToken ct)
        {
            if (!_accepted.Writer.TryWrite(socket))
                socket.Dispose(); // unbound meanwhile
            return Task.CompletedTask;
        }

        public async ValueTask<ConnectionContext?> AcceptAsync(CancellationToken cancellationToken = default)
        {
            while (await _accepted.Reader.WaitToReadAsync(cancellationToken).ConfigureAwait(false))
            {
                if (_accepted.Reader.TryRead(out var socket))
                    return contexts.Create(socket);
            }
            return null; // unbound
        }

        public ValueTask UnbindAsync(CancellationToken cancellationToken = default)
        {
            mux.Unregister(PortMux.Raft);
            if (_accepted.Writer.TryComplete())
            {
                while (_accepted.Reader.TryRead(out var socket))
                    socket.Dispose();
            }
            return ValueTask.CompletedTask;
        }

        public ValueTask DisposeAsync() => UnbindAsync();
    }
}
