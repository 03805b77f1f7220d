using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>Pure functions from (snapshot, index, command) to the next snapshot.</summary>
public static partial class StateApplier
{
    /// <summary>Most events a node keeps; older ones drop off, as in Nomad.</summary>
    public const int MaxNodeEvents = 10;

    public static StateSnapshot Apply(StateSnapshot s, ulong index, Command command) => (command switch
    {
        NodeRegisterCommand c => UpsertEvals(RegisterNode(s, index, c), index, c.Evals),
        NodeStatusCommand c => UpsertEvals(UpdateNodeStatus(s, index, c), index, c.Evals),
        NodeDeregisterCommand c => DeregisterNodes(s, index, c),
        NodeEligibilityCommand c => UpsertEvals(SetEligibility(s, index, c), index, c.Evals),
        NodeDrainCommand c => UpsertEvals(SetDrain(s, index, c), index, c.Evals),
        JobRegisterCommand c => RegisterJob(s, index, c),
        JobDeregisterCommand c => DeregisterJob(s, index, c),
        EvalUpsertCommand c => UpsertEvals(s, index, c.Evals),
        PlanApplyCommand c => UpsertEvals(ApplyPlan(s, index, c), index, c.Evals),
        AllocClientUpdateCommand c => UpsertEvals(UpdateAllocsFromClient(s, index, c), index, c.Evals),
        GcCommand c => CollectGarbage(s, index, c),
        SchedulerConfigCommand c => SetSchedulerConfig(s, index, c),
        AllocDesiredTransitionCommand c => UpsertEvals(SetDesiredTransitions(s, index, c), index, c.Evals),
        _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
    }) with { Index = index };

    private static StateSnapshot SetSchedulerConfig(StateSnapshot s, ulong index, SchedulerConfigCommand c)
    {
        if (c.CasIndex is { } cas && cas != (s.SchedulerConfig?.ModifyIndex ?? 0)) return s;
        var config = c.Config with { CreateIndex = s.SchedulerConfig?.CreateIndex ?? index, ModifyIndex = index };
        return s with { SchedulerConfig = config, TableIndexes = s.TableIndexes.SetItem(Tables.SchedulerConfig, index) };
    }

    private static StateSnapshot RegisterNode(StateSnapshot s, ulong index, NodeRegisterCommand c)
    {
        var existing = s.NodeById(c.Node.ID);
        var events = existing?.Events ?? new List<NodeEvent>();
        if (c.Event is not null) events = AppendEvent(events, c.Event with { CreateIndex = index });
        var node = c.Node with
        {
            CreateIndex = existing?.CreateIndex ?? index,
            ModifyIndex = index,
            Events = events,
            // Eligibility and drain are the operator's; a re-registration must not reset them.
            SchedulingEligibility = existing?.SchedulingEligibility ?? c.Node.SchedulingEligibility,
            Drain = existing?.Drain ?? c.Node.Drain,
            DrainStrategy = existing is null ? c.Node.DrainStrategy : existing.DrainStrategy,
        };
        return WithNode(s, index, node);
    }

    private static StateSnapshot UpdateNodeStatus(StateSnapshot s, ulong index, NodeStatusCommand c)
    {
        var existing = s.NodeById(c.NodeID);
        if (existing is null) return s;
        var events = c.Event is null ? existing.Events : AppendEvent(existing.Events, c.Event with { CreateIndex = index });
        var node = existing with { Status = c.Status, StatusUpdatedAt = c.UpdatedAtUnix, Events = events, ModifyIndex = index };
        return WithNode(s, index, node);
    }

    private static StateSnapshot SetEligibility(StateSnapshot s, ulong index, NodeEligibilityCommand c)
    {
        var existing = s.NodeById(c.NodeID);
        if (existing is null) return s;
        var events = c.Event is null ? existing.Events : AppendEvent(existing.Events, c.Event with { CreateIndex = index });
        return WithNode(s, index, existing with { SchedulingEligibility = c.Eligibility, Events = events, ModifyIndex = index });
    }

    private static StateSnapshot SetDrain(StateSnapshot s, ulong index, NodeDrainCommand c)
    {
        var existing = s.NodeById(c.NodeID);
        if (existing is null) return s;
        var events = c.Event is null ? existing.Events : AppendEvent(existing.Events, c.Event with { CreateIndex = index });
        var draining = c.Strategy is not null;
        var eligibility = draining ? NodeEligibility.Ineligible
            : c.MarkEligible ? NodeEligibility.Eligible : existing.SchedulingEligibility;
        var node = existing with
        {
            Drain = draining, DrainStrategy = c.Strategy, SchedulingEligibility = eligibility, Events = events, ModifyIndex = index,
        };
        return WithNode(s, index, node);
    }

    private static StateSnapshot DeregisterNodes(StateSnapshot s, ulong index, NodeDeregisterCommand c)
    {
        var nodes = s.Nodes.RemoveRange(c.NodeIDs);
        return s with
        {
            Nodes = nodes,
            AllocsChangedByNode = s.AllocsChangedByNode.RemoveRange(c.NodeIDs),
            TableIndexes = s.TableIndexes.SetItem(Tables.Nodes, index),
        };
    }

    private static StateSnapshot WithNode(StateSnapshot s, ulong index, Node node) => s with
    {
        Nodes = s.Nodes.SetItem(node.ID, node),
        TableIndexes = s.TableIndexes.SetItem(Tables.Nodes, index),
    };

    private static List<NodeEvent> AppendEvent(List<NodeEvent> events, NodeEvent e)
    {
        var list = new List<NodeEvent>(events) { e };
        if (list.Count > MaxNodeEvents) list.RemoveRange(0, list.Count - MaxNodeEvents);
        return list;
    }
}
