using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler;

/// <summary>The service and batch scheduler's reconciliation: updates, count changes, stops, lost nodes, drains, reschedules.</summary>
public sealed class GenericSchedulerTests
{
    [Test]
    public async Task Register_places_count_allocations_named_by_index_and_completes_the_eval()
    {
        var h = new SchedulerHarness();
        h.AddNodes(5);
        var eval = await h.RegisterAsync(SchedulerHarness.NewJob("web", count: 4));

        Assert.That(h.Live("web").Select(a => a.Name), Is.EquivalentTo(Enumerable.Range(0, 4).Select(i => $"web.g[{i}]")));
        Assert.That((eval.Status, eval.BlockedEval, eval.FailedTGAllocs), Is.EqualTo((EvalStatus.Complete, "", (Dictionary<string, AllocMetric>?)null)));
        Assert.That(h.Planner.Plans.Single().SnapshotIndex, Is.GreaterThan(0UL));
        Assert.That(h.State.JobById("web")!.Status, Is.EqualTo(JobStatus.Running));

        var again = await h.RunAsync(h.State.JobById("web")!, EvalTrigger.JobRegister);
        Assert.That(h.Planner.Plans, Has.Count.EqualTo(1), "nothing to change: no plan is submitted");
        Assert.That(again.Status, Is.EqualTo(EvalStatus.Complete));
    }

    [Test]
    public async Task A_changed_task_replaces_allocations_and_an_unchanged_one_updates_them_in_place()
    {
        var h = new SchedulerHarness();
        h.AddNodes(5);
        var job = SchedulerHarness.NewJob("web", count: 3);
        await h.RegisterAsync(job);
        var original = h.Live("web").ToDictionary(a => a.Name, a => a.ID);

        // Only the job's meta changes: same allocations, new job version.
        await h.RegisterAsync(job with { Meta = new() { ["owner"] = "ops" } });
        var inPlace = h.Live("web");
        Assert.That(inPlace.ToDictionary(a => a.Name, a => a.ID), Is.EqualTo(original));
        Assert.That(inPlace.Select(a => a.Job!.Version), Is.All.EqualTo(1UL));

        // The task's config changes: every allocation is replaced under the same name.
        var changed = job with { Meta = new() { ["owner"] = "ops" }, TaskGroups = [job.TaskGroups[0] with { Tasks = [job.TaskGroups[0].Tasks[0] with { Config = new() { ["run_for"] = "2h" } }] }] };
        await h.RegisterAsync(changed);
        var replaced = h.Live("web");
        Assert.That(replaced.Select(a => a.Name), Is.EquivalentTo(original.Keys));
        Assert.That(replaced.Select(a => a.ID), Has.None.AnyOf(original.Values.ToArray()));
        Assert.That(replaced.Select(a => a.PreviousAllocation), Is.EquivalentTo(original.Values));
        foreach (var id in original.Values)
            Assert.That(h.State.AllocById(id)!.DesiredDescription, Is.EqualTo("alloc is being updated due to job update"));
        h.AssertNoNodeOvercommitted();
    }

    [Test]
    public async Task Count_decrease_stops_the_highest_indexes()
    {
        var h = new SchedulerHarness();
        h.AddNodes(5);
        var job = SchedulerHarness.NewJob("web", count: 5);
        await h.RegisterAsync(job);
        var before = h.Live("web").Select(a => a.ID).ToHashSet();
        await h.RegisterAsync(job with { TaskGroups = [job.TaskGroups[0] with { Count = 2 }] });

        Assert.That(h.Live("web").Select(a => a.Name), Is.EquivalentTo(new[] { "web.g[0]", "web.g[1]" }));
        Assert.That(h.Live("web").Select(a => a.ID), Is.SubsetOf(before), "the kept ones are not replaced");
        var stopped = h.State.AllocsForJob("web").Where(a => a.DesiredStatus == AllocDesiredStatus.Stop).ToList();
        Assert.That(stopped.Select(a => a.Name), Is.EquivalentTo(new[] { "web.g[2]", "web.g[3]", "web.g[4]" }));
        Assert.That(stopped.Select(a => a.DesiredDescription), Is.All.EqualTo("alloc not needed due to job update"));
    }

    [Test]
    public async Task Stopping_or_purging_a_job_stops_all_its_allocations()
    {
        var h = new SchedulerHarness();
        h.AddNodes(3);
        await h.RegisterAsync(SchedulerHarness.NewJob("a", count: 3));
        await h.RegisterAsync(SchedulerHarness.NewJob("b", count: 2));

        h.Planner.Apply(new JobDeregisterCommand("a", false, null, UnixNanos.Now()));
        var eval = await h.RunAsync(h.State.JobById("a")!, EvalTrigger.JobDeregister);
        Assert.That(h.Live("a"), Is.Empty);
        Assert.That(h.State.AllocsForJob("a").Select(x => x.DesiredDescription), Is.All.EqualTo("alloc not needed as job is stopped"));
        Assert.That(eval.Status, Is.EqualTo(EvalStatus.Complete));

        var b = h.State.JobById("b")!;
        h.Planner.Apply(new JobDeregisterCommand("b", true, null, UnixNanos.Now()));
        await h.RunAsync(b, EvalTrigger.JobDeregister);
        Assert.That(h.Live("b"), Is.Empty, "a purged job's allocations stop too");
    }

    [Test]
    public async Task Allocations_on_a_down_node_are_lost_and_replaced_elsewhere()
    {
        var h = new SchedulerHarness();
        h.AddNodes(4);
        var job = SchedulerHarness.NewJob("web", count: 8);
        await h.RegisterAsync(job);
        var victim = h.Live("web").GroupBy(a => a.NodeID).OrderByDescending(g => g.Count()).First();
        var lostIds = victim.Select(a => a.ID).ToHashSet();

        h.Planner.Apply(new NodeStatusCommand(victim.Key, NodeStatus.Down, 0, null));
        await h.RunAsync(h.State.JobById("web")!, EvalTrigger.NodeUpdate, nodeId: victim.Key);

        foreach (var id in lostIds)
        {
            var a = h.State.AllocById(id)!;
            Assert.That((a.DesiredStatus, a.ClientStatus, a.DesiredDescription), Is.EqualTo((AllocDesiredStatus.Stop, AllocClientStatus.Lost, "alloc is lost since its node is down")));
        }
        var live = h.Live("web");
        Assert.That(live, Has.Count.EqualTo(8));
        Assert.That(live.Select(a => a.NodeID), Has.None.EqualTo(victim.Key));
        Assert.That(live.Where(a => a.PreviousAllocation.Length > 0).Select(a => a.PreviousAllocation), Is.EquivalentTo(lostIds));
        Assert.That(live.Select(a => a.Name).Distinct().Count(), Is.EqualTo(8), "replacements keep their names");
    }

    [Test]
    public async Task Allocations_on_a_draining_node_migrate_once_the_drainer_marks_them()
    {
        var h = new SchedulerHarness();
        h.AddNodes(3);
        await h.RegisterAsync(SchedulerHarness.NewJob("web", count: 6));
        var node = h.Live("web").First().NodeID;
        var moving = h.Live("web").Where(a => a.NodeID == node).Select(a => a.ID).ToList();

        h.Planner.Apply(new NodeDrainCommand(node, new DrainStrategy { Deadline = 3_600_000_000_000 }, false, null, null));
        await h.RunAsync(h.State.JobById("web")!, EvalTrigger.NodeUpdate, nodeId: node);
        Assert.That(moving.Select(id => h.State.AllocById(id)!.DesiredStatus), Is.All.EqualTo(AllocDesiredStatus.Run), "not marked: they stay");

        h.Planner.Apply(new AllocDesiredTransitionCommand(moving.ToDictionary(id => id, _ => new DesiredTransition { Migrate = true }), []));
        await h.RunAsync(h.State.JobById("web")!, EvalTrigger.NodeDrain);

        Assert.That(moving.Select(id => h.State.AllocById(id)!.DesiredDescription), Is.All.EqualTo("alloc is being migrated"));
        Assert.That(h.Live("web"), Has.Count.EqualTo(6));
        Assert.That(h.Live("web").Select(a => a.NodeID), Has.None.EqualTo(node));
    }

    [Test]
    public async Task A_migrate_mark_left_from_a_cancelled_drain_moves_nothing()
    {
        var h = new SchedulerHarness();
        h.AddNodes(3);
        await h.RegisterAsync(SchedulerHarness.NewJob("web", count: 6));
        var node = h.Live("web").First().NodeID;
        var marked = h.Live("web").Where(a => a.NodeID == node).Select(a => a.ID).ToList();

        // Marked by a drain that was then cancelled: the node is in service again, so the mark means nothing (Nomad
        // honours it only on draining or down nodes).
        h.Planner.Apply(new AllocDesiredTransitionCommand(marked.ToDictionary(id => id, _ => new DesiredTransition { Migrate = true }), []));
        await h.RunAsync(h.State.JobById("web")!, EvalTrigger.NodeUpdate, nodeId: node);

        Assert.That(marked.Select(id => h.State.AllocById(id)!.DesiredStatus), Is.All.EqualTo(AllocDesiredStatus.Run));
        Assert.That(h.Live("web").Count(a => a.NodeID == node), Is.EqualTo(marked.Count));
    }

    [Test]
    public async Task Failed_placement_creates_a_blocked_eval_with_the_reasons()
    {
        var h = new SchedulerHarness();
        h.AddNodes(3, i => SchedulerHarness.NewNode(i, memory: 1024));
        var eval = await h.RegisterAsync(SchedulerHarness.NewJob("big", count: 5, memory: 600));

        Assert.That(h.Live("big"), Has.Count.EqualTo(3));
        Assert.That(eval.Status, Is.EqualTo(EvalStatus.Complete));
        Assert.That(eval.QueuedAllocations!["g"], Is.EqualTo(2));
        var metric = eval.FailedTGAllocs!["g"];
        Assert.That((metric.NodesEvaluated, metric.NodesExhausted, metric.CoalescedFailures), Is.EqualTo((3, 3, 1)));
        Assert.That(metric.DimensionExhausted!["memory"], Is.EqualTo(3));
        Assert.That(metric.NodesAvailable!["dc1"], Is.EqualTo(3));
        var blocked = h.State.EvalById(eval.BlockedEval)!;
        Assert.That((blocked.Status, blocked.TriggeredBy, blocked.PreviousEval, blocked.JobID), Is.EqualTo((EvalStatus.Blocked, EvalTrigger.QueuedAllocs, eval.ID, "big")));

        // Capacity arrives: the blocked evaluation places the rest.
        h.AddNodes(2, i => SchedulerHarness.NewNode(i + 10, memory: 1024));
        var unblocked = await h.ProcessAsync(blocked);
        Assert.That(h.Live("big"), Has.Count.EqualTo(5));
        Assert.That((unblocked.Status, unblocked.QueuedAllocations!["g"]), Is.EqualTo((EvalStatus.Complete, 0)));
    }

    [Test]
    public async Task Capacity_freed_by_a_finished_allocation_is_seen_by_the_next_evaluation()
    {
        var h = new SchedulerHarness();
        var node = h.AddNodes(1, i => SchedulerHarness.NewNode(i, memory: 1024))[0];
        await h.RegisterAsync(SchedulerHarness.NewJob("first", type: JobType.Batch, count: 1, memory: 600));
        var blockedOn = await h.RegisterAsync(SchedulerHarness.NewJob("second", count: 1, memory: 600));
        Assert.That(h.Live("second"), Is.Empty);
        var changedBefore = h.State.AllocsChangedIndex(node.ID);

        h.ClientUpdate((h.Live("first").Single().ID, AllocClientStatus.Complete));
        Assert.That(h.State.AllocsChangedIndex(node.ID), Is.GreaterThan(changedBefore), "a client update marks the node's allocations changed");
        await h.ProcessAsync(h.State.EvalById(blockedOn.BlockedEval)!);
        Assert.That(h.Live("second").Single().NodeID, Is.EqualTo(node.ID));
        h.AssertNoNodeOvercommitted();
    }

    [Test]
    public async Task Infeasible_everywhere_reports_constraint_and_driver_filtering()
    {
        var h = new SchedulerHarness();
        h.AddNodes(4, i => SchedulerHarness.NewNode(i, rawExec: i % 2 == 0));
        var eval = await h.RegisterAsync(SchedulerHarness.NewJob("w", count: 1, driver: "raw_exec",
            constraints: [new Constraint { LTarget = "${attr.kernel.name}", Operand = "=", RTarget = "darwin" }]));
        var m = eval.FailedTGAllocs!["g"];
        Assert.That((m.NodesEvaluated, m.NodesFiltered), Is.EqualTo((4, 4)));
        Assert.That(m.ConstraintFiltered!["${attr.kernel.name} = darwin"], Is.EqualTo(4), "job constraints are checked before drivers");

        var eval2 = await h.RegisterAsync(SchedulerHarness.NewJob("v", count: 1, driver: "raw_exec", constraints: []) with { TaskGroups = [SchedulerHarness.NewJob("v").TaskGroups[0] with { Count = 3, Tasks = [SchedulerHarness.NewJob("v").TaskGroups[0].Tasks[0] with { Driver = "docker" }] }] });
        Assert.That(eval2.FailedTGAllocs!["g"].ConstraintFiltered!["missing drivers"], Is.EqualTo(4));
    }

    [Test]
    public async Task Batch_allocations_that_completed_are_never_replaced_but_failed_ones_are_rescheduled()
    {
        var h = new SchedulerHarness();
        h.AddNodes(3);
        var job = SchedulerHarness.NewJob("report", type: JobType.Batch, count: 3);
        job = job with { TaskGroups = [job.TaskGroups[0] with { ReschedulePolicy = ReschedulePolicy.BatchDefault with { Delay = 0 } }] };
        await h.RegisterAsync(job);
        var allocs = h.Live("report").OrderBy(a => a.Name).ToList();
        h.ClientUpdate((allocs[0].ID, AllocClientStatus.Complete), (allocs[1].ID, AllocClientStatus.Complete), (allocs[2].ID, AllocClientStatus.Failed));

        await h.RunAsync(h.State.JobById("report")!, EvalTrigger.AllocFailure);
        var live = h.Live("report");
        var replacement = live.Single();
        Assert.That((replacement.Name, replacement.PreviousAllocation), Is.EqualTo((allocs[2].Name, allocs[2].ID)));
        Assert.That(replacement.RescheduleTracker!.Events.Single().PrevAllocID, Is.EqualTo(allocs[2].ID));
        Assert.That(h.State.AllocById(allocs[2].ID)!.NextAllocation, Is.EqualTo(replacement.ID));

        // It fails again: the policy's one attempt is used up, so nothing is placed.
        h.ClientUpdate((replacement.ID, AllocClientStatus.Failed));
        await h.RunAsync(h.State.JobById("report")!, EvalTrigger.AllocFailure);
        Assert.That(h.Live("report"), Is.Empty);

        Assert.That(h.State.AllocsForJob("report").Count(), Is.EqualTo(4), "three originals and one replacement");
    }

    [Test]
    public async Task A_delayed_reschedule_creates_a_follow_up_eval_once()
    {
        var h = new SchedulerHarness();
        h.AddNodes(2);
        await h.RegisterAsync(SchedulerHarness.NewJob("svc", count: 1));
        var alloc = h.Live("svc").Single();
        h.ClientUpdate((alloc.ID, AllocClientStatus.Failed));
        var failedAt = h.State.AllocById(alloc.ID)!.ModifyTime;

        await h.RunAsync(h.State.JobById("svc")!, EvalTrigger.AllocFailure);
        await h.RunAsync(h.State.JobById("svc")!, EvalTrigger.AllocFailure);
        Assert.That(h.Live("svc"), Is.Empty, "the 30 s delay has not passed");
        var followUp = h.Planner.CreatedEvals.Single();
        Assert.That((followUp.Status, followUp.TriggeredBy, followUp.WaitUntil), Is.EqualTo((EvalStatus.Pending, EvalTrigger.AllocFailure, failedAt + 30_000_000_000L)));
    }

    [Test]
    public void Exponential_and_fibonacci_delays_grow_and_cap()
    {
        static Allocation WithDelays(params long[] delays) => new()
        {
            RescheduleTracker = new RescheduleTracker { Events = delays.Select(d => new RescheduleEvent { Delay = d, RescheduleTime = 1 }).ToList() },
            ModifyTime = 2,
        };
        var exp = new ReschedulePolicy { Delay = 5, DelayFunction = "exponential", MaxDelay = 30, Unlimited = true };
        Assert.That(Rescheduling.NextDelay(exp, WithDelays()), Is.EqualTo(5));
        Assert.That(Rescheduling.NextDelay(exp, WithDelays(5, 10)), Is.EqualTo(20));
        Assert.That(Rescheduling.NextDelay(exp, WithDelays(5, 10, 20)), Is.EqualTo(30));
        var fib = exp with { DelayFunction = "fibonacci", MaxDelay = 100 };
        Assert.That(Rescheduling.NextDelay(fib, WithDelays(5, 5, 10)), Is.EqualTo(15));
        Assert.That(Rescheduling.NextDelay(exp with { DelayFunction = "constant" }, WithDelays(5, 10)), Is.EqualTo(5));

        var limited = new ReschedulePolicy { Attempts = 2, Interval = 100 };
        Assert.That(Rescheduling.Allowed(limited, WithDelays(1), now: 50), Is.True);
        Assert.That(Rescheduling.Allowed(limited, WithDelays(1, 1), now: 50), Is.False);
        Assert.That(Rescheduling.Allowed(limited, WithDelays(1, 1), now: 500), Is.True, "attempts outside the interval do not count");
    }

    [Test]
    public async Task A_stale_plan_is_planned_again_on_fresher_state_without_overcommitting()
    {
        var h = new SchedulerHarness();
        h.AddNodes(2, i => SchedulerHarness.NewNode(i, memory: 1000));
        h.Planner.Apply(new JobRegisterCommand(SchedulerHarness.NewJob("one", count: 2, memory: 600), null, 1));
        h.Planner.Apply(new JobRegisterCommand(SchedulerHarness.NewJob("two", count: 1, memory: 600), null, 1));
        var stale = h.State;
        Evaluation E(string job) => new() { ID = Guid.NewGuid().ToString(), Type = JobType.Service, JobID = job, Status = EvalStatus.Pending };

        await h.ProcessAsync(E("one"), stale);
        Assert.That(h.Live("one"), Has.Count.EqualTo(2));
        // "two" plans on the snapshot from before "one" was placed: its plan is rejected, and on the fresh state it cannot fit.
        var eval = await h.ProcessAsync(E("two"), stale);
        h.AssertNoNodeOvercommitted();
        Assert.That(h.Live("two"), Is.Empty);
        Assert.That(h.Planner.Plans, Has.Count.EqualTo(2));
        Assert.That(eval.Status, Is.EqualTo(EvalStatus.Complete));
        Assert.That(eval.FailedTGAllocs!["g"].DimensionExhausted!["memory"], Is.EqualTo(2), "the failure was found on the refreshed state");
    }

    [Test]
    public void Unknown_scheduler_type_is_a_bad_request()
    {
        var ex = Assert.Throws<BadRequestException>(() => Schedulers.Create("cron", StateSnapshot.Empty, new SnapshotPlanner(StateSnapshot.Empty), Logging.Logger.Null));
        Assert.That(ex!.Message, Does.Contain("\"cron\""));
    }
}
