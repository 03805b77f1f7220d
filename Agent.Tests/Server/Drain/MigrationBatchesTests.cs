using Nomad.Agent.Server.Drain;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using Nomad.Agent.Tests.Scheduler;

namespace Nomad.Agent.Tests.Server.Drain;

public sealed class MigrationBatchesTests
{
    private const long Hour = 3_600_000_000_000;

    /// <summary>A job of <paramref name="count"/> allocations all on one node, then a second node, and a drain of the first.</summary>
    private static async Task<(SchedulerHarness H, Node Draining)> DrainedAsync(Job job)
    {
        var h = new SchedulerHarness();
        var first = h.AddNode(SchedulerHarness.NewNode(0));
        await h.RegisterAsync(job);
        h.AddNode(SchedulerHarness.NewNode(1));
        h.Planner.Apply(new NodeDrainCommand(first.ID, new DrainStrategy { Deadline = Hour, ForceDeadline = UnixNanos.Now() + Hour }, false, null, null));
        return (h, h.State.NodeById(first.ID)!);
    }

    private static void ReportHealthy(SchedulerHarness h, IEnumerable<Allocation> allocs) =>
        h.Planner.Apply(new AllocClientUpdateCommand(allocs.Select(a => new AllocClientUpdate(a.ID, AllocClientStatus.Running, "", null)
        {
            DeploymentStatus = new AllocDeploymentStatus { Healthy = true, Timestamp = UnixNanos.Now() },
        }).ToList(), null, UnixNanos.Now()));

    private static List<Allocation> Mark(SchedulerHarness h, Node draining)
    {
        var marks = MigrationBatches.ToMark(h.State, [h.State.NodeById(draining.ID)!]);
        if (marks.Count > 0)
            h.Planner.Apply(new AllocDesiredTransitionCommand(marks.ToDictionary(a => a.ID, _ => new DesiredTransition { Migrate = true }), []));
        return marks;
    }

    private static Job Service(int count, int maxParallel) => SchedulerHarness.NewJob("web", count: count) is var j
        ? j with { TaskGroups = [j.TaskGroups[0] with { Migrate = new MigrateStrategy { MaxParallel = maxParallel } }] }
        : throw new InvalidOperationException();

    [Test]
    public async Task A_group_moves_max_parallel_at_a_time_each_batch_waiting_for_the_last_ones_replacements_to_be_healthy()
    {
        var (h, draining) = await DrainedAsync(Service(count: 3, maxParallel: 1));
        Assert.That(Mark(h, draining), Is.Empty, "no allocation has reported its health yet: nothing may leave");
        ReportHealthy(h, h.Live("web"));

        var moved = new List<string>();
        for (var round = 0; round < 3; round++)
        {
            var batch = Mark(h, draining);
            Assert.That(batch, Has.Count.EqualTo(1), $"round {round}: one at a time");
            Assert.That(Mark(h, draining), Is.Empty, $"round {round}: the marked one is leaving, nothing more until its replacement is healthy");
            await h.RunAsync(h.State.JobById("web")!, EvalTrigger.NodeDrain);
            Assert.That(Mark(h, draining), Is.Empty, $"round {round}: the replacement has not reported its health yet");
            moved.Add(batch[0].ID);
            var replacement = h.Live("web").Single(a => a.PreviousAllocation == batch[0].ID);
            Assert.That(replacement.NodeID, Is.Not.EqualTo(draining.ID));
            ReportHealthy(h, [replacement]);
        }
        Assert.That(moved.Distinct().Count(), Is.EqualTo(3));
        Assert.That(h.Live("web").Select(a => a.NodeID), Has.None.EqualTo(draining.ID));
        Assert.That(Mark(h, draining), Is.Empty);
    }

    [Test]
    public async Task Max_parallel_two_marks_two_and_an_unhealthy_report_counts_as_a_health_as_nomads()
    {
        var (h, draining) = await DrainedAsync(Service(count: 4, maxParallel: 2));
        var live = h.Live("web");
        ReportHealthy(h, live.Take(3));
        Assert.That(Mark(h, draining), Has.Count.EqualTo(1), "3 known of 4: one below count - max_parallel is one");
        h.Planner.Apply(new AllocClientUpdateCommand([new AllocClientUpdate(live[3].ID, AllocClientStatus.Running, "", null)
        {
            DeploymentStatus = new AllocDeploymentStatus { Healthy = false, Timestamp = UnixNanos.Now() },
        }], null, UnixNanos.Now()));
        Assert.That(Mark(h, draining), Has.Count.EqualTo(1), "the one marked earlier no longer counts; the unhealthy one does");
    }

    [Test]
    public async Task Batch_allocations_are_left_to_finish_and_system_ones_go_only_when_nothing_else_is_left()
    {
        var h = new SchedulerHarness();
        var node = h.AddNode(SchedulerHarness.NewNode(0));
        await h.RegisterAsync(SchedulerHarness.NewJob("work", type: JobType.Batch, count: 1));
        var sys = SchedulerHarness.NewJob("agent", type: JobType.System, count: 1);
        await h.RegisterAsync(sys with { TaskGroups = [sys.TaskGroups[0] with { Count = 1, ReschedulePolicy = null }] });
        h.Planner.Apply(new NodeDrainCommand(node.ID, new DrainStrategy { Deadline = Hour, ForceDeadline = UnixNanos.Now() + Hour }, false, null, null));

        Assert.That(MigrationBatches.ToMark(h.State, [h.State.NodeById(node.ID)!]), Is.Empty, "the batch allocation may finish; the system one waits for it");
        h.ClientUpdate((h.Live("work").Single().ID, AllocClientStatus.Complete));
        Assert.That(MigrationBatches.ToMark(h.State, [h.State.NodeById(node.ID)!]).Select(a => a.JobID), Is.EqualTo(new[] { "agent" }));
    }
}
