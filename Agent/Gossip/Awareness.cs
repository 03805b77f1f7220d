namespace Nomad.Agent.Gossip;

/// <summary>
/// Lifeguard's local health score: 0 is healthy. Missed acks and nacks and having to refute
/// raise it, successful probes lower it; probe interval and timeout are scaled by (score + 1)
/// so a struggling node slows down instead of accusing healthy peers.
/// </summary>
internal sealed class Awareness(int max)
{
    public int Score { get; private set; }

    public void Apply(int delta) => Score = Math.Clamp(Score + delta, 0, Math.Max(0, max - 1));

    public TimeSpan Scale(TimeSpan timeout) => timeout * (Score + 1);
}
