using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The leader's plan applier (Nomad's planApply): takes plans one at a time from the <see cref="PlanQueue"/>,
/// checks each node's part against the latest state (<see cref="PlanEvaluator"/>), writes what fits through
/// consensus and answers the submitter. Serial application against the latest state is what keeps
/// concurrent optimistic schedulers from overcommitting a node or handing out a port twice.
/// </summary>
public sealed class PlanApplier(PlanQueue queue, IConsensus consensus, StateStore state, Logger log)
{
    public PlanQueue Queue => queue;

    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var pending = await queue.DequeueAsync(ct).ConfigureAwait(false);
                try
                {
                    pending.Respond(await ApplyAsync(pending.Plan, ct).ConfigureAwait(false));
                }
                catch (Exception e) when (e is not OperationCanceledException)
                {
                    log.Error($"failed to apply plan: eval_id={pending.Plan.EvalID} error=\"{e.Message}\"");
                    pending.Fail(e);
                }
                catch (OperationCanceledException e)
                {
                    pending.Fail(e);
                    throw;
                }
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>Evaluates and applies one plan.</summary>
    public async Task<PlanResult> ApplyAsync(Plan plan, CancellationToken ct)
    {
        var snap = state.Current;
        var result = PlanEvaluator.Evaluate(snap, plan);
        var accepted = result.NodeAllocation.Count > 0 || result.NodeUpdate.Values.Any(l => l.Count > 0);
        ulong index = 0;
        if (accepted)
            index = await consensus.ApplyAsync(PlanEvaluator.ToCommand(plan, result, UnixNanos.Now()), ct).ConfigureAwait(false);
        if (result.RefreshIndex == 0)
            return new PlanResult { NodeUpdate = result.NodeUpdate, NodeAllocation = result.NodeAllocation, AllocIndex = index };

        // Part of the plan was rejected: the scheduler plans again on state that includes this write.
        var refreshIndex = Math.Max(result.RefreshIndex, index);
        var refreshed = state.Current;
        while (refreshed.Index < refreshIndex)
            refreshed = await state.WaitForTableAsync(Tables.Allocs, refreshed.TableIndex(Tables.Allocs), TimeSpan.FromSeconds(1), ct).ConfigureAwait(false);
        log.Debug($"plan partially rejected: eval_id={plan.EvalID} refresh_index={refreshIndex}");
        return new PlanResult
        {
            NodeUpdate = result.NodeUpdate,
            NodeAllocation = result.NodeAllocation,
            AllocIndex = index,
            RefreshIndex = refreshIndex,
            RefreshedState = refreshed,
        };
    }
}
