using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using NUnit.Framework;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Tests.Rpc;

public sealed class RpcConnectionPoolTests
{
    /// <summary>
    /// A server that takes the connection and the request but never answers (a leader gone without a TCP reset):
    /// the call fails at its deadline, the connection is dropped, and the next call dials a fresh one.
    /// </summary>
    [Test]
    public async Task A_call_to_a_server_that_never_answers_fails_at_its_deadline_and_the_next_call_dials_again()
    {
        using var listener = new TcpListener(IPAddress.Loopback, 0);
        listener.Start();
        var accepted = 0;
        var held = new List<Socket>();
        using var stop = new CancellationTokenSource();
        var acceptLoop = Task.Run(async () =>
        {
            try
            {
                while (true)
                {
                    var s = await listener.AcceptSocketAsync(stop.Token);
                    lock (held) held.Add(s);
                    Interlocked.Increment(ref accepted);
                }
            }
            catch (OperationCanceledException) { }
        });
        var address = $"127.0.0.1:{((IPEndPoint)listener.LocalEndpoint).Port}";
        using var pool = new RpcConnectionPool();

        for (var round = 1; round <= 2; round++)
        {
            var clock = Stopwatch.StartNew();
            var e = await Assert.ThrowsAsync<RpcTimeoutException>(async () => await pool.CallAsync<INodeService, Nomad.Agent.Structs.AllocsGetResponse>(
                address, s => s.GetAllocsAsync(new Nomad.Agent.Structs.AllocsGetRequest("n", "s", [])), CancellationToken.None, TimeSpan.FromMilliseconds(300)));
            Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
            Assert.That(e!.Message, Does.Contain(address));
            Assert.That(Volatile.Read(ref accepted), Is.EqualTo(round), "a timed-out connection is not reused");
        }
        stop.Cancel();
        await acceptLoop;
        lock (held) foreach (var s in held) s.Dispose();
    }
}
