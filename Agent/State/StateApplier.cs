using Nomad.Agent.Structs;

namespace Nomad.Agent.State;

/// <summary>Pure functions from (snapshot, index, command) to the next snapshot.</summary>
public static class StateApplier
{
    /// <summary>Most events a node keeps; older ones drop off, as in Nomad.</summary>
    public const int MaxNodeEvents = 10;

    public static StateSnapshot Apply(StateSnapshot s, ulong index, Command command) => command switch
    {
        NodeRegisterCommand c => RegisterNode(s, index, c),
        NodeStatusCommand c => UpdateNodeStatus(s, index, c),
        NodeDeregisterCommand c => DeregisterNodes(s, index, c),
        _ => throw new InvalidOperationException($"unknown command {command.GetType().Name}"),
    };

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
        };
        return WithNode(s, index, node);
    }

    private static StateSnapshot UpdateNodeStatus(StateSnapshot s, ulong index, NodeStatusCommand c)
    {
        var existing = s.NodeById(c.NodeID);
        if (existing is null) return s with { Index = index };
        var events = c.Event is null ? existing.Events : AppendEvent(existing.Events, c.Event with { CreateIndex = index });
        var node = existing with { Status = c.Status, StatusUpdatedAt = c.UpdatedAtUnix, Events = events, ModifyIndex = index };
        return WithNode(s, index, node);
    }

    private static StateSnapshot DeregisterNodes(StateSnapshot s, ulong index, NodeDeregisterCommand c)
    {
        var nodes = s.Nodes.RemoveRange(c.NodeIDs);
        return s with { Index = index, Nodes = nodes, TableIndexes = s.TableIndexes.SetItem(Tables.Nodes, index) };
    }

    private static StateSnapshot WithNode(StateSnapshot s, ulong index, Node node) => s with
    {
        Index = index,
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
