using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler;

public sealed class SystemSchedulerTests
{
    private static Job SystemJob(string id = "agent", List<Constraint>? constraints = null) =>
        SchedulerHarness.NewJob(id, type: JobType.System, count: 1, constraints: constraints) with { TaskGroups = [SchedulerHarness.NewJob(id).TaskGroups[0] with { Count = 1, ReschedulePolicy = null }] };

    [Test]
    public async Task One_allocation_per_eligible_node_and_none_on_ineligible_draining_down_or_other_dc_nodes()
    {
        var h = new SchedulerHarness();
        var nodes = h.AddNodes(8);
        h.AddNode(SchedulerHarness.NewNode(100, dc: "dc2"));
        h.Planner.Apply(new NodeEligibilityCommand(nodes[1].ID, NodeEligibility.Ineligible, null, null));
        h.Planner.Apply(new NodeDrainCommand(nodes[2].ID, new DrainStrategy(), false, null, null));
        h.Planner.Apply(new NodeStatusCommand(nodes[3].ID, NodeStatus.Down, 0, null));

        var eval = await h.RegisterAsync(SystemJob());
        var live = h.Live("agent");
        var expected = new[] { 0, 4, 5, 6, 7 }.Select(i => nodes[i].ID);
        Assert.That(live.Select(a => a.NodeID), Is.EquivalentTo(expected));
        Assert.That(live.Select(a => a.Name), Is.All.EqualTo("agent.g[0]"));
        Assert.That((eval.Status, eval.FailedTGAllocs), Is.EqualTo((EvalStatus.Complete, (Dictionary<string, AllocMetric>?)null)));

        // Nothing changed: evaluating again changes nothing.
        var plans = h.Planner.Plans.Count;
        await h.RunAsync(h.State.JobById("agent")!, EvalTrigger.NodeUpdate);
        Assert.That(h.Planner.Plans, Has.Count.EqualTo(plans));

        // A new node gets one; an eligible-again node gets one.
        var fresh = h.AddNode(SchedulerHarness.NewNode(50));
        h.Planner.Apply(new NodeEligibilityCommand(nodes[1].ID, NodeEligibility.Eligible, null, null));
        await h.RunAsync(h.State.JobById("agent")!, EvalTrigger.NodeUpdate, nodeId: fresh.ID);
        Assert.That(h.Live("agent").Select(a => a.NodeID), Is.EquivalentTo(expected.Append(fresh.ID).Append(nodes[1].ID)));
    }

    [Test]
    public async Task Down_nodes_lose_their_allocations_and_allocations_the_drainer_marked_stop()
    {
        var h = new SchedulerHarness();
        var nodes = h.AddNodes(4);
        await h.RegisterAsync(SystemJob());
        var onDown = AllocOn(nodes[0].ID);
        var onDrain = AllocOn(nodes[1].ID);
        var onIgnoring = AllocOn(nodes[2].ID);

        h.Planner.Apply(new NodeStatusCommand(nodes[0].ID, NodeStatus.Down, 0, null));
        h.Planner.Apply(new NodeDrainCommand(nodes[1].ID, new DrainStrategy(), false, null, null));
        h.Planner.Apply(new NodeDrainCommand(nodes[2].ID, new DrainStrategy { IgnoreSystemJobs = true }, false, null, null));
        await h.RunAsync(h.State.JobById("agent")!, EvalTrigger.NodeUpdate);
        Assert.That(onDrain()!.DesiredStatus, Is.EqualTo(AllocDesiredStatus.Run), "system allocations leave a draining node only once marked (last)");
        h.Planner.Apply(new AllocDesiredTransitionCommand(new() { [onDrain()!.ID] = new DesiredTransition { Migrate = true } }, []));
        await h.RunAsync(h.State.JobById("agent")!, EvalTrigger.NodeDrain);

        Assert.That((onDown()!.ClientStatus, onDown()!.DesiredDescription), Is.EqualTo((AllocClientStatus.Lost, "alloc is lost since its node is down")));
        Assert.That((onDrain()!.DesiredStatus, onDrain()!.DesiredDescription), Is.EqualTo((AllocDesiredStatus.Stop, "alloc is being migrated")));
        Assert.That(onIgnoring()!.DesiredStatus, Is.EqualTo(AllocDesiredStatus.Run));
        Assert.That(h.Live("agent").Select(a => a.NodeID), Is.EquivalentTo(new[] { nodes[2].ID, nodes[3].ID }));

        Func<Allocation?> AllocOn(string nodeId)
        {
            var id = h.State.AllocsForNode(nodeId).FirstOrDefault()?.ID;
            return () => id is null ? null : h.State.AllocById(id);
        }
    }

    [Test]
    public async Task Nodes_that_stop_satisfying_the_job_lose_the_allocation_and_a_stopped_job_stops_everywhere()
    {
        var h = new SchedulerHarness();
        h.AddNodes(4);
        var constraint = new Constraint { LTarget = "${meta.zone}", Operand = "=", RTarget = "z0" };
        await h.RegisterAsync(SystemJob());
        Assert.That(h.Live("agent"), Has.Count.EqualTo(4));

        await h.RegisterAsync(SystemJob(constraints: [constraint]));
        Assert.That(h.Live("agent").Select(a => h.State.NodeById(a.NodeID)!.Meta["zone"]), Is.All.EqualTo("z0"));
        Assert.That(h.Live("agent"), Has.Count.EqualTo(2));

        h.Planner.Apply(new JobDeregisterCommand("agent", false, null, UnixNanos.Now()));
        await h.RunAsync(h.State.JobById("agent")!, EvalTrigger.JobDeregister);
        Assert.That(h.Live("agent"), Is.Empty);
    }

    [Test]
    public async Task A_node_without_room_is_reported_without_a_blocked_eval()
    {
        var h = new SchedulerHarness();
        h.AddNodes(3, i => SchedulerHarness.NewNode(i, memory: i == 0 ? 100 : 8192));
        var eval = await h.RegisterAsync(SystemJob());
        Assert.That(h.Live("agent"), Has.Count.EqualTo(2));
        Assert.That(eval.FailedTGAllocs!["g"].DimensionExhausted!["memory"], Is.EqualTo(1));
        Assert.That((eval.QueuedAllocations!["g"], eval.BlockedEval), Is.EqualTo((1, "")));
    }
}
