namespace Nomad.Agent.Gossip;

/// <summary>Receives what a transport delivers: datagrams, and reliable requests that want a reply.</summary>
public interface IGossipReceiver
{
    /// <summary>A datagram arrived from <paramref name="from"/> ("host:port").</summary>
    void OnPacket(string from, byte[] payload);

    /// <summary>A reliable request arrived; the return value (if any) is the reply.</summary>
    byte[]? OnRequest(string from, byte[] payload);
}

/// <summary>
/// How a gossip node talks to peers: unreliable datagrams (probes, acks, gossip) and a reliable
/// request/response (the TCP fallback ping, push-pull state sync, join). Addresses are "host:port".
/// </summary>
public interface IGossipTransport : IDisposable
{
    /// <summary>The address peers reach this node on.</summary>
    string LocalAddress { get; }

    /// <summary>Begin delivering to <paramref name="receiver"/>.</summary>
    void Start(IGossipReceiver receiver);

    /// <summary>Best-effort datagram; may be lost, never throws for network errors.</summary>
    void SendPacket(string address, byte[] payload);

    /// <summary>
    /// Reliable request; <paramref name="onResponse"/> is called exactly once, with the reply or
    /// null on timeout, refusal or error.
    /// </summary>
    void Request(string address, byte[] payload, TimeSpan timeout, Action<byte[]?> onResponse);
}
