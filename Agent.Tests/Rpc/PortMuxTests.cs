using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Tests.Rpc;

public sealed class PortMuxTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(10);

    [Test]
    public async Task RoutesByFirstByteAndHandsOverTheRestOfTheStream()
    {
        await using var mux = new PortMux(new IPEndPoint(IPAddress.Loopback, 0));
        var rpc = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        var raft = new TaskCompletionSource<byte[]>(TaskCreationOptions.RunContinuationsAsynchronously);
        mux.Register(PortMux.Rpc, (s, ct) => ReadTwoAsync(s, rpc, ct));
        mux.Register(PortMux.Raft, (s, ct) => ReadTwoAsync(s, raft, ct));
        mux.Start();

        await SendAsync(mux.LocalEndPoint, [PortMux.Raft, 7, 8]);
        await SendAsync(mux.LocalEndPoint, [PortMux.Rpc, 1, 2]);

        Assert.That(await raft.Task.WaitAsync(Deadline), Is.EqualTo(new byte[] { 7, 8 }));
        Assert.That(await rpc.Task.WaitAsync(Deadline), Is.EqualTo(new byte[] { 1, 2 }));
    }

    [Test]
    public async Task ClosesConnectionsWithAnUnknownProtocolByte()
    {
        await using var mux = new PortMux(new IPEndPoint(IPAddress.Loopback, 0));
        mux.Start();
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(mux.LocalEndPoint);
        await client.SendAsync(new byte[] { 0x7f });
        using var deadline = new CancellationTokenSource(Deadline);
        var n = await client.ReceiveAsync(new byte[1], SocketFlags.None, deadline.Token);
        Assert.That(n, Is.Zero, "server closed the connection");
    }

    private static async Task ReadTwoAsync(Socket socket, TaskCompletionSource<byte[]> result, CancellationToken ct)
    {
        using (socket)
        {
            var buffer = new byte[2];
            var read = 0;
            while (read < 2)
            {
                var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, ct);
                if (n == 0) break;
                read += n;
            }
            result.TrySetResult(buffer[..read]);
        }
    }

    private static async Task SendAsync(IPEndPoint endpoint, byte[] bytes)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await client.ConnectAsync(endpoint);
        await client.SendAsync(bytes);
        client.Shutdown(SocketShutdown.Send);
    }
}
