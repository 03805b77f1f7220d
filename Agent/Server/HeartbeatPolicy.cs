namespace Nomad.Agent.Server;

/// <summary>
/// Nomad's heartbeat TTL rule: the TTL grows with the number of nodes so the servers see at most
/// max_heartbeats_per_second, never below min_heartbeat_ttl, plus a random stagger of up to the same
/// again so clients spread out. The server's timer allows heartbeat_grace more.
/// </summary>
public sealed record HeartbeatPolicy(TimeSpan MinTtl, double MaxHeartbeatsPerSecond, TimeSpan Grace, TimeSpan FailoverTtl)
{
    public static HeartbeatPolicy Default { get; } = new(TimeSpan.FromSeconds(10), 50, TimeSpan.FromSeconds(10), TimeSpan.FromMinutes(5));

    /// <summary>The TTL before stagger for a cluster of <paramref name="nodes"/> nodes.</summary>
    public TimeSpan BaseTtl(int nodes)
    {
        var scaled = TimeSpan.FromSeconds(nodes / Math.Max(MaxHeartbeatsPerSecond, 0.001));
        return scaled > MinTtl ? scaled : MinTtl;
    }

    /// <summary>The TTL handed to a client: the base plus a random stagger in [0, base).</summary>
    public TimeSpan Ttl(int nodes, Random random)
    {
        var b = BaseTtl(nodes);
        return b + TimeSpan.FromTicks((long)(random.NextDouble() * b.Ticks));
    }

    /// <summary>How long the server waits for the next heartbeat after handing out <paramref name="ttl"/>.</summary>
    public TimeSpan ServerTimeout(TimeSpan ttl) => ttl + Grace;
}
