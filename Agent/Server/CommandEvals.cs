using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>What an applied command means for scheduling: which evaluations it wrote, and whether it may have freed capacity.</summary>
public static class CommandEvals
{
    /// <summary>The evaluations <paramref name="command"/> carried, as stored in <paramref name="after"/> (with their indexes).</summary>
    public static IEnumerable<Evaluation> Written(Command command, StateSnapshot after)
    {
        IEnumerable<Evaluation>? carried = command switch
        {
            JobRegisterCommand c => c.Eval is null ? null : [c.Eval],
            JobDeregisterCommand c => c.Eval is null ? null : [c.Eval],
            EvalUpsertCommand c => c.Evals,
            NodeRegisterCommand c => c.Evals,
            NodeStatusCommand c => c.Evals,
            NodeEligibilityCommand c => c.Evals,
            NodeDrainCommand c => c.Evals,
            AllocClientUpdateCommand c => c.Evals,
            AllocDesiredTransitionCommand c => c.Evals,
            PlanApplyCommand c => c.Evals,
            _ => null,
        };
        if (carried is null) yield break;
        foreach (var e in carried)
            if (after.EvalById(e.ID) is { } stored) yield return stored;
    }

    /// <summary>
    /// True when the command may have made room for blocked evaluations: a node that can take work appeared
    /// or became ready or eligible, or allocations stopped or finished.
    /// </summary>
    public static bool MayFreeCapacity(Command command, StateSnapshot after) => command switch
    {
        NodeRegisterCommand c => after.NodeById(c.Node.ID) is { Status: NodeStatus.Ready, IsSchedulable: true },
        NodeStatusCommand c => c.Status == NodeStatus.Ready && after.NodeById(c.NodeID) is { IsSchedulable: true },
        NodeEligibilityCommand c => c.Eligibility == NodeEligibility.Eligible,
        NodeDrainCommand c => c.Strategy is null && c.MarkEligible,
        AllocClientUpdateCommand c => c.Updates.Any(u => u.ClientStatus is AllocClientStatus.Complete or AllocClientStatus.Failed or AllocClientStatus.Lost),
        PlanApplyCommand c => c.Stopped.Count > 0,
        _ => false,
    };
}
