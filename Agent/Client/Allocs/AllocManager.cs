using System.Collections.Concurrent;
using Nomad.Agent.Structs;
using Nomad.Contracts;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// The client's allocation runners, by allocation ID: restored from the state dir at start, then kept in
/// step with the servers by <see cref="AllocWatcher"/> and pruned by <see cref="AllocGarbageCollector"/>.
/// </summary>
public sealed class AllocManager(AllocRunnerContext ctx)
{
    private readonly ConcurrentDictionary<string, AllocRunner> _runners = new();

    public AllocRunnerContext Context => ctx;

    /// <summary>Raised after new allocations were added, so the collector can make room.</summary>
    public event Action? Added;

    public AllocRunner? Get(string allocId) => _runners.TryGetValue(allocId, out var r) && !r.Destroyed ? r : null;

    /// <summary>Hands a driver's report to the task attempt it names (driver task IDs are ALLOC/TASK/ATTEMPT).</summary>
    public void DriverReported(DriverTaskEvent e)
    {
        var allocId = e.TaskID.Split('/')[0];
        Get(allocId)?.Tasks.FirstOrDefault(t => t.TaskId == e.TaskID)?.DriverReported(e.Message);
    }

    /// <summary>Allocation runners that have not been destroyed.</summary>
    public IReadOnlyList<AllocRunner> All => _runners.Values.Where(r => !r.Destroyed).ToList();

    /// <summary>What the client holds, as ID → AllocModifyIndex of the version it runs (destroyed ones included: they stay known).</summary>
    public IReadOnlyDictionary<string, ulong> Known => _runners.ToDictionary(kv => kv.Key, kv => kv.Value.Alloc.AllocModifyIndex);

    /// <summary>Restores every allocation in the state dir; returns the task IDs they own.</summary>
    public IReadOnlySet<string> Restore()
    {
        var owned = new HashSet<string>();
        foreach (var record in ctx.AllocStore.All())
        {
            ctx.Log.Info($"restoring allocation: alloc_id={record.Alloc.ID} client_status={record.ClientStatus}");
            var runner = AllocRunner.Restore(ctx, record);
            _runners[record.Alloc.ID] = runner;
            foreach (var t in runner.Tasks) owned.Add(t.TaskId);
        }
        return owned;
    }

    /// <summary>Applies what the servers sent: new allocations start, known ones are updated.</summary>
    public void Apply(IEnumerable<Allocation> allocs)
    {
        var added = false;
        foreach (var alloc in allocs)
        {
            if (_runners.TryGetValue(alloc.ID, out var runner))
            {
                if (!runner.Destroyed) runner.Update(alloc);
                continue;
            }
            if (alloc.IsTerminal)
            {
                // Already stopped or finished (a client that lost its state): nothing to run. Not remembered,
                // so the collector has nothing to do; the servers keep it until their own GC.
                continue;
            }
            ctx.Log.Info($"starting allocation: alloc_id={alloc.ID} name={alloc.Name}");
            _runners[alloc.ID] = AllocRunner.Start(ctx, alloc);
            added = true;
        }
        if (added) Added?.Invoke();
    }

    /// <summary>The servers no longer know these allocations (collected): stop and destroy them, and forget them.</summary>
    public async Task RemoveAsync(IEnumerable<string> allocIds)
    {
        foreach (var id in allocIds)
        {
            if (!_runners.TryGetValue(id, out var runner)) continue;
            ctx.Log.Info($"allocation removed by the servers: alloc_id={id}");
            if (!runner.Destroyed) await runner.DestroyAsync().ConfigureAwait(false);
            _runners.TryRemove(id, out _);
        }
    }

    /// <summary>Stops and destroys every allocation (a dev agent's shutdown), all at once.</summary>
    public async Task DestroyAllAsync()
    {
        var runners = _runners.Values.Where(r => !r.Destroyed).ToList();
        await Task.WhenAll(runners.Select(r => r.DestroyAsync())).ConfigureAwait(false);
    }
}
