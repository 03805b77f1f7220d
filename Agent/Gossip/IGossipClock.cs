namespace Nomad.Agent.Gossip;

/// <summary>Time and one-shot timers for a gossip node: wall clock in production, virtual in simulation.</summary>
public interface IGossipClock
{
    TimeSpan Now { get; }

    /// <summary>Run <paramref name="action"/> once after <paramref name="delay"/>; dispose to cancel.</summary>
    IDisposable Schedule(TimeSpan delay, Action action);
}
