using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Server.Drain;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// Leader-only, Nomad's drainer: marks the allocations of draining nodes for migration in batches
/// (<see cref="MigrationBatches"/>: each service group's migrate max_parallel, system jobs last, batch jobs left to
/// finish) with evaluations that let the schedulers move them; ends the drain once nothing it must move is left (the
/// node stays ineligible, as in Nomad); at the drain's deadline stops whatever is still there and asks for evaluations.
/// </summary>
public sealed class NodeDrainer(IConsensus consensus, StateStore state, Logger log)
{
    private static readonly TimeSpan Poll = TimeSpan.FromSeconds(1);

    /// <summary>Runs until <paramref name="ct"/> is cancelled: after each change of nodes or allocations, or every second.</summary>
    public async Task RunAsync(CancellationToken ct)
    {
        try
        {
            while (!ct.IsCancellationRequested)
            {
                var snap = state.Current;
                await PassAsync(snap, UnixNanos.Now(), ct).ConfigureAwait(false);
                await state.WaitForTablesAsync([Tables.Nodes, Tables.Allocs], snap.Index, Poll, ct).ConfigureAwait(false);
            }
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One look at every draining node.</summary>
    public async Task PassAsync(StateSnapshot snap, long now, CancellationToken ct)
    {
        var draining = new List<Node>();
        foreach (var node in snap.Nodes.Values.Where(n => n.DrainStrategy is not null))
        {
            var strategy = node.DrainStrategy!;
            var remaining = MigrationBatches.Remaining(snap, node).ToList();
            try
            {
                if (remaining.Count == 0)
                {
                    var evt = new NodeEvent { Message = "Node drain complete", Subsystem = "Drain", Timestamp = UnixNanos.ToDateTime(now) };
                    await consensus.ApplyAsync(new NodeDrainCommand(node.ID, null, false, evt, null), ct).ConfigureAwait(false);
                    log.Info($"node drain complete: node_id={node.ID}");
                }
                else if (strategy.Deadline < 0 || (strategy.ForceDeadline > 0 && now >= strategy.ForceDeadline))
                {
                    var stops = remaining.Select(a => new AllocStop(a.ID, "alloc is being migrated")).ToList();
                    await consensus.ApplyAsync(new PlanApplyCommand("", null, [], stops, now), ct).ConfigureAwait(false);
                    await consensus.ApplyAsync(new EvalUpsertCommand(NodeEvals.For(state.Current, node.ID, node.ModifyIndex, now)), ct).ConfigureAwait(false);
                    log.Info($"node drain deadline reached; stopping remaining allocations: node_id={node.ID} count={stops.Count}");
                }
                else draining.Add(node);
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                log.Error($"node drain: error=\"{e.Message}\" node_id={node.ID}");
            }
        }
        if (draining.Count > 0) await MarkAsync(snap, draining, now, ct).ConfigureAwait(false);
    }

    /// <summary>Marks the next batches for migration, with one evaluation per job so the schedulers move them.</summary>
    private async Task MarkAsync(StateSnapshot snap, List<Node> draining, long now, CancellationToken ct)
    {
        var marks = MigrationBatches.ToMark(snap, draining);
        if (marks.Count == 0) return;
        var transitions = marks.ToDictionary(a => a.ID, _ => new DesiredTransition { Migrate = true });
        var evals = marks.Select(a => a.JobID).Distinct()
            .Select(id => snap.JobById(id)).OfType<Job>()
            .Select(j => Evaluation.ForJob(j, EvalTrigger.NodeDrain, now)).ToList();
        try
        {
            await consensus.ApplyAsync(new AllocDesiredTransitionCommand(transitions, evals), ct).ConfigureAwait(false);
            log.Info($"marked allocations for migration: count={marks.Count} jobs={evals.Count}");
        }
        catch (Exception e) when (e is not OperationCanceledException)
        {
            log.Error($"node drain: error=\"{e.Message}\" marking allocations for migration");
        }
    }
}
