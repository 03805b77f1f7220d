using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// Leader-only: every <c>interval</c>, removes nodes that have been down for longer than <c>threshold</c>.
/// </summary>
public sealed class NodeGarbageCollector(IConsensus consensus, StateStore state, TimeSpan threshold, TimeSpan interval, Logger log)
{
    /// <summary>Runs until <paramref name="ct"/> is cancelled (when leadership is lost or the server stops).</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
                await CollectAsync(DateTimeOffset.UtcNow, ct).ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One pass: returns how many nodes were removed.</summary>
    public Task<int> CollectAsync(DateTimeOffset now, CancellationToken ct) => CollectDownSinceAsync(now - threshold, ct);

    /// <summary>A pass that removes every down node whatever its age (<c>PUT /v1/system/gc</c>).</summary>
    public Task<int> ForceAsync(CancellationToken ct) => CollectDownSinceAsync(DateTimeOffset.UtcNow, ct);

    private async Task<int> CollectDownSinceAsync(DateTimeOffset cutoff, CancellationToken ct)
    {
        var dead = state.Current.Nodes.Values
            .Where(n => n.Status == NodeStatus.Down && DateTimeOffset.FromUnixTimeSeconds(n.StatusUpdatedAt) <= cutoff)
            .Select(n => n.ID)
            .ToList();
        if (dead.Count == 0) return 0;
        try
        {
            await consensus.ApplyAsync(new NodeDeregisterCommand(dead), ct).ConfigureAwait(false);
            log.Debug($"node GC: removed nodes: count={dead.Count}");
            return dead.Count;
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Error($"node GC failed: error=\"{e.Message}\"");
            return 0;
        }
    }
}
