using Nomad.Agent.Logging;

namespace Nomad.Agent;

/// <summary>
/// Gives the memory a burst of work took back to the OS once the agent is quiet again.
/// </summary>
/// <remarks>
/// The .NET GC collects only when something allocates: after a burst of requests (large job bodies, many
/// registrations) stops, an idle agent allocates too little to trigger the full collection that would free the
/// large-object heap and the generations' grown budgets, and the freed regions stay committed. Measured on a dev
/// agent: ~600 MB RSS a minute after 30 s of load, of which ~300 MB were dead large objects and most of the rest
/// committed but empty. So, every <see cref="Period"/>: when the agent has allocated at least
/// <see cref="BusyBytes"/> since the last release (there was work, so there is garbage) and less than
/// <see cref="QuietBytes"/> in the last period (the work is over), one blocking collection in
/// <see cref="GCCollectionMode.Aggressive"/> mode compacts every generation and decommits what is free. It runs
/// once per burst, never under load (so it adds no pause to requests), and costs a few milliseconds on an idle
/// agent's small heap. An agent idle for long (an idle dev agent allocates ~0.25 MB/s) repeats it every few minutes.
/// </remarks>
public sealed class IdleMemoryRelease(long allocatedAtStart)
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);

    /// <summary>Allocated within one period below which the agent counts as quiet (about 5× an idle dev agent's rate).</summary>
    public const long QuietBytes = 8L << 20;

    /// <summary>Allocated since the last release above which a release is worth its pause.</summary>
    public const long BusyBytes = 64L << 20;

    /// <summary>
    /// Live data (what the last full collection kept) above which no release is made: a compacting collection of
    /// such a heap (a server holding a large state) pauses every thread long enough to threaten Raft's heartbeats,
    /// and that is not the small agent left holding a burst's garbage this is for.
    /// </summary>
    public const long MaxLiveBytes = 256L << 20;

    private long _lastSample = allocatedAtStart;
    private long _lastRelease = allocatedAtStart;

    /// <summary>
    /// Called once a <see cref="Period"/> with the bytes allocated so far (<see cref="GC.GetTotalAllocatedBytes"/>):
    /// true when the agent was busy since the last release and was quiet during this period, and its live data
    /// (<paramref name="liveBytes"/>) is small enough for the pause to be short.
    /// </summary>
    public bool ShouldRelease(long allocated, long liveBytes = 0)
    {
        var quiet = allocated - _lastSample < QuietBytes;
        _lastSample = allocated;
        if (!quiet || allocated - _lastRelease < BusyBytes || liveBytes > MaxLiveBytes) return false;
        _lastRelease = allocated;
        return true;
    }

    /// <summary>Watches the process's allocations until <paramref name="ct"/> is cancelled, releasing after each burst.</summary>
    public static async Task RunAsync(Logger log, CancellationToken ct)
    {
        var policy = new IdleMemoryRelease(GC.GetTotalAllocatedBytes());
        using var timer = new PeriodicTimer(Period);
        try
        {
            while (await timer.WaitForNextTickAsync(ct).ConfigureAwait(false))
            {
                // What the last full collection promoted is the live data (0 before the first one).
                var live = GC.GetGCMemoryInfo(GCKind.FullBlocking).PromotedBytes;
                if (!policy.ShouldRelease(GC.GetTotalAllocatedBytes(), live)) continue;
                var before = GC.GetGCMemoryInfo().TotalCommittedBytes;
                GC.Collect(GC.MaxGeneration, GCCollectionMode.Aggressive, blocking: true, compacting: true);
                TrimNativeHeap();
                log.Debug($"released memory after load: gc_committed_before={before >> 20}MB gc_committed_after={GC.GetGCMemoryInfo().TotalCommittedBytes >> 20}MB");
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>
    /// glibc's malloc keeps freed native memory (sockets, the JIT, native libraries) in its arenas; malloc_trim hands
    /// the free pages back. Other C libraries (musl) have no such call, and nothing is lost without it.
    /// </summary>
    private static void TrimNativeHeap()
    {
        if (!OperatingSystem.IsLinux()) return;
        try { MallocTrim(0); }
        catch (Exception e) when (e is EntryPointNotFoundException or DllNotFoundException) { }
    }

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "malloc_trim")]
    private static extern int MallocTrim(nuint pad);
}
