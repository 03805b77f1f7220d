using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server.Periodic;

/// <summary>
/// The leader's periodic dispatcher (Nomad's PeriodicDispatch): launches each active periodic job's child
/// <c>&lt;job&gt;/periodic-&lt;unix seconds&gt;</c> when it is due, as a job registration with its evaluation in one
/// Raft write that also records the launch (see <c>StateApplier</c>). Runs while this server leads.
/// </summary>
public sealed class PeriodicDispatcher(IConsensus consensus, StateStore state, Logger log, TimeProvider? clock = null)
{
    private readonly TimeProvider _clock = clock ?? TimeProvider.System;

    /// <summary>
    /// Leadership's share: first Nomad's restorePeriodicDispatcher (a job whose launch fell due since its recorded
    /// last launch, while no leader launched it, is launched once now), then launches on schedule until cancelled.
    /// </summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            await CatchUpAsync(ct).ConfigureAwait(false);
            var schedule = new LaunchSchedule();
            while (!ct.IsCancellationRequested)
            {
                var snap = state.Current;
                var now = _clock.GetUtcNow();
                foreach (var id in schedule.Sync(snap, now)) log.Debug($"deregistered periodic job: job={id}");
                foreach (var (job, launch) in schedule.TakeDue(now)) await DispatchAsync(job, launch, ct).ConfigureAwait(false);
                if (schedule.NextDue is { } next && next <= _clock.GetUtcNow()) continue;
                // Sleep until the next launch, or until a job changes (registered, updated, stopped).
                var wait = schedule.NextDue is { } due ? due - _clock.GetUtcNow() : TimeSpan.FromMinutes(5);
                await state.WaitForTableAsync(Tables.Jobs, snap.TableIndex(Tables.Jobs), Clamp(wait), ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            log.Error($"periodic dispatcher failed: error=\"{e.Message}\"\n{e}");
        }
    }

    private static TimeSpan Clamp(TimeSpan wait) =>
        wait < TimeSpan.FromMilliseconds(1) ? TimeSpan.FromMilliseconds(1) : wait > TimeSpan.FromMinutes(5) ? TimeSpan.FromMinutes(5) : wait;

    /// <summary>Nomad's restorePeriodicDispatcher: at most one launch now for each job that missed one while no leader ran.</summary>
    internal async Task CatchUpAsync(CancellationToken ct)
    {
        var snap = state.Current;
        var now = _clock.GetUtcNow();
        foreach (var job in snap.Jobs.Values.Where(PeriodicLaunch.IsActive))
        {
            if (snap.PeriodicLaunchById(job.ID) is not { } last)
            {
                log.Error($"no recorded periodic launch time for job: job={job.ID}");
                continue;
            }
            var next = PeriodicSchedule.Of(job.Periodic)?.Next(DateTimeOffset.FromUnixTimeMilliseconds(last.Launch / 1_000_000));
            if (next is null || next >= now) continue;
            if (job.Periodic!.ProhibitOverlap && ChildJobs.AnyRunning(snap, job.ID)) continue;
            log.Debug($"periodic job force run during leadership establishment: job={job.ID}");
            try
            {
                await LaunchAsync(job, now, ct).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
            {
                log.Error($"force run of periodic job failed: job={job.ID} error=\"{e.Message}\"");
            }
        }
    }

    /// <summary>A due launch: skipped while a child runs if the job prohibits overlap, or if this launch exists already.</summary>
    private async Task DispatchAsync(Job job, DateTimeOffset launch, CancellationToken ct)
    {
        var snap = state.Current;
        if (job.Periodic!.ProhibitOverlap && ChildJobs.AnyRunning(snap, job.ID))
        {
            log.Debug($"skipping launch of periodic job because job prohibits overlap: job={job.ID}");
            return;
        }
        if (snap.JobById(PeriodicLaunch.ChildId(job.ID, launch)) is not null) return;
        log.Debug($"launching job: job={job.ID} launch_time={launch:O}");
        try
        {
            await LaunchAsync(job, launch, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.Error($"failed to dispatch job: job={job.ID} error=\"{e.Message}\"");
        }
    }

    /// <summary>Nomad's Job.PeriodicForce: launches the job's child now, whatever its schedule.</summary>
    public async Task<PeriodicForceResponse> ForceAsync(string jobId, CancellationToken ct)
    {
        var job = state.Current.JobById(jobId) ?? throw new NotFoundException("job not found");
        if (job.Periodic is null) throw new BadRequestException("can't force launch non-periodic job");
        if (!PeriodicLaunch.IsActive(job)) throw new BadRequestException($"can't force run non-tracked job {job.ID}");
        var (eval, index) = await LaunchAsync(job, _clock.GetUtcNow(), ct).ConfigureAwait(false);
        return new PeriodicForceResponse { EvalID = eval.ID, EvalCreateIndex = index, Index = index };
    }

    private async Task<(Evaluation Eval, ulong Index)> LaunchAsync(Job parent, DateTimeOffset launch, CancellationToken ct)
    {
        var child = ChildJobs.Derive(parent, launch);
        var now = UnixNanos.Now();
        var eval = Evaluation.ForJob(child, EvalTrigger.PeriodicJob, now);
        var index = await consensus.ApplyAsync(new JobRegisterCommand(child, eval, now), ct).ConfigureAwait(false);
        log.Debug($"launched periodic job: job={parent.ID} child={child.ID} eval_id={eval.ID} index={index}");
        return (eval, index);
    }
}

/// <summary>Nomad's PeriodicForceResponse.</summary>
public sealed record PeriodicForceResponse
{
    public string EvalID { get; init; } = "";
    public ulong EvalCreateIndex { get; init; }
    public ulong Index { get; init; }
}
