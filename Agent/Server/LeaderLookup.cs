using Nomad.Agent.Consensus;

namespace Nomad.Agent.Server;

/// <summary>
/// Where a request for the leader goes, waiting out elections: Nomad's RPC hold timeout. Shared by the HTTP
/// forwarding and the client RPC forwarding, so both wait the same way.
/// </summary>
public static class LeaderLookup
{
    /// <summary>How long a request waits for a leader while none is known (or the known one cannot be dialled).</summary>
    public static readonly TimeSpan Wait = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan Poll = TimeSpan.FromMilliseconds(50);

    /// <summary>
    /// The leader's RPC address, or null when this server is the leader. Waits until <paramref name="deadline"/>
    /// for a leader that is not in <paramref name="skip"/> (found unreachable), then throws <see cref="NotLeaderException"/>.
    /// </summary>
    public static async Task<string?> LeaderAsync(IConsensus consensus, Func<string, bool> skip, DateTime deadline, CancellationToken ct)
    {
        while (true)
        {
            if (consensus.IsLeader) return null;
            if (consensus.LeaderAddress is { } leader && !skip(leader)) return leader;
            if (DateTime.UtcNow >= deadline) throw new NotLeaderException(null);
            await Task.Delay(Poll, ct).ConfigureAwait(false);
        }
    }
}
