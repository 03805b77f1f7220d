using Nomad.Agent.Scheduler;

namespace Nomad.Agent.Server;

/// <summary>
/// The leader's queue of submitted plans (Nomad's PlanQueue): highest priority first, then first come.
/// Each submitter waits on its own future; disabling the queue (leadership lost) fails every waiter.
/// </summary>
public sealed class PlanQueue
{
    private readonly Lock _gate = new();
    private readonly PriorityQueue<PendingPlan, (int, long)> _queue = new();
    private TaskCompletionSource _signal = NewSignal();
    private bool _enabled;
    private long _seq;

    public sealed class PendingPlan(Plan plan)
    {
        public Plan Plan { get; } = plan;
        internal TaskCompletionSource<PlanResult> Future { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public void Respond(PlanResult result) => Future.TrySetResult(result);
        public void Fail(Exception e) => Future.TrySetException(e);
    }

    public int Depth { get { lock (_gate) return _queue.Count; } }

    public void SetEnabled(bool enabled)
    {
        lock (_gate)
        {
            _enabled = enabled;
            if (enabled) return;
            while (_queue.TryDequeue(out var p, out _)) p.Fail(new InvalidOperationException("plan queue is disabled (leadership lost)"));
            _signal.TrySetResult();
            _signal = NewSignal();
        }
    }

    /// <summary>Queues a plan and waits for the applier's answer.</summary>
    public Task<PlanResult> SubmitAsync(Plan plan, CancellationToken ct)
    {
        var pending = new PendingPlan(plan);
        lock (_gate)
        {
            if (!_enabled) throw new InvalidOperationException("plan queue is disabled: this server is not the leader");
            _queue.Enqueue(pending, (-plan.Priority, _seq++));
            _signal.TrySetResult();
            _signal = NewSignal();
        }
        return pending.Future.Task.WaitAsync(ct);
    }

    /// <summary>Waits for the next plan (the applier's side).</summary>
    public async Task<PendingPlan> DequeueAsync(CancellationToken ct)
    {
        while (true)
        {
            Task signal;
            lock (_gate)
            {
                if (_enabled && _queue.TryDequeue(out var p, out _)) return p;
                signal = _signal.Task;
            }
            await signal.WaitAsync(ct).ConfigureAwait(false);
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
