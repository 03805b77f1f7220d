namespace Nomad.Agent.Gossip;

/// <summary>
/// Pending broadcasts to piggyback on outgoing packets (memberlist's TransmitLimitedQueue).
/// A newer broadcast about a member replaces the older one; each is sent at most
/// <c>limit</c> times, least-sent first. Not thread-safe: the node holds its lock.
/// </summary>
internal sealed class BroadcastQueue
{
    private sealed class Item(string key, byte[] payload, Action? done)
    {
        public string Key { get; } = key;
        public byte[] Payload { get; } = payload;
        public Action? Done { get; } = done;
        public int Transmits;
        public long Order;
    }

    private readonly Dictionary<string, Item> _byKey = new();
    private long _order;

    public int Count => _byKey.Count;

    /// <summary>Queues <paramref name="payload"/> about <paramref name="key"/>; <paramref name="done"/>
    /// runs when it has been sent <c>limit</c> times or was replaced.</summary>
    public void Enqueue(string key, byte[] payload, Action? done = null)
    {
        if (_byKey.Remove(key, out var old)) old.Done?.Invoke();
        _byKey[key] = new Item(key, payload, done) { Order = _order++ };
    }

    /// <summary>Takes broadcasts that fit in <paramref name="budget"/> bytes, counting a transmit on each.</summary>
    public List<byte[]> Take(int budget, int maxCount, int limit)
    {
        var taken = new List<byte[]>();
        if (_byKey.Count == 0 || budget <= 0) return taken;
        // Fewest transmits first; among equals, newest first (memberlist's ordering).
        foreach (var item in _byKey.Values.OrderBy(i => i.Transmits).ThenByDescending(i => i.Order).ToList())
        {
            if (taken.Count >= maxCount) break;
            if (item.Payload.Length > budget) continue;
            budget -= item.Payload.Length;
            taken.Add(item.Payload);
            if (++item.Transmits >= limit)
            {
                _byKey.Remove(item.Key);
                item.Done?.Invoke();
            }
        }
        return taken;
    }

    public void Clear()
    {
        foreach (var i in _byKey.Values) i.Done?.Invoke();
        _byKey.Clear();
    }
}
