using Nomad.Agent.State;
using Nomad.Agent.Structs;
using Nomad.Agent.Tests.Consensus;

namespace Nomad.Agent.Tests.Server;

public sealed class NodeDrainerTests
{
    private static readonly TimeSpan Deadline = TestServer.Deadline;

    [Test]
    public async Task A_drain_past_its_deadline_stops_what_is_left_then_completes_and_the_node_stays_ineligible()
    {
        await using var ts = await TestServer.StartAsync();
        var node = TestServer.Node();
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var job = TestServer.Job("web");
        await ts.ApplyAsync(new JobRegisterCommand(job, null, UnixNanos.Now()));
        var alloc = TestServer.Alloc(job, node.ID, "e0");
        await ts.ApplyAsync(new PlanApplyCommand("e0", job, [alloc], [], UnixNanos.Now()));

        var past = UnixNanos.Now() - 1;
        await ts.ApplyAsync(new NodeDrainCommand(node.ID, new DrainStrategy { Deadline = 1, ForceDeadline = past, StartedAt = past }, false, null, null));

        await Eventually.Until(() => ts.State.Current.NodeById(node.ID)!.DrainStrategy is null, Deadline, "the drain to complete");
        var s = ts.State.Current;
        Assert.That((s.AllocById(alloc.ID)!.DesiredStatus, s.AllocById(alloc.ID)!.DesiredDescription), Is.EqualTo((AllocDesiredStatus.Stop, "alloc is being migrated")));
        Assert.That(s.EvalsForJob("web").Single().TriggeredBy, Is.EqualTo(EvalTrigger.NodeUpdate), "the job is evaluated so its allocation is placed elsewhere");
        Assert.That((s.NodeById(node.ID)!.Drain, s.NodeById(node.ID)!.SchedulingEligibility), Is.EqualTo((false, NodeEligibility.Ineligible)));
        Assert.That(s.NodeById(node.ID)!.Events.Last().Message, Is.EqualTo("Node drain complete"));
    }

    [Test]
    public async Task A_drain_before_its_deadline_waits_for_the_allocations_to_leave()
    {
        await using var ts = await TestServer.StartAsync();
        var node = TestServer.Node();
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var job = TestServer.Job("web");
        await ts.ApplyAsync(new JobRegisterCommand(job, null, UnixNanos.Now()));
        var alloc = TestServer.Alloc(job, node.ID, "e0");
        await ts.ApplyAsync(new PlanApplyCommand("e0", job, [alloc], [], UnixNanos.Now()));
        var hour = 3_600_000_000_000L;
        await ts.ApplyAsync(new NodeDrainCommand(node.ID, new DrainStrategy { Deadline = hour, ForceDeadline = UnixNanos.Now() + hour }, false, null, null));

        await ts.Server.Drainer.PassAsync(ts.State.Current, UnixNanos.Now(), CancellationToken.None);
        Assert.That(ts.State.Current.NodeById(node.ID)!.Drain, Is.True, "an allocation is still there");
        Assert.That(ts.State.Current.AllocById(alloc.ID)!.DesiredStatus, Is.EqualTo(AllocDesiredStatus.Run));

        await ts.ApplyAsync(new PlanApplyCommand("e1", null, [], [new AllocStop(alloc.ID, "alloc is being migrated")], UnixNanos.Now()));
        await Eventually.Until(() => !ts.State.Current.NodeById(node.ID)!.Drain, Deadline, "the drain to complete once the node is empty");
    }
}
