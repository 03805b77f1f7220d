using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// Sends allocation and task states to the servers in batches, at most every <see cref="Interval"/> (Nomad's
/// 200 ms), keeping only the newest state per allocation. A failed send is retried with what is newest then.
/// </summary>
public sealed class AllocUpdater : IAsyncDisposable
{
    public static readonly TimeSpan Interval = TimeSpan.FromMilliseconds(200);

    private readonly INodeService _servers;
    private readonly Func<(string NodeId, string SecretId)> _identity;
    private readonly Logger _log;
    private readonly Dictionary<string, AllocClientUpdate> _pending = new();
    private readonly Lock _lock = new();
    private readonly CancellationTokenSource _stop = new();
    private TaskCompletionSource _queued = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly Task _loop;

    public AllocUpdater(INodeService servers, Func<(string NodeId, string SecretId)> identity, Logger log)
    {
        _servers = servers;
        _identity = identity;
        _log = log;
        _loop = Task.Run(() => RunAsync(_stop.Token));
    }

    public void Queue(AllocClientUpdate update)
    {
        lock (_lock)
        {
            _pending[update.AllocID] = update;
            _queued.TrySetResult();
        }
    }

    /// <summary>Completes once nothing is waiting to be sent (for tests and shutdown).</summary>
    public bool Idle { get { lock (_lock) return _pending.Count == 0; } }

    private async Task RunAsync(CancellationToken ct)
    {
        var backoff = Interval;
        while (!ct.IsCancellationRequested)
        {
            Task queued;
            lock (_lock) queued = _queued.Task;
            try
            {
                await queued.WaitAsync(ct).ConfigureAwait(false);
                await Task.Delay(backoff, ct).ConfigureAwait(false);
            }
            catch (OperationCanceledException) { return; }

            List<AllocClientUpdate> batch;
            lock (_lock)
            {
                batch = _pending.Values.ToList();
                _pending.Clear();
                _queued = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            }
            if (batch.Count == 0) continue;
            try
            {
                var (node, secret) = _identity();
                await _servers.UpdateAllocsAsync(new AllocUpdateRequest(node, secret, batch), ct).ConfigureAwait(false);
                backoff = Interval;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (Exception e)
            {
                _log.Error($"error updating allocations: error=\"{e.Message}\"");
                lock (_lock)
                {
                    // Put back what no newer update replaced meanwhile.
                    foreach (var u in batch) _pending.TryAdd(u.AllocID, u);
                    _queued.TrySetResult();
                }
                backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, TimeSpan.FromSeconds(10).Ticks));
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
