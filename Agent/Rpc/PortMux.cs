using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace Nomad.Agent.Rpc;

/// <summary>
/// One TCP port for several protocols, as Nomad's server port (4647) carries both RPC and Raft:
/// the first byte a client sends on a new connection names the protocol, and the socket (with that
/// byte consumed) is handed to the handler registered for it. Unknown or missing bytes close the connection.
/// </summary>
public sealed class PortMux : IAsyncDisposable
{
    /// <summary>Our RPC protocol.</summary>
    public const byte Rpc = 0x01;

    /// <summary>Raft traffic between servers.</summary>
    public const byte Raft = 0x02;

    private readonly IPEndPoint _bind;
    private readonly ILogger _log;
    private readonly ConcurrentDictionary<byte, Func<Socket, CancellationToken, Task>> _handlers = new();
    private readonly CancellationTokenSource _stop = new();
    private Socket? _listener;
    private Task _acceptLoop = Task.CompletedTask;

    public PortMux(IPEndPoint bind, ILogger? log = null)
    {
        _bind = bind;
        _log = log ?? NullLogger.Instance;
    }

    /// <summary>How long a new connection may take to send its protocol byte.</summary>
    public TimeSpan FirstByteTimeout { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>The bound endpoint (with the real port when bound to port 0). Valid after <see cref="Start"/>.</summary>
    public IPEndPoint LocalEndPoint => (IPEndPoint)(_listener?.LocalEndPoint ?? throw new InvalidOperationException("PortMux not started"));

    /// <summary>
    /// Routes connections whose first byte is <paramref name="kind"/> to <paramref name="handler"/>, which then owns
    /// the socket. The handler runs off the accept loop; the token is cancelled when the mux is disposed.
    /// </summary>
    public void Register(byte kind, Func<Socket, CancellationToken, Task> handler)
    {
        if (!_handlers.TryAdd(kind, handler))
            throw new InvalidOperationException($"a handler for protocol byte 0x{kind:x2} is already registered");
    }

    public void Unregister(byte kind) => _handlers.TryRemove(kind, out _);

    /// <summary>Binds and starts accepting.</summary>
    public void Start()
    {
        if (_listener is not null) throw new InvalidOperationException("PortMux already started");
        var listener = new Socket(_bind.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        try
        {
            // Lets a restarted agent rebind while old connections sit in TIME_WAIT.
            listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
            listener.Bind(_bind);
            listener.Listen(512);
        }
        catch
        {
            listener.Dispose();
            throw;
        }
        _listener = listener;
        _acceptLoop = Task.Run(() => AcceptLoopAsync(listener, _stop.Token));
    }

    private async Task AcceptLoopAsync(Socket listener, CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await listener.AcceptAsync(ct).ConfigureAwait(false);
            }
            catch (Exception e) when (ct.IsCancellationRequested || e is ObjectDisposedException)
            {
                return;
            }
            catch (SocketException e)
            {
                _log.LogWarning(e, "accept failed on {Endpoint}", _bind);
                continue;
            }
            _ = DispatchAsync(socket, ct);
        }
    }

    private async Task DispatchAsync(Socket socket, CancellationToken ct)
    {
        try
        {
            socket.NoDelay = true;
            var kind = await ReadKindAsync(socket, ct).ConfigureAwait(false);
            if (kind is null || !_handlers.TryGetValue(kind.Value, out var handler))
            {
                if (kind is not null)
                    _log.LogDebug("closing connection from {Remote}: unknown protocol byte 0x{Kind:x2}", socket.RemoteEndPoint, kind);
                socket.Dispose();
                return;
            }
            await handler(socket, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            if (!ct.IsCancellationRequested)
                _log.LogDebug(e, "connection handling failed");
            socket.Dispose();
        }
    }

    private async Task<byte?> ReadKindAsync(Socket socket, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(FirstByteTimeout);
        var buffer = new byte[1];
        try
        {
            var n = await socket.ReceiveAsync(buffer, SocketFlags.None, timeout.Token).ConfigureAwait(false);
            return n == 1 ? buffer[0] : null;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return null; // idle client: drop it
        }
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        _listener?.Dispose();
        await _acceptLoop.ConfigureAwait(false);
        _stop.Dispose();
    }
}
