namespace Nomad.Agent.Gossip;

/// <summary>
/// Tuning for a <see cref="GossipNode"/>. <see cref="Lan"/> mirrors hashicorp/memberlist's
/// DefaultLANConfig (plus Serf's reconnect/reap timers); <see cref="Wan"/> its DefaultWANConfig;
/// <see cref="Fast"/> is a short-interval profile for tests on loopback.
/// </summary>
public sealed record GossipOptions
{
    /// <summary>This node's unique name in the pool.</summary>
    public required string Name { get; init; }
    public IReadOnlyDictionary<string, string> Tags { get; init; } = new Dictionary<string, string>();

    public TimeSpan ProbeInterval { get; init; } = TimeSpan.FromSeconds(1);
    public TimeSpan ProbeTimeout { get; init; } = TimeSpan.FromMilliseconds(500);
    /// <summary>Members asked to ping-req a target that missed its direct ack (SWIM's k).</summary>
    public int IndirectChecks { get; init; } = 3;
    /// <summary>Fall back to a reliable (TCP) ping when UDP probes fail.</summary>
    public bool DisableTcpPings { get; init; }
    /// <summary>Suspicion min timeout = SuspicionMult × max(1, log10(n)) × ProbeInterval.</summary>
    public int SuspicionMult { get; init; } = 4;
    /// <summary>Suspicion max timeout = SuspicionMaxTimeoutMult × min timeout (Lifeguard).</summary>
    public int SuspicionMaxTimeoutMult { get; init; } = 6;
    /// <summary>Lifeguard local-health cap: probe interval/timeout scale by (health + 1), health &lt; this.</summary>
    public int AwarenessMaxMultiplier { get; init; } = 8;
    /// <summary>Each broadcast is piggybacked RetransmitMult × ceil(log10(n + 1)) times.</summary>
    public int RetransmitMult { get; init; } = 4;
    public TimeSpan GossipInterval { get; init; } = TimeSpan.FromMilliseconds(200);
    public int GossipNodes { get; init; } = 3;
    /// <summary>Dead members still receive gossip this long (so they can learn and refute).</summary>
    public TimeSpan GossipToTheDeadTime { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Full state sync with one random member; scaled up above 32 members.</summary>
    public TimeSpan PushPullInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Timeout of a reliable request (TCP ping, push-pull, join).</summary>
    public TimeSpan TcpTimeout { get; init; } = TimeSpan.FromSeconds(10);
    /// <summary>Serf: how often to try a push-pull with one failed member (heals partitions).</summary>
    public TimeSpan ReconnectInterval { get; init; } = TimeSpan.FromSeconds(30);
    /// <summary>Serf: a failed member is reaped after this long.</summary>
    public TimeSpan ReconnectTimeout { get; init; } = TimeSpan.FromHours(24);
    /// <summary>Serf: a left member is reaped after this long.</summary>
    public TimeSpan TombstoneTimeout { get; init; } = TimeSpan.FromHours(24);
    public TimeSpan ReapInterval { get; init; } = TimeSpan.FromSeconds(15);
    /// <summary>UDP payload budget; piggybacked broadcasts fill a packet up to this.</summary>
    public int MaxPacketSize { get; init; } = 1400;
    /// <summary>Seed for this node's Random (probe order, peer choice); null = unseeded.</summary>
    public int? Seed { get; init; }

    public static GossipOptions Lan(string name) => new() { Name = name };

    public static GossipOptions Wan(string name) => new()
    {
        Name = name,
        TcpTimeout = TimeSpan.FromSeconds(30),
        SuspicionMult = 6,
        PushPullInterval = TimeSpan.FromSeconds(60),
        ProbeTimeout = TimeSpan.FromSeconds(3),
        ProbeInterval = TimeSpan.FromSeconds(5),
        GossipNodes = 4,
        GossipInterval = TimeSpan.FromMilliseconds(500),
    };

    /// <summary>Short intervals for tests on loopback (10× faster than LAN).</summary>
    public static GossipOptions Fast(string name) => new()
    {
        Name = name,
        ProbeInterval = TimeSpan.FromMilliseconds(100),
        ProbeTimeout = TimeSpan.FromMilliseconds(50),
        GossipInterval = TimeSpan.FromMilliseconds(20),
        PushPullInterval = TimeSpan.FromSeconds(3),
        TcpTimeout = TimeSpan.FromSeconds(1),
        ReconnectInterval = TimeSpan.FromSeconds(1),
        ReapInterval = TimeSpan.FromSeconds(1),
        GossipToTheDeadTime = TimeSpan.FromSeconds(3),
    };

    /// <summary>Lifeguard's minimum suspicion timeout for a pool of <paramref name="n"/> members.</summary>
    public TimeSpan SuspicionMinTimeout(int n)
    {
        var scale = Math.Max(1.0, Math.Log10(Math.Max(1, n)));
        return TimeSpan.FromMilliseconds(Math.Floor(SuspicionMult * scale * ProbeInterval.TotalMilliseconds));
    }

    public TimeSpan SuspicionMaxTimeout(int n) => SuspicionMinTimeout(n) * SuspicionMaxTimeoutMult;

    /// <summary>How many times a broadcast is piggybacked in a pool of <paramref name="n"/>.</summary>
    public int RetransmitLimit(int n) => RetransmitMult * (int)Math.Ceiling(Math.Log10(n + 1));

    /// <summary>memberlist's pushPullScale: above 32 members the interval grows with log2(n).</summary>
    public TimeSpan ScaledPushPullInterval(int n)
    {
        if (n <= 32) return PushPullInterval;
        var mult = Math.Ceiling(Math.Log2(n) - Math.Log2(32)) + 1;
        return PushPullInterval * mult;
    }
}
