using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using Nomad.Agent.Logging;

namespace Nomad.Agent.Gossip;

/// <summary>
/// Real network transport: datagrams over UDP and reliable requests over TCP, both on the same
/// port (Nomad's serf port, 4648 by default; 0 picks a free one). A TCP request is one
/// connection carrying a 4-byte big-endian length + payload each way (length 0 = no reply).
/// </summary>
public sealed class UdpGossipTransport : IGossipTransport
{
    private const int MaxStreamMessage = 16 * 1024 * 1024;

    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly Logger _log;
    private readonly CancellationTokenSource _cts = new();
    private IGossipReceiver? _receiver;

    /// <param name="bind">Address to bind UDP and TCP on; port 0 picks a free port for both.</param>
    /// <param name="advertise">Address peers should use; defaults to the bound one.</param>
    public UdpGossipTransport(IPEndPoint bind, IPAddress? advertise = null, Logger? logger = null)
    {
        _log = logger ?? Logger.Null;
        (_tcp, _udp) = BindBoth(bind);
        var port = ((IPEndPoint)_udp.LocalEndPoint!).Port;
        var ip = advertise ?? (bind.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : bind.Address);
        LocalAddress = new IPEndPoint(ip, port).ToString();
    }

    public string LocalAddress { get; }

    private static (TcpListener, Socket) BindBoth(IPEndPoint bind)
    {
        for (var attempt = 0; ; attempt++)
        {
            var tcp = new TcpListener(bind);
            tcp.Start();
            var port = ((IPEndPoint)tcp.LocalEndpoint).Port;
            var udp = new Socket(bind.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
            try
            {
                udp.Bind(new IPEndPoint(bind.Address, port));
                return (tcp, udp);
            }
            catch (SocketException) when (bind.Port == 0 && attempt < 10)
            {
                // The free TCP port is taken for UDP: try another.
                udp.Dispose();
                tcp.Stop();
            }
        }
    }

    public void Start(IGossipReceiver receiver)
    {
        _receiver = receiver;
        _ = Task.Run(ReceiveLoop);
        _ = Task.Run(AcceptLoop);
    }

    public void SendPacket(string address, byte[] payload)
    {
        try { _udp.SendTo(payload, IPEndPoint.Parse(address)); }
        catch (Exception e) when (e is SocketException or FormatException or ObjectDisposedException)
        {
            _log.Debug($"udp send to {address} failed: {e.Message}");
        }
    }

    public void Request(string address, byte[] payload, TimeSpan timeout, Action<byte[]?> onResponse)
    {
        _ = Task.Run(async () =>
        {
            byte[]? reply = null;
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
                cts.CancelAfter(timeout);
                using var client = new TcpClient();
                await client.ConnectAsync(IPEndPoint.Parse(address), cts.Token);
                var stream = client.GetStream();
                await WriteFrame(stream, payload, cts.Token);
                reply = await ReadFrame(stream, cts.Token);
            }
            catch (Exception e)
            {
                _log.Debug($"gossip request to {address} failed: {e.Message}");
            }
            try { onResponse(reply); }
            catch (Exception e) { _log.Error($"gossip response handler failed: {e}"); }
        });
    }

    private async Task ReceiveLoop()
    {
        var buffer = new byte[65536];
        EndPoint any = new IPEndPoint(_udp.AddressFamily == AddressFamily.InterNetworkV6 ? IPAddress.IPv6Any : IPAddress.Any, 0);
        while (!_cts.IsCancellationRequested)
        {
            try
            {
                var r = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, any, _cts.Token);
                var payload = buffer.AsSpan(0, r.ReceivedBytes).ToArray();
                _receiver?.OnPacket(r.RemoteEndPoint.ToString()!, payload);
            }
            catch (OperationCanceledException) { return; }
            catch (ObjectDisposedException) { return; }
            catch (SocketException e)
            {
                // ICMP port-unreachable from an earlier send surfaces here on some platforms.
                _log.Trace($"udp receive: {e.Message}");
            }
            catch (Exception e) { _log.Error($"gossip packet handler failed: {e}"); }
        }
    }

    private async Task AcceptLoop()
    {
        while (!_cts.IsCancellationRequested)
        {
            TcpClient client;
            try { client = await _tcp.AcceptTcpClientAsync(_cts.Token); }
            catch (Exception) { return; }
            _ = Task.Run(() => Serve(client));
        }
    }

    private async Task Serve(TcpClient client)
    {
        using (client)
        {
            try
            {
                using var cts = CancellationTokenSource.CreateLinkedTokenSource(_cts.Token);
                cts.CancelAfter(TimeSpan.FromSeconds(30));
                var stream = client.GetStream();
                var req = await ReadFrame(stream, cts.Token);
                var reply = req is null ? null : _receiver?.OnRequest(client.Client.RemoteEndPoint?.ToString() ?? "", req);
                await WriteFrame(stream, reply ?? [], cts.Token);
            }
            catch (Exception e) { _log.Debug($"gossip stream failed: {e.Message}"); }
        }
    }

    private static async Task WriteFrame(Stream s, byte[] payload, CancellationToken ct)
    {
        var header = new byte[4];
        BinaryPrimitives.WriteInt32BigEndian(header, payload.Length);
        await s.WriteAsync(header, ct);
        await s.WriteAsync(payload, ct);
        await s.FlushAsync(ct);
    }

    private static async Task<byte[]?> ReadFrame(Stream s, CancellationToken ct)
    {
        var header = new byte[4];
        await s.ReadExactlyAsync(header, ct);
        var len = BinaryPrimitives.ReadInt32BigEndian(header);
        if (len < 0 || len > MaxStreamMessage) throw new InvalidDataException("bad gossip frame length");
        if (len == 0) return null;
        var buf = new byte[len];
        await s.ReadExactlyAsync(buf, ct);
        return buf;
    }

    public void Dispose()
    {
        if (_cts.IsCancellationRequested) return;
        _cts.Cancel();
        _udp.Dispose();
        _tcp.Stop();
    }
}
