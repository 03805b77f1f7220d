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

/// <summary>Blocks until the node's allocations change past <see cref="MinIndex"/> or <see cref="MaxWaitMs"/> passes.</summary>
public sealed record NodeClientAllocsRequest(string NodeID, string SecretID, ulong MinIndex, long MaxWaitMs);

/// <summary>The node's allocations as ID → AllocModifyIndex, so the client fetches only what the servers changed.</summary>
public sealed record NodeClientAllocsResponse(ulong Index, Dictionary<string, ulong> Allocs);

/// <summary>Fetches whole allocations (with their jobs) for a node.</summary>
public sealed record AllocsGetRequest(string NodeID, string SecretID, List<string> AllocIDs);

public sealed record AllocsGetResponse(ulong Index, List<Allocation> Allocs);

/// <summary>A client's batch of allocation status changes.</summary>
public sealed record AllocUpdateRequest(string NodeID, string SecretID, List<AllocClientUpdate> Allocs);

/// <summary>One allocation's client-side state.</summary>
public sealed record AllocClientUpdate(string AllocID, string ClientStatus, string ClientDescription, Dictionary<string, TaskState>? TaskStates)
{
    /// <summary>The allocation's health once the client decided it (null: unchanged).</summary>
    public AllocDeploymentStatus? DeploymentStatus { get; init; }
}
