using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>Makes the scheduler for one evaluation: (evaluation, state to plan on, planner) → scheduler.</summary>
public delegate IScheduler SchedulerFactory(Evaluation eval, StateSnapshot state, IPlanner planner);

/// <summary>
/// One scheduling worker at the leader (Nomad's Worker): dequeues an evaluation, waits until the local state
/// has it, runs the scheduler on a snapshot, and acks (or nacks when the scheduler fails). For the scheduler
/// it is the <see cref="IPlanner"/>: plans go to the plan queue, evaluation updates through consensus.
/// </summary>
public sealed class Worker(int id, EvalBroker broker, PlanQueue plans, BlockedEvals blocked, IConsensus consensus,
    StateStore state, SchedulerFactory factory, Logger log)
{
    /// <summary>The schedulers a worker takes evaluations for.</summary>
    public static readonly string[] SchedulerTypes = [JobType.Service, JobType.Batch, JobType.System, "sysbatch"];

    /// <summary>How long to wait for the local state to catch up with an evaluation before nacking it.</summary>
    public static readonly TimeSpan SyncLimit = TimeSpan.FromSeconds(5);

    private static readonly TimeSpan DequeueWait = TimeSpan.FromSeconds(1);

    // For the per-evaluation planner (primary constructor parameters are not visible to nested classes).
    private readonly EvalBroker _broker = broker;
    private readonly PlanQueue _plans = plans;
    private readonly BlockedEvals _blocked = blocked;
    private readonly IConsensus _consensus = consensus;

    public int Id => id;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var next = await _broker.DequeueAsync(SchedulerTypes, DequeueWait, ct).ConfigureAwait(false);
                if (next is not { } n) continue;
                await ProcessAsync(n.Eval, n.Token, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    private async Task ProcessAsync(Evaluation eval, string token, CancellationToken ct)
    {
        try
        {
            var snap = await WaitForEvalAsync(eval, ct).ConfigureAwait(false);
            // Cleared away or already finished (a redelivery after the status write): nothing to do.
            if (snap.EvalById(eval.ID) is not { } stored || (stored.ModifyIndex > eval.ModifyIndex && stored.Status != EvalStatus.Pending))
            {
                _broker.Ack(eval.ID, token);
                return;
            }
            var planner = new EvalPlanner(this, eval, token, snap.Index);
            var scheduler = factory(eval, snap, planner);
            await scheduler.ProcessAsync(eval, ct).ConfigureAwait(false);
            _broker.Ack(eval.ID, token);
            log.Debug($"processed evaluation: eval_id={eval.ID} job_id={eval.JobID} type={eval.Type} triggered_by={eval.TriggeredBy}");
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { }
        catch (Exception e)
        {
            log.Error($"error invoking scheduler: worker_id={id} eval_id={eval.ID} job_id={eval.JobID} type={eval.Type} error=\"{e.Message}\"");
            try { _broker.Nack(eval.ID, token); }
            catch (InvalidOperationException n) { log.Warn($"failed to nack evaluation: eval_id={eval.ID} error=\"{n.Message}\""); }
        }
    }

    private async Task<StateSnapshot> WaitForEvalAsync(Evaluation eval, CancellationToken ct)
    {
        var deadline = DateTime.UtcNow + SyncLimit;
        var snap = state.Current;
        while (snap.TableIndex(Tables.Evals) < eval.ModifyIndex)
        {
            var left = deadline - DateTime.UtcNow;
            if (left <= TimeSpan.Zero)
                throw new TimeoutException($"state did not reach the evaluation's index {eval.ModifyIndex} (at {snap.Index})");
            snap = await state.WaitForTableAsync(Tables.Evals, eval.ModifyIndex - 1, left, ct).ConfigureAwait(false);
        }
        return snap;
    }

    /// <summary>The planner one evaluation's scheduler talks to; every call is checked against the delivery's token.</summary>
    private sealed class EvalPlanner(Worker w, Evaluation eval, string token, ulong snapshotIndex) : IPlanner
    {
        private ulong _plannedAt = snapshotIndex;

        public async Task<PlanResult> SubmitPlanAsync(Plan plan, CancellationToken ct)
        {
            // No nack timeout while the leader applies the plan; a stale token means another worker owns the evaluation now.
            w._broker.PauseNackTimeout(eval.ID, token);
            try
            {
                var result = await w._plans.SubmitAsync(plan, ct).ConfigureAwait(false);
                _plannedAt = Math.Max(_plannedAt, result.RefreshedState?.Index ?? result.AllocIndex);
                return result;
            }
            finally
            {
                try { w._broker.ResumeNackTimeout(eval.ID, token); } catch (InvalidOperationException) { }
            }
        }

        public async Task UpdateEvalAsync(Evaluation update, IReadOnlyList<Evaluation> created, CancellationToken ct)
        {
            w._broker.OutstandingReset(eval.ID, token);
            var blocked = created.Where(e => e.Status == EvalStatus.Blocked).ToList();
            foreach (var b in blocked) w._blocked.NotePlannedAt(b.ID, _plannedAt);
            try
            {
                await w._consensus.ApplyAsync(new EvalUpsertCommand([.. created, update]), ct).ConfigureAwait(false);
            }
            catch
            {
                // Never written, so never observed: the notes would otherwise stay forever.
                foreach (var b in blocked) w._blocked.ForgetPlannedAt(b.ID);
                throw;
            }
        }
    }
}
