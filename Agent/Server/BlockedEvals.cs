using System.Threading.Channels;
using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The leader's blocked evaluations (Nomad's BlockedEvals): evaluations the scheduler could not fully place,
/// stored with status "blocked", one per job (a newer one cancels the older). When capacity may have
/// appeared they are written back as "pending" through consensus, and the broker picks them up from there.
/// </summary>
public sealed class BlockedEvals(IConsensus consensus, Logger log)
{
    private readonly Lock _gate = new();
    private bool _enabled;
    private readonly Dictionary<string, Evaluation> _byJob = new();
    // The state index each worker planned on when it created a blocked evaluation, to catch capacity freed meanwhile.
    private readonly Dictionary<string, ulong> _plannedAt = new();
    private ulong _lastCapacityChange;
    private readonly Channel<Evaluation> _writes = Channel.CreateUnbounded<Evaluation>(new() { SingleReader = true });

    public int Count { get { lock (_gate) return _byJob.Count; } }

    public IReadOnlyList<Evaluation> Tracked() { lock (_gate) return _byJob.Values.ToList(); }

    public void SetEnabled(bool enabled)
    {
        lock (_gate)
        {
            _enabled = enabled;
            if (enabled) return;
            _byJob.Clear();
            _plannedAt.Clear();
            while (_writes.Reader.TryRead(out _)) { }
        }
    }

    /// <summary>On gaining leadership: track every blocked evaluation in the state.</summary>
    public void Restore(StateSnapshot state)
    {
        foreach (var e in state.Evals.Values.Where(e => e.Status == EvalStatus.Blocked).OrderBy(e => e.CreateIndex))
            Block(e);
    }

    /// <summary>A worker is about to create blocked evaluation <paramref name="evalId"/> from a plan on state at <paramref name="snapshotIndex"/>.</summary>
    public void NotePlannedAt(string evalId, ulong snapshotIndex)
    {
        lock (_gate) if (_enabled) _plannedAt[evalId] = snapshotIndex;
    }

    /// <summary>The blocked evaluation noted by <see cref="NotePlannedAt"/> was not written after all.</summary>
    public void ForgetPlannedAt(string evalId)
    {
        lock (_gate) _plannedAt.Remove(evalId);
    }

    /// <summary>Called for every applied command (on the FSM's thread): tracks, untracks and unblocks.</summary>
    public void Observe(Command command, StateSnapshot after)
    {
        if (!Enabled) return;
        foreach (var e in CommandEvals.Written(command, after))
        {
            if (e.Status == EvalStatus.Blocked) Block(e);
            else Untrack(e.ID, e.JobID, e.Namespace);
        }
        if (command is JobDeregisterCommand d) CancelForJob(d.JobID, after);
        if (CommandEvals.MayFreeCapacity(command, after)) UnblockAll(after.Index);
    }

    /// <summary>Tracks a blocked evaluation; an older one for the same job is canceled.</summary>
    public void Block(Evaluation eval)
    {
        lock (_gate)
        {
            if (!_enabled) return;
            var key = Key(eval.Namespace, eval.JobID);
            if (_byJob.TryGetValue(key, out var existing) && existing.ID != eval.ID)
            {
                var (keep, drop) = existing.CreateIndex > eval.CreateIndex ? (existing, eval) : (eval, existing);
                _writes.Writer.TryWrite(Canceled(drop, $"existing blocked evaluation exists for job \"{drop.JobID}\""));
                if (keep == existing) return;
            }
            _byJob[key] = eval;
            // Capacity freed after the scheduler looked would go unnoticed: unblock at once.
            if (_plannedAt.Remove(eval.ID, out var planned) && _lastCapacityChange > planned)
            {
                _byJob.Remove(key);
                _writes.Writer.TryWrite(Pending(eval));
            }
        }
    }

    /// <summary>Writes every tracked evaluation back as pending.</summary>
    public void UnblockAll(ulong index)
    {
        lock (_gate)
        {
            if (!_enabled) return;
            _lastCapacityChange = Math.Max(_lastCapacityChange, index);
            foreach (var e in _byJob.Values) _writes.Writer.TryWrite(Pending(e));
            if (_byJob.Count > 0) log.Debug($"unblocking evaluations: count={_byJob.Count} index={index}");
            _byJob.Clear();
        }
    }

    /// <summary>Leader loop: writes unblocked and canceled evaluations through consensus, batched.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (await _writes.Reader.WaitToReadAsync(ct).ConfigureAwait(false))
            {
                var batch = new List<Evaluation>();
                while (batch.Count < 256 && _writes.Reader.TryRead(out var e)) batch.Add(e);
                if (batch.Count == 0) continue;
                try
                {
                    await consensus.ApplyAsync(new EvalUpsertCommand(batch), ct).ConfigureAwait(false);
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.Error($"failed to update blocked evaluations: count={batch.Count} error=\"{e.Message}\"");
                    // Unblocks that did not make it stay blocked, for the next capacity change.
                    foreach (var ev in batch.Where(x => x.Status == EvalStatus.Pending)) Block(ev with { Status = EvalStatus.Blocked });
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    private bool Enabled { get { lock (_gate) return _enabled; } }

    private void Untrack(string evalId, string jobId, string ns)
    {
        lock (_gate)
        {
            var key = Key(ns, jobId);
            if (_byJob.TryGetValue(key, out var e) && e.ID == evalId) _byJob.Remove(key);
            _plannedAt.Remove(evalId);
        }
    }

    private void CancelForJob(string jobId, StateSnapshot after)
    {
        lock (_gate)
        {
            if (after.JobById(jobId) is { Stop: false }) return;
            foreach (var key in _byJob.Keys.Where(k => _byJob[k].JobID == jobId).ToList())
            {
                _writes.Writer.TryWrite(Canceled(_byJob[key], "job deregistered"));
                _byJob.Remove(key);
            }
        }
    }

    private static Evaluation Pending(Evaluation e) =>
        e with { Status = EvalStatus.Pending, StatusDescription = "", ModifyTime = UnixNanos.Now() };

    private static Evaluation Canceled(Evaluation e, string why) =>
        e with { Status = EvalStatus.Canceled, StatusDescription = why, ModifyTime = UnixNanos.Now() };

    private static string Key(string ns, string jobId) => $"{ns}/{jobId}";
}
