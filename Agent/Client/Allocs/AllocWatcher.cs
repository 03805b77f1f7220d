using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// Keeps the client's allocations in step with the servers (Nomad's client watchAllocations): a blocking
/// query for the node's ID → AllocModifyIndex, then the changed allocations fetched whole and applied, and
/// the ones the servers dropped destroyed. Errors back off exponentially, up to half a minute.
/// </summary>
public sealed class AllocWatcher(AllocManager allocs, INodeService servers, Func<(string NodeId, string SecretId)> identity)
{
    /// <summary>How long one blocking query may wait on the servers.</summary>
    public TimeSpan MaxWait { get; init; } = TimeSpan.FromMinutes(1);

    private static readonly TimeSpan MinBackoff = TimeSpan.FromSeconds(1), MaxBackoff = TimeSpan.FromSeconds(30);

    public async Task RunAsync(CancellationToken ct)
    {
        var log = allocs.Context.Log;
        ulong index = 0;
        var backoff = MinBackoff;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var (node, secret) = identity();
                var resp = await servers.GetClientAllocsAsync(new NodeClientAllocsRequest(node, secret, index, (long)MaxWait.TotalMilliseconds), ct).ConfigureAwait(false);
                // A server behind what we have seen (a lagging follower) must not make us destroy what it does not know yet.
                // Ask again with the same index: the server answers once it has caught up (or after the wait).
                if (resp.Index < index) continue;
                var known = allocs.Known;
                var changed = resp.Allocs.Where(kv => !known.TryGetValue(kv.Key, out var have) || have < kv.Value).Select(kv => kv.Key).ToList();
                var removed = known.Keys.Where(id => !resp.Allocs.ContainsKey(id)).ToList();
                if (changed.Count > 0)
                {
                    var fetched = await servers.GetAllocsAsync(new AllocsGetRequest(node, secret, changed), ct).ConfigureAwait(false);
                    log.Debug($"updated allocations: index={resp.Index} total={resp.Allocs.Count} pulled={fetched.Allocs.Count}");
                    allocs.Apply(fetched.Allocs);
                }
                if (removed.Count > 0) await allocs.RemoveAsync(removed).ConfigureAwait(false);
                index = resp.Index;
                backoff = MinBackoff;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                log.Error($"error querying node allocations: error=\"{e.Message}\" retry_in={backoff.TotalSeconds}s");
                try { await Task.Delay(backoff, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, MaxBackoff.Ticks));
            }
        }
    }
}
