using System.Collections.Concurrent;

namespace Nomad.Agent.Server;

/// <summary>
/// The leader's per-node heartbeat deadlines. When one passes without a reset, <c>expired</c> is called
/// with the node ID (once). Followers keep no timers.
/// </summary>
public sealed class HeartbeatTimers(Func<string, Task> expired) : IDisposable
{
    private readonly ConcurrentDictionary<string, Timer> _timers = new();

    public int Count => _timers.Count;

    public void Reset(string nodeId, TimeSpan timeout)
    {
        var timer = _timers.GetOrAdd(nodeId, id => new Timer(_ => Fire(id)));
        timer.Change(timeout, Timeout.InfiniteTimeSpan);
    }

    public void Remove(string nodeId)
    {
        if (_timers.TryRemove(nodeId, out var t)) t.Dispose();
    }

    public void Clear()
    {
        foreach (var id in _timers.Keys) Remove(id);
    }

    public void Dispose() => Clear();

    private void Fire(string nodeId)
    {
        if (!_timers.TryRemove(nodeId, out var t)) return;
        t.Dispose();
        _ = expired(nodeId);
    }
}
