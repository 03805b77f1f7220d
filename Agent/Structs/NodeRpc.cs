namespace Nomad.Agent.Structs;

public sealed record NodeRegisterRequest(Node Node);

public sealed record NodeUpdateStatusRequest(string NodeID, string SecretID, string Status);

/// <summary>The servers' reply to a registration or heartbeat.</summary>
public sealed record NodeUpdateResponse
{
    public ulong Index { get; init; }
    /// <summary>How long until the client must heartbeat again, in milliseconds.</summary>
    public long HeartbeatTtlMs { get; init; }
    /// <summary>The leader's RPC address, if known.</summary>
    public string? LeaderRpcAddr { get; init; }
    /// <summary>Every server's RPC address, so clients can fail over.</summary>
    public List<string> Servers { get; init; } = new();

    public TimeSpan HeartbeatTtl => TimeSpan.FromMilliseconds(HeartbeatTtlMs);
}
