namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// Nomad's client GC: every gc_interval, and whenever new allocations arrive, destroys the directories of
/// terminal allocations, oldest first, while the client holds more than gc_max_allocs allocations or the
/// alloc_dir's disk is fuller than gc_disk_usage_threshold percent. Running allocations are never touched.
/// </summary>
public sealed class AllocGarbageCollector(AllocManager allocs, TimeSpan interval, int maxAllocs, double diskUsageThreshold)
{
    private readonly SemaphoreSlim _running = new(1, 1);
    private volatile TaskCompletionSource _kick = new(TaskCreationOptions.RunContinuationsAsynchronously);

    /// <summary>Asks for a collection now (new allocations arrived).</summary>
    public void Kick() => _kick.TrySetResult();

    public async Task RunAsync(CancellationToken ct)
    {
        while (!ct.IsCancellationRequested)
        {
            var kick = _kick.Task;
            try { await Task.WhenAny(Task.Delay(interval, ct), kick).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
            if (ct.IsCancellationRequested) return;
            if (kick.IsCompleted) _kick = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            try { await CollectAsync().ConfigureAwait(false); }
            catch (Exception e) { allocs.Context.Log.Error($"client GC failed: error=\"{e.Message}\""); }
        }
    }

    /// <summary>One collection; returns the IDs of the allocations destroyed.</summary>
    public async Task<List<string>> CollectAsync()
    {
        await _running.WaitAsync().ConfigureAwait(false);
        try
        {
            var destroyed = new List<string>();
            var live = allocs.All;
            var terminal = new Queue<AllocRunner>(live.Where(r => r.IsTerminal).OrderBy(r => r.TerminalAt));
            var count = live.Count;
            while (terminal.Count > 0 && (count > maxAllocs || DiskUsagePercent() > diskUsageThreshold))
            {
                var r = terminal.Dequeue();
                var reason = count > maxAllocs ? $"number of allocations ({count}) is over the limit ({maxAllocs})" : $"disk usage over {diskUsageThreshold}%";
                allocs.Context.Log.Info($"garbage collecting allocation: alloc_id={r.Alloc.ID} reason=\"{reason}\"");
                await r.DestroyAsync().ConfigureAwait(false);
                destroyed.Add(r.Alloc.ID);
                count--;
            }
            return destroyed;
        }
        finally { _running.Release(); }
    }

    private double DiskUsagePercent()
    {
        try
        {
            var drive = new DriveInfo(allocs.Context.AllocDirRoot);
            return drive.TotalSize == 0 ? 0 : 100.0 * (drive.TotalSize - drive.AvailableFreeSpace) / drive.TotalSize;
        }
        catch (Exception e) when (e is IOException or ArgumentException or UnauthorizedAccessException) { return 0; }
    }
}
