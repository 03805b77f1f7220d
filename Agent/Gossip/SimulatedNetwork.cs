namespace Nomad.Agent.Gossip;

/// <summary>
/// An in-process network on a <see cref="VirtualClock"/> for tests: datagrams are lost with
/// <see cref="LossRate"/> and delayed uniformly in [<see cref="MinDelay"/>, <see cref="MaxDelay"/>];
/// reliable requests are never lost but still delayed. Partitions cut both. One seeded Random
/// makes a run reproducible. Drive it from the clock's thread only.
/// </summary>
public sealed class SimulatedNetwork(VirtualClock clock, int seed)
{
    private readonly Random _rng = new(seed);
    private readonly Dictionary<string, SimulatedTransport> _endpoints = new(StringComparer.Ordinal);
    private readonly Dictionary<string, int> _side = new(StringComparer.Ordinal);

    public VirtualClock Clock => clock;
    public double LossRate { get; set; }
    public TimeSpan MinDelay { get; set; } = TimeSpan.FromMilliseconds(1);
    public TimeSpan MaxDelay { get; set; } = TimeSpan.FromMilliseconds(5);
    public long PacketsSent { get; private set; }
    public long PacketsDropped { get; private set; }

    public SimulatedTransport CreateTransport(string address)
    {
        if (_endpoints.ContainsKey(address)) throw new InvalidOperationException($"address {address} in use");
        var t = new SimulatedTransport(this, address);
        _endpoints[address] = t;
        return t;
    }

    /// <summary>Cuts <paramref name="minority"/> off from everyone else (both directions).</summary>
    public void Partition(IEnumerable<string> minority)
    {
        foreach (var a in minority) _side[a] = 1;
    }

    public void Heal() => _side.Clear();

    public bool CanReach(string from, string to) =>
        _side.GetValueOrDefault(from) == _side.GetValueOrDefault(to);

    internal void Detach(SimulatedTransport t)
    {
        if (_endpoints.TryGetValue(t.LocalAddress, out var cur) && cur == t) _endpoints.Remove(t.LocalAddress);
    }

    private TimeSpan Delay() => MinDelay + (MaxDelay - MinDelay) * _rng.NextDouble();

    internal void Send(string from, string to, byte[] payload)
    {
        PacketsSent++;
        if (!CanReach(from, to) || _rng.NextDouble() < LossRate) { PacketsDropped++; return; }
        var copy = (byte[])payload.Clone();
        clock.Schedule(Delay(), () =>
        {
            if (!CanReach(from, to) || !_endpoints.TryGetValue(to, out var dest)) { PacketsDropped++; return; }
            dest.Deliver(from, copy);
        });
    }

    internal void Request(string from, string to, byte[] payload, TimeSpan timeout, Action<byte[]?> onResponse)
    {
        var answered = false;
        void Answer(byte[]? r)
        {
            if (answered) return;
            answered = true;
            onResponse(r);
        }
        var timer = clock.Schedule(timeout, () => Answer(null));
        var copy = (byte[])payload.Clone();
        clock.Schedule(Delay(), () =>
        {
            if (!CanReach(from, to)) return; // like a TCP connect into a black hole: the timeout answers
            if (!_endpoints.TryGetValue(to, out var dest))
            {
                timer.Dispose(); // connection refused
                Answer(null);
                return;
            }
            var reply = dest.HandleRequest(from, copy);
            clock.Schedule(Delay(), () =>
            {
                if (!CanReach(from, to)) return;
                timer.Dispose();
                Answer(reply);
            });
        });
    }
}
