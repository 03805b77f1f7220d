using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.State;

public sealed class StateApplierTests
{
    private static Node NewNode(string id = "6dcecce3-446c-e3fb-6ec4-e3ccf51d4880") =>
        new() { ID = id, SecretID = "s", Name = "n", Datacenter = "dc1", Status = NodeStatus.Initializing };

    [Test]
    public void Register_sets_create_and_modify_index_and_table_index()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 5, new NodeRegisterCommand(NewNode(), new NodeEvent { Message = "Node registered" }));
        var n = s.NodeById(NewNode().ID)!;
        Assert.That((n.CreateIndex, n.ModifyIndex, s.TableIndex(Tables.Nodes), s.Index), Is.EqualTo((5UL, 5UL, 5UL, 5UL)));
        Assert.That(n.Events.Single().CreateIndex, Is.EqualTo(5UL));
    }

    [Test]
    public void Reregister_keeps_create_index_eligibility_and_events()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 5, new NodeRegisterCommand(NewNode(), new NodeEvent { Message = "Node registered" }));
        var operatorMade = s.NodeById(NewNode().ID)! with { SchedulingEligibility = NodeEligibility.Ineligible };
        s = s with { Nodes = s.Nodes.SetItem(operatorMade.ID, operatorMade) };
        s = StateApplier.Apply(s, 9, new NodeRegisterCommand(NewNode() with { Name = "renamed" }, null));
        var n = s.NodeById(NewNode().ID)!;
        Assert.That(n.CreateIndex, Is.EqualTo(5UL));
        Assert.That(n.ModifyIndex, Is.EqualTo(9UL));
        Assert.That(n.Name, Is.EqualTo("renamed"));
        Assert.That(n.SchedulingEligibility, Is.EqualTo(NodeEligibility.Ineligible));
        Assert.That(n.Events, Has.Count.EqualTo(1));
    }

    [Test]
    public void Status_change_records_time_and_event_and_leaves_other_snapshots_alone()
    {
        var before = StateApplier.Apply(StateSnapshot.Empty, 1, new NodeRegisterCommand(NewNode(), null));
        var after = StateApplier.Apply(before, 2, new NodeStatusCommand(NewNode().ID, NodeStatus.Down, 1234, new NodeEvent { Message = "Node heartbeat missed" }));
        Assert.That(after.NodeById(NewNode().ID)!.Status, Is.EqualTo(NodeStatus.Down));
        Assert.That(after.NodeById(NewNode().ID)!.StatusUpdatedAt, Is.EqualTo(1234));
        Assert.That(before.NodeById(NewNode().ID)!.Status, Is.EqualTo(NodeStatus.Initializing), "snapshots are immutable");
    }

    [Test]
    public void Status_of_unknown_node_changes_nothing_but_the_index()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 3, new NodeStatusCommand("nope", NodeStatus.Ready, 1, null));
        Assert.That(s.Nodes, Is.Empty);
        Assert.That(s.TableIndex(Tables.Nodes), Is.EqualTo(0UL));
    }

    [Test]
    public void Events_are_capped()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 1, new NodeRegisterCommand(NewNode(), null));
        for (ulong i = 2; i < 30; i++)
            s = StateApplier.Apply(s, i, new NodeStatusCommand(NewNode().ID, i % 2 == 0 ? NodeStatus.Down : NodeStatus.Ready, 1, new NodeEvent { Message = $"e{i}" }));
        var events = s.NodeById(NewNode().ID)!.Events;
        Assert.That(events, Has.Count.EqualTo(StateApplier.MaxNodeEvents));
        Assert.That(events[^1].Message, Is.EqualTo("e29"));
    }

    [Test]
    public void Deregister_removes_nodes()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 1, new NodeRegisterCommand(NewNode(), null));
        s = StateApplier.Apply(s, 2, new NodeDeregisterCommand([NewNode().ID]));
        Assert.That(s.Nodes, Is.Empty);
        Assert.That(s.TableIndex(Tables.Nodes), Is.EqualTo(2UL));
    }
}
