using System.Collections.Concurrent;
using System.Diagnostics;

namespace Nomad.Agent.Gossip;

/// <summary>Monotonic wall clock; timers run on the thread pool.</summary>
public sealed class SystemGossipClock : IGossipClock
{
    public static SystemGossipClock Instance { get; } = new();

    private readonly Stopwatch _watch = Stopwatch.StartNew();
    // Pending timers are rooted here so the GC cannot collect them before they fire.
    private readonly ConcurrentDictionary<Handle, byte> _pending = new();

    public TimeSpan Now => _watch.Elapsed;

    public IDisposable Schedule(TimeSpan delay, Action action)
    {
        var handle = new Handle(this);
        _pending[handle] = 0;
        handle.Timer = new Timer(state =>
        {
            if (!_pending.TryRemove(handle, out _)) return;
            handle.Timer?.Dispose();
            action();
        }, null, delay < TimeSpan.Zero ? TimeSpan.Zero : delay, Timeout.InfiniteTimeSpan);
        return handle;
    }

    private sealed class Handle(SystemGossipClock owner) : IDisposable
    {
        public Timer? Timer;
        public void Dispose()
        {
            owner._pending.TryRemove(this, out _);
            Timer?.Dispose();
        }
    }
}
