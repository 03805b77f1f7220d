namespace Nomad.Agent.Gossip;

/// <summary>One endpoint on a <see cref="SimulatedNetwork"/>; disposing it takes the node off the network.</summary>
public sealed class SimulatedTransport : IGossipTransport
{
    private readonly SimulatedNetwork _net;
    private IGossipReceiver? _receiver;
    private bool _disposed;

    internal SimulatedTransport(SimulatedNetwork net, string address)
    {
        _net = net;
        LocalAddress = address;
    }

    public string LocalAddress { get; }

    public void Start(IGossipReceiver receiver) => _receiver = receiver;

    public void SendPacket(string address, byte[] payload)
    {
        if (!_disposed) _net.Send(LocalAddress, address, payload);
    }

    public void Request(string address, byte[] payload, TimeSpan timeout, Action<byte[]?> onResponse)
    {
        if (_disposed) { onResponse(null); return; }
        _net.Request(LocalAddress, address, payload, timeout, r => { if (!_disposed) onResponse(r); });
    }

    internal void Deliver(string from, byte[] payload)
    {
        if (!_disposed) _receiver?.OnPacket(from, payload);
    }

    internal byte[]? HandleRequest(string from, byte[] payload) => _disposed ? null : _receiver?.OnRequest(from, payload);

    public void Dispose()
    {
        _disposed = true;
        _net.Detach(this);
    }
}
