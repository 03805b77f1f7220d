namespace Nomad.Agent.Gossip;

/// <summary>
/// One suspicion timer (Lifeguard). It starts at <c>max</c> and shrinks toward <c>min</c> as
/// independent members confirm the suspicion: after c of k expected confirmations the timeout is
/// <c>max - (max - min) · log(c + 1) / log(k + 1)</c>, never below <c>min</c>.
/// Not thread-safe: the node holds its lock.
/// </summary>
internal sealed class Suspicion : IDisposable
{
    private readonly IGossipClock _clock;
    private readonly Action _onTimeout;
    private readonly HashSet<string> _confirmers;
    private readonly int _k;
    private readonly TimeSpan _min, _max, _start;
    private IDisposable? _timer;
    private bool _fired;

    public Suspicion(IGossipClock clock, string from, int k, TimeSpan min, TimeSpan max, Action onTimeout)
    {
        _clock = clock; _onTimeout = onTimeout; _k = k; _min = min; _max = max;
        _confirmers = [from];
        _start = clock.Now;
        // With nobody left to confirm, the minimum applies from the start.
        Arm(k < 1 ? min : max);
    }

    public int Confirmations { get; private set; }

    public static TimeSpan Remaining(int confirmations, int k, TimeSpan elapsed, TimeSpan min, TimeSpan max)
    {
        if (k < 1) return min - elapsed;
        var frac = Math.Log(confirmations + 1.0) / Math.Log(k + 1.0);
        var raw = max.TotalMilliseconds - frac * (max - min).TotalMilliseconds;
        var timeout = TimeSpan.FromMilliseconds(Math.Max(min.TotalMilliseconds, Math.Floor(raw)));
        return timeout - elapsed;
    }

    /// <summary>Counts a new independent confirmation; false if <paramref name="from"/> was already counted or k reached.</summary>
    public bool Confirm(string from)
    {
        if (_fired || Confirmations >= _k || !_confirmers.Add(from)) return false;
        Confirmations++;
        var remaining = Remaining(Confirmations, _k, _clock.Now - _start, _min, _max);
        _timer?.Dispose();
        Arm(remaining);
        return true;
    }

    private void Arm(TimeSpan delay) => _timer = _clock.Schedule(delay, () =>
    {
        if (_fired) return;
        _fired = true;
        _onTimeout();
    });

    public void Dispose()
    {
        _fired = true;
        _timer?.Dispose();
    }
}
