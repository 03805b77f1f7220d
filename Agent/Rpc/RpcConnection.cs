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
