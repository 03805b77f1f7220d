namespace Nomad.Agent.Gossip;

/// <summary>
/// A discrete-event clock for simulations: timers fire in time order on the caller's thread
/// when the test runs the clock, so a whole cluster is deterministic for a given seed.
/// Not thread-safe: drive it from one thread.
/// </summary>
public sealed class VirtualClock : IGossipClock
{
    private readonly PriorityQueue<Entry, (TimeSpan At, long Seq)> _queue = new();
    private long _seq;

    public TimeSpan Now { get; private set; }

    public int Pending => _queue.Count;

    public IDisposable Schedule(TimeSpan delay, Action action)
    {
        var entry = new Entry(action);
        if (delay < TimeSpan.Zero) delay = TimeSpan.Zero;
        _queue.Enqueue(entry, (Now + delay, _seq++));
        return entry;
    }

    /// <summary>Runs every timer due up to <c>Now + span</c>, then sets Now there.</summary>
    public void RunFor(TimeSpan span) => RunUntil(() => false, span);

    /// <summary>
    /// Runs timers until <paramref name="condition"/> holds (checked each time virtual time
    /// moves on by <paramref name="checkEvery"/>, default 10 ms) or <paramref name="span"/> has
    /// passed. Returns whether the condition held.
    /// </summary>
    public bool RunUntil(Func<bool> condition, TimeSpan span, TimeSpan? checkEvery = null)
    {
        var step = checkEvery ?? TimeSpan.FromMilliseconds(10);
        var end = Now + span;
        var nextCheck = Now;
        while (true)
        {
            if (Now >= nextCheck)
            {
                if (condition()) return true;
                nextCheck = Now + step;
            }
            if (!_queue.TryPeek(out var entry, out var key) || key.At > end)
            {
                Now = end;
                return condition();
            }
            _queue.Dequeue();
            if (key.At > Now) Now = key.At;
            if (!entry.Cancelled) entry.Action();
        }
    }

    private sealed class Entry(Action action) : IDisposable
    {
        public Action Action { get; } = action;
        public bool Cancelled { get; private set; }
        public void Dispose() => Cancelled = true;
    }
}
