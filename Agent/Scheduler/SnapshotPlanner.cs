using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Scheduler;

/// <summary>
/// A planner with no consensus behind it: plans are checked by <see cref="PlanEvaluator"/> and applied
/// straight to an in-memory state, one at a time. For scheduler tests and the scheduler benchmark; the
/// leader uses the plan queue and Raft instead.
/// </summary>
public sealed class SnapshotPlanner(StateSnapshot initial) : IPlanner
{
    private readonly Lock _gate = new();
    private StateSnapshot _state = initial;

    public StateSnapshot State { get { lock (_gate) return _state; } }

    public List<Plan> Plans { get; } = new();
    public List<Evaluation> EvalUpdates { get; } = new();
    public List<Evaluation> CreatedEvals { get; } = new();

    public Task<PlanResult> SubmitPlanAsync(Plan plan, CancellationToken ct)
    {
        lock (_gate)
        {
            Plans.Add(plan);
            var result = PlanEvaluator.Evaluate(_state, plan);
            var index = _state.Index + 1;
            _state = StateApplier.Apply(_state, index, PlanEvaluator.ToCommand(plan, result, UnixNanos.Now()));
            return Task.FromResult(new PlanResult
            {
                NodeUpdate = result.NodeUpdate,
                NodeAllocation = result.NodeAllocation,
                RefreshIndex = result.RefreshIndex == 0 ? 0 : index,
                AllocIndex = index,
                RefreshedState = result.RefreshIndex == 0 ? null : _state,
            });
        }
    }

    public Task UpdateEvalAsync(Evaluation eval, IReadOnlyList<Evaluation> created, CancellationToken ct)
    {
        lock (_gate)
        {
            CreatedEvals.AddRange(created);
            EvalUpdates.Add(eval);
            _state = StateApplier.Apply(_state, _state.Index + 1, new EvalUpsertCommand([.. created, eval]));
        }
        return Task.CompletedTask;
    }

    /// <summary>Applies any command to the state (tests use it to change nodes and allocations between evaluations).</summary>
    public StateSnapshot Apply(Command command)
    {
        lock (_gate) return _state = StateApplier.Apply(_state, _state.Index + 1, command);
    }
}
