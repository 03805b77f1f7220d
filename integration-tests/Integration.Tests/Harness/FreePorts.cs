using System.Net;
using System.Net.Sockets;

namespace Nomad.IntegrationTests.Harness;

/// <summary>
/// Ports on 127.0.0.1 that nothing uses right now (TCP and UDP: the serf port takes both), handed out once per
/// test run. They come from below the kernel's ephemeral range (32768 and up), where every outgoing connection
/// takes its local port, so a port found free there can be taken by a connection before the agent binds it; and
/// below Nomad's dynamic port range (20000-32000), which the tasks' ports come from.
/// </summary>
public static class FreePorts
{
    private const int First = 10000;
    private const int Count = 10000;
    // A random start keeps test processes running at once apart; each port is handed out once per process.
    private static int _next = Random.Shared.Next(Count);

    public static int[] Take(int count)
    {
        var ports = new List<int>(count);
        for (var tried = 0; ports.Count < count; tried++)
        {
            if (tried == Count) throw new InvalidOperationException($"no free ports left in {First}-{First + Count - 1}");
            var port = First + (int)((uint)Interlocked.Increment(ref _next) % Count);
            if (IsFree(port)) ports.Add(port);
        }
        return ports.ToArray();
    }

    private static bool IsFree(int port)
    {
        try
        {
            using var tcp = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            tcp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            using var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, port));
            return true;
        }
        catch (SocketException)
        {
            return false;
        }
    }
}
