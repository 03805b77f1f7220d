using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>Timings and limits of the <see cref="EvalBroker"/> (Nomad's defaults).</summary>
public sealed record EvalBrokerOptions
{
    /// <summary>How long a dequeued evaluation may stay unacknowledged before it is redelivered.</summary>
    public TimeSpan NackTimeout { get; init; } = TimeSpan.FromSeconds(60);
    /// <summary>Deliveries before an evaluation that keeps being nacked goes to the failed queue.</summary>
    public int DeliveryLimit { get; init; } = 3;
    /// <summary>Delay before redelivering after the first nack.</summary>
    public TimeSpan InitialNackDelay { get; init; } = TimeSpan.FromSeconds(1);
    /// <summary>Delay before redelivering after later nacks.</summary>
    public TimeSpan SubsequentNackDelay { get; init; } = TimeSpan.FromSeconds(20);
}

/// <summary>The broker's counters (Nomad's nomad.broker.* figures).</summary>
public sealed record EvalBrokerStats(int TotalReady, int TotalUnacked, int TotalBlocked, int TotalWaiting,
    IReadOnlyDictionary<string, int> ReadyByScheduler, IReadOnlyDictionary<string, int> UnackedByScheduler);

/// <summary>
/// The leader's queue of evaluations for the scheduling workers (Nomad's EvalBroker). Evaluations are
/// handed out by priority, then first in first out; each delivery carries a token and must be acked or
/// nacked. Only one evaluation per job is out at a time: others for the same job wait, and when the
/// outstanding one is acked the newest waiting one goes on while the older ones become cancelable.
/// A nacked (or timed out) evaluation is redelivered after a delay; after <see cref="EvalBrokerOptions.DeliveryLimit"/>
/// deliveries it goes to the <see cref="FailedQueue"/>, which the <see cref="EvalReaper"/> marks failed.
/// Disabled (and empty) while this server does not lead.
/// </summary>
public sealed class EvalBroker(EvalBrokerOptions options)
{
    /// <summary>The queue of evaluations that reached the delivery limit.</summary>
    public const string FailedQueue = "_failed";

    private readonly Lock _gate = new();
    private bool _enabled;
    private long _seq;

    // Every evaluation the broker holds (waiting, ready, out, or blocked behind its job), with its delivery count.
    private readonly Dictionary<string, int> _evals = new();
    // The one evaluation per job that is ready or out.
    private readonly Dictionary<string, string> _jobEvals = new();
    // Evaluations waiting for their job's outstanding one, by job.
    private readonly Dictionary<string, List<Evaluation>> _blocked = new();
    private readonly Dictionary<string, PriorityQueue<Evaluation, (int, long)>> _ready = new();
    private readonly Dictionary<string, Unacked> _unack = new();
    // Evaluations held until WaitUntil or a nack delay passes.
    private readonly Dictionary<string, Timer> _waiting = new();
    private readonly List<Evaluation> _cancelable = new();
    private readonly List<TaskCompletionSource> _dequeuers = new();

    private sealed class Unacked(Evaluation eval, string token, string queue)
    {
        public Evaluation Eval { get; } = eval;
        public string Token { get; } = token;
        public string Queue { get; } = queue;
        public Timer? NackTimer { get; set; }
    }

    public EvalBrokerOptions Options => options;

    public bool Enabled { get { lock (_gate) return _enabled; } }

    /// <summary>Enables the broker at the leader; disabling drops everything it holds and wakes waiting dequeuers.</summary>
    public void SetEnabled(bool enabled)
    {
        lock (_gate)
        {
            _enabled = enabled;
            if (!enabled) FlushLocked();
        }
    }

    /// <summary>Adds an evaluation; ignored when disabled or when the broker already holds it.</summary>
    public void Enqueue(Evaluation eval)
    {
        lock (_gate)
        {
            if (!_enabled || _evals.ContainsKey(eval.ID)) return;
            _evals[eval.ID] = 0;
            var delay = UnixNanos.ToDateTime(eval.WaitUntil) - DateTime.UtcNow;
            if (eval.WaitUntil > 0 && delay > TimeSpan.Zero) HoldLocked(eval, delay, eval.Type);
            else EnqueueLocked(eval, eval.Type);
        }
    }

    public void EnqueueAll(IEnumerable<Evaluation> evals)
    {
        foreach (var e in evals) Enqueue(e);
    }

    /// <summary>
    /// Waits up to <paramref name="timeout"/> for a ready evaluation of one of <paramref name="schedulers"/>
    /// (highest priority first). Returns null on timeout or while disabled.
    /// </summary>
    public async Task<(Evaluation Eval, string Token)?> DequeueAsync(IReadOnlyCollection<string> schedulers, TimeSpan timeout, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + timeout;
        while (true)
        {
            TaskCompletionSource signal;
            lock (_gate)
            {
                if (!_enabled) return null;
                if (TryDequeueLocked(schedulers) is { } got) return got;
                signal = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
                _dequeuers.Add(signal);
            }
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero) { Forget(signal); return null; }
            try { await signal.Task.WaitAsync(left, ct).ConfigureAwait(false); }
            catch (TimeoutException) { Forget(signal); }
            catch (OperationCanceledException) { Forget(signal); throw; }
        }
    }

    /// <summary>The evaluation was processed: it leaves the broker, and its job's next waiting evaluation becomes ready.</summary>
    public void Ack(string evalId, string token)
    {
        lock (_gate)
        {
            var unack = CheckTokenLocked(evalId, token);
            unack.NackTimer?.Dispose();
            _unack.Remove(evalId);
            _evals.Remove(evalId);
            var job = JobKey(unack.Eval);
            if (_jobEvals.TryGetValue(job, out var id) && id == evalId) _jobEvals.Remove(job);
            if (_blocked.Remove(job, out var waiting) && waiting.Count > 0)
            {
                // Only the newest waiting evaluation still means anything: the scheduler reconciles the whole job.
                var newest = waiting.MaxBy(e => (e.ModifyIndex, e.CreateIndex))!;
                foreach (var e in waiting)
                    if (!ReferenceEquals(e, newest)) { _evals.Remove(e.ID); _cancelable.Add(e); }
                EnqueueLocked(newest, newest.Type);
            }
        }
    }

    /// <summary>The evaluation could not be processed: redeliver it after a delay, or fail it once it reached the delivery limit.</summary>
    public void Nack(string evalId, string token)
    {
        lock (_gate)
        {
            var unack = CheckTokenLocked(evalId, token);
            unack.NackTimer?.Dispose();
            _unack.Remove(evalId);
            var dequeues = _evals.TryGetValue(evalId, out var n) ? n : 0;
            if (unack.Queue == FailedQueue)
                EnqueueLocked(unack.Eval, FailedQueue);
            else if (dequeues >= options.DeliveryLimit)
                EnqueueLocked(unack.Eval, FailedQueue);
            else
            {
                var delay = dequeues <= 1 ? options.InitialNackDelay : options.SubsequentNackDelay;
                if (delay > TimeSpan.Zero) HoldLocked(unack.Eval, delay, unack.Queue);
                else EnqueueLocked(unack.Eval, unack.Queue);
            }
        }
    }

    /// <summary>Stops the nack timer while the leader applies a plan for the evaluation (Nomad's PauseNackTimeout).</summary>
    public void PauseNackTimeout(string evalId, string token)
    {
        lock (_gate) CheckTokenLocked(evalId, token).NackTimer?.Change(Timeout.InfiniteTimeSpan, Timeout.InfiniteTimeSpan);
    }

    public void ResumeNackTimeout(string evalId, string token)
    {
        lock (_gate) CheckTokenLocked(evalId, token).NackTimer?.Change(options.NackTimeout, Timeout.InfiniteTimeSpan);
    }

    /// <summary>Restarts the nack timer (the worker is still busy with the evaluation); throws if the token is stale.</summary>
    public void OutstandingReset(string evalId, string token) => ResumeNackTimeout(evalId, token);

    /// <summary>True while <paramref name="token"/> is the current delivery of <paramref name="evalId"/>.</summary>
    public bool Outstanding(string evalId, string token)
    {
        lock (_gate) return _unack.TryGetValue(evalId, out var u) && u.Token == token;
    }

    /// <summary>Takes the evaluations that were superseded by a newer one for the same job, to be marked canceled.</summary>
    public List<Evaluation> TakeCancelable()
    {
        lock (_gate)
        {
            var list = new List<Evaluation>(_cancelable);
            _cancelable.Clear();
            return list;
        }
    }

    public EvalBrokerStats Stats()
    {
        lock (_gate)
        {
            var ready = _ready.Where(kv => kv.Value.Count > 0).ToDictionary(kv => kv.Key, kv => kv.Value.Count);
            var unacked = _unack.Values.GroupBy(u => u.Queue).ToDictionary(g => g.Key, g => g.Count());
            return new EvalBrokerStats(ready.Values.Sum(), _unack.Count, _blocked.Values.Sum(b => b.Count), _waiting.Count, ready, unacked);
        }
    }

    private void EnqueueLocked(Evaluation eval, string queue)
    {
        if (!_enabled) return;
        var job = JobKey(eval);
        if (!_jobEvals.TryGetValue(job, out var current))
            _jobEvals[job] = eval.ID;
        else if (current != eval.ID)
        {
            if (!_blocked.TryGetValue(job, out var list)) _blocked[job] = list = new();
            list.Add(eval);
            return;
        }
        if (!_ready.TryGetValue(queue, out var pq)) _ready[queue] = pq = new();
        pq.Enqueue(eval, (-eval.Priority, _seq++));
        foreach (var d in _dequeuers) d.TrySetResult();
        _dequeuers.Clear();
    }

    private (Evaluation, string)? TryDequeueLocked(IReadOnlyCollection<string> schedulers)
    {
        PriorityQueue<Evaluation, (int, long)>? best = null;
        (int, long) bestKey = default;
        string bestQueue = "";
        foreach (var s in schedulers)
        {
            if (!_ready.TryGetValue(s, out var pq) || !pq.TryPeek(out _, out var key)) continue;
            if (best is null || key.CompareTo(bestKey) < 0) (best, bestKey, bestQueue) = (pq, key, s);
        }
        if (best is null) return null;
        var eval = best.Dequeue();
        var token = Guid.NewGuid().ToString();
        _evals[eval.ID] = (_evals.TryGetValue(eval.ID, out var n) ? n : 0) + 1;
        var unack = new Unacked(eval, token, bestQueue);
        unack.NackTimer = new Timer(_ => NackQuietly(eval.ID, token), null, options.NackTimeout, Timeout.InfiniteTimeSpan);
        _unack[eval.ID] = unack;
        return (eval, token);
    }

    private void NackQuietly(string evalId, string token)
    {
        try { Nack(evalId, token); }
        catch (InvalidOperationException) { } // acked or nacked meanwhile
    }

    private void HoldLocked(Evaluation eval, TimeSpan delay, string queue)
    {
        var due = DateTime.UtcNow + delay;
        var timer = new Timer(_ =>
        {
            lock (_gate)
            {
                if (!_waiting.TryGetValue(eval.ID, out var t)) return;
                // Timers may fire a hair early; never hand an evaluation out before its time.
                var left = due - DateTime.UtcNow;
                if (left > TimeSpan.Zero) { t.Change(left + TimeSpan.FromMilliseconds(1), Timeout.InfiniteTimeSpan); return; }
                _waiting.Remove(eval.ID);
                t.Dispose();
                EnqueueLocked(eval, queue);
            }
        });
        _waiting[eval.ID] = timer;
        timer.Change(delay, Timeout.InfiniteTimeSpan);
    }

    private Unacked CheckTokenLocked(string evalId, string token)
    {
        if (!_unack.TryGetValue(evalId, out var unack)) throw new InvalidOperationException($"evaluation ID not found: {evalId}");
        if (unack.Token != token) throw new InvalidOperationException($"token does not match for evaluation ID: {evalId}");
        return unack;
    }

    private void Forget(TaskCompletionSource signal)
    {
        lock (_gate) _dequeuers.Remove(signal);
    }

    private void FlushLocked()
    {
        foreach (var u in _unack.Values) u.NackTimer?.Dispose();
        foreach (var t in _waiting.Values) t.Dispose();
        _unack.Clear();
        _waiting.Clear();
        _evals.Clear();
        _jobEvals.Clear();
        _blocked.Clear();
        _ready.Clear();
        _cancelable.Clear();
        foreach (var d in _dequeuers) d.TrySetResult();
        _dequeuers.Clear();
    }

    private static string JobKey(Evaluation e) => $"{e.Namespace}/{e.JobID}";
}
