namespace Nomad.Agent.State;

/// <summary>
/// Holds the current <see cref="StateSnapshot"/> and lets blocking queries wait for a table to move.
/// Only the FSM publishes; anyone may read.
/// </summary>
public sealed class StateStore
{
    private StateSnapshot _current = StateSnapshot.Empty;
    private TaskCompletionSource _changed = NewSignal();

    public StateSnapshot Current => Volatile.Read(ref _current);

    /// <summary>
    /// Raised on the FSM's thread after each command is applied and published, with the command and the
    /// new snapshot (the eval broker at the leader learns of new evaluations this way). Handlers must be quick.
    /// </summary>
    public event Action<Command, StateSnapshot>? Applied;

    /// <summary>Publishes a new snapshot and wakes every waiter; <paramref name="cause"/> is the command that produced it, if any.</summary>
    public void Publish(StateSnapshot next, Command? cause = null)
    {
        Volatile.Write(ref _current, next);
        Interlocked.Exchange(ref _changed, NewSignal()).TrySetResult();
        if (cause is null || Applied is not { } applied) return;
        // The write is committed and published: a failing listener must not turn it into an error for the proposer.
        try { applied(cause, next); }
        catch (Exception e) { Console.Error.WriteLine($"[ERROR] nomad.fsm: state listener failed: error=\"{e.Message}\""); }
    }

    /// <summary>
    /// Waits until <paramref name="table"/>'s index exceeds <paramref name="minIndex"/> or the wait elapses,
    /// and returns the snapshot current at that moment.
    /// </summary>
    public Task<StateSnapshot> WaitForTableAsync(string table, ulong minIndex, TimeSpan wait, CancellationToken ct) =>
        WaitForTablesAsync([table], minIndex, wait, ct);

    /// <summary>As <see cref="WaitForTableAsync"/>, until any of <paramref name="tables"/> passes <paramref name="minIndex"/>.</summary>
    public async Task<StateSnapshot> WaitForTablesAsync(string[] tables, ulong minIndex, TimeSpan wait, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(wait);
        while (true)
        {
            var signal = Volatile.Read(ref _changed).Task;
            var snap = Current;
            if (snap.TableIndex(tables) > minIndex) return snap;
            try { await signal.WaitAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) when (!ct.IsCancellationRequested) { return Current; }
        }
    }

    private static TaskCompletionSource NewSignal() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
