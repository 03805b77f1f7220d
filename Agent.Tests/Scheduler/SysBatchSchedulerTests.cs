using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler;

/// <summary>sysbatch: once to completion on every eligible node, nodes joining later included, never twice on one node.</summary>
public sealed class SysBatchSchedulerTests
{
    private static Job SysBatchJob(string id = "once", string runFor = "1s") =>
        SchedulerHarness.NewJob(id, type: JobType.SysBatch, count: 1) is var j
            ? j with { TaskGroups = [j.TaskGroups[0] with { Tasks = [j.TaskGroups[0].Tasks[0] with { Config = new() { ["run_for"] = runFor } }] }] }
            : j;

    [Test]
    public async Task Places_on_every_node_and_on_a_node_added_later_but_not_again_where_it_finished()
    {
        var h = new SchedulerHarness();
        var nodes = h.AddNodes(5);
        var eval = await h.RegisterAsync(SysBatchJob());
        Assert.That(eval.Status, Is.EqualTo(EvalStatus.Complete));
        Assert.That(h.Live("once").Select(a => a.NodeID), Is.EquivalentTo(nodes.Select(n => n.ID)));

        // Every allocation runs to completion, except one that fails (restarts exhausted on the client).
        var allocs = h.Live("once");
        h.ClientUpdate(allocs.Select((a, i) => (a.ID, i == 0 ? AllocClientStatus.Failed : AllocClientStatus.Complete)).ToArray());
        Assert.That(h.Live("once"), Is.Empty);

        // A node joins: the job runs there, and only there.
        var fresh = h.AddNode(SchedulerHarness.NewNode(77));
        await h.RunAsync(h.State.JobById("once")!, EvalTrigger.NodeUpdate, nodeId: fresh.ID);
        Assert.That(h.Live("once").Select(a => a.NodeID), Is.EqualTo(new[] { fresh.ID }));
        Assert.That(h.State.AllocsForJob("once").Count(), Is.EqualTo(6), "one allocation per node, ever");

        // Evaluating again once that one finished places nothing.
        h.ClientUpdate((h.Live("once")[0].ID, AllocClientStatus.Complete));
        var plans = h.Planner.Plans.Count;
        await h.RunAsync(h.State.JobById("once")!, EvalTrigger.NodeUpdate);
        Assert.That(h.Planner.Plans, Has.Count.EqualTo(plans));
        Assert.That(h.State.AllocsForJob("once").Count(), Is.EqualTo(6));
    }

    [Test]
    public async Task A_destructive_job_change_runs_it_again_on_every_node_and_an_in_place_one_does_not()
    {
        var h = new SchedulerHarness();
        var nodes = h.AddNodes(3);
        await h.RegisterAsync(SysBatchJob());
        h.ClientUpdate(h.Live("once").Select(a => (a.ID, AllocClientStatus.Complete)).ToArray());

        await h.RegisterAsync(SysBatchJob() with { Priority = 70 });
        Assert.That(h.Live("once"), Is.Empty, "a change that needs no new allocation does not re-run finished ones");

        await h.RegisterAsync(SysBatchJob(runFor: "2s"));
        var live = h.Live("once");
        Assert.That(live.Select(a => a.NodeID), Is.EquivalentTo(nodes.Select(n => n.ID)));
        Assert.That(live.Select(a => a.PreviousAllocation), Is.All.Not.Empty);
    }

    [Test]
    public void Schedulers_route_sysbatch_to_the_system_scheduler()
    {
        var s = Nomad.Agent.Scheduler.Schedulers.Create(JobType.SysBatch, StateSnapshot.Empty,
            new Nomad.Agent.Scheduler.SnapshotPlanner(StateSnapshot.Empty), Logging.Logger.Null);
        Assert.That(s, Is.InstanceOf<Nomad.Agent.Scheduler.SystemScheduler>());
    }
}
