using System.Net.Sockets;
using StreamJsonRpc;

namespace Nomad.Agent.Rpc;

/// <summary>The framing both ends of our RPC use: JSON-RPC 2.0, header-delimited, System.Text.Json.</summary>
public static class RpcConnection
{
    /// <summary>First byte a connection to the RPC port sends to say it speaks our RPC (Raft uses another).</summary>
    public const byte Kind = PortMux.Rpc;

    public static JsonRpc Create(Stream stream)
    {
        var formatter = new SystemTextJsonFormatter();
        formatter.JsonSerializerOptions.PropertyNamingPolicy = null;
        return new JsonRpc(new HeaderDelimitedMessageHandler(stream, stream, formatter));
    }

    /// <summary>Dials <paramref name="address"/> ("host:port"), announces our RPC, and returns the open connection.</summary>
    public static async Task<JsonRpc> DialAsync(string address, TimeSpan timeout, CancellationToken ct)
    {
        var (host, port) = SplitHostPort(address, 4647);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        cts.CancelAfter(timeout);
        var socket = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        try
        {
            EnableKeepAlive(socket);
            await socket.ConnectAsync(host, port, cts.Token).ConfigureAwait(false);
            await socket.SendAsync(new[] { Kind }, SocketFlags.None, cts.Token).ConfigureAwait(false);
        }
        catch
        {
            socket.Dispose();
            throw;
        }
        var rpc = Create(new NetworkStream(socket, ownsSocket: true));
        rpc.StartListening();
        return rpc;
    }

    /// <summary>
    /// TCP keepalive with short timers, so an idle pooled connection to a server that vanished without a reset
    /// (power-off, partition) breaks within ~15 s instead of the OS default of hours. (Calls in flight are bounded
    /// by the pool's call timeout: keepalive does not probe while data waits to be acknowledged.)
    /// </summary>
    internal static void EnableKeepAlive(Socket socket)
    {
        try
        {
            socket.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.KeepAlive, true);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveTime, 5);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveInterval, 3);
            socket.SetSocketOption(SocketOptionLevel.Tcp, SocketOptionName.TcpKeepAliveRetryCount, 3);
        }
        catch (SocketException) { } // a platform without the per-socket timers keeps its defaults
    }

    public static bool TryParseHostPort(string address, out (string Host, int Port) hostPort)
    {
        hostPort = SplitHostPort(address, 4647);
        return hostPort.Host.Length > 0 && hostPort.Port is > 0 and < 65536 && !hostPort.Host.Contains(' ');
    }

    public static (string Host, int Port) SplitHostPort(string address, int defaultPort)
    {
        var i = address.LastIndexOf(':');
        if (i > 0 && !address.EndsWith(']') && int.TryParse(address[(i + 1)..], out var port)) return (address[..i].Trim('[', ']'), port);
        return (address.Trim('[', ']'), defaultPort);
    }
}
