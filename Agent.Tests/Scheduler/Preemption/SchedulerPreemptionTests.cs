using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler.Preemption;

public sealed class SchedulerPreemptionTests
{
    private static Job WithPriority(Job j, int priority) => j with { Priority = priority };

    private static Job System(int priority, int memory)
    {
        var j = SchedulerHarness.NewJob("agent", type: JobType.System, count: 1, memory: memory);
        return j with { Priority = priority, TaskGroups = [j.TaskGroups[0] with { Count = 1, ReschedulePolicy = null }] };
    }

    [Test]
    public async Task A_system_job_evicts_a_lower_priority_batch_allocation_from_a_full_node_and_the_batch_job_is_evaluated_again()
    {
        var h = new SchedulerHarness();
        var node = h.AddNode(SchedulerHarness.NewNode(0, memory: 1024));
        await h.RegisterAsync(WithPriority(SchedulerHarness.NewJob("work", type: JobType.Batch, count: 1, memory: 900), 20));
        var victim = h.Live("work").Single();

        var eval = await h.RegisterAsync(System(priority: 90, memory: 500));

        Assert.That(eval.FailedTGAllocs, Is.Null);
        var placed = h.Live("agent").Single();
        var evicted = h.State.AllocById(victim.ID)!;
        Assert.That((evicted.DesiredStatus, evicted.PreemptedByAllocation, evicted.DesiredDescription),
            Is.EqualTo((AllocDesiredStatus.Evict, placed.ID, $"Preempted by alloc ID {placed.ID}")));
        Assert.That(placed.PreemptedAllocations, Is.EqualTo(new[] { victim.ID }));
        Assert.That(h.State.EvalsForJob("work").Where(e => e.TriggeredBy == EvalTrigger.Preemption && e.Status == EvalStatus.Pending), Has.Exactly(1).Items,
            "the preempted job is evaluated so its allocation is placed again");
        h.AssertNoNodeOvercommitted();
    }

    [Test]
    public async Task A_system_job_less_than_ten_priorities_above_evicts_nothing()
    {
        var h = new SchedulerHarness();
        h.AddNode(SchedulerHarness.NewNode(0, memory: 1024));
        await h.RegisterAsync(WithPriority(SchedulerHarness.NewJob("work", type: JobType.Batch, count: 1, memory: 900), 50));
        var eval = await h.RegisterAsync(System(priority: 59, memory: 500));
        Assert.That(h.Live("agent"), Is.Empty);
        Assert.That(h.Live("work"), Has.Count.EqualTo(1));
        Assert.That(eval.FailedTGAllocs!["g"].DimensionExhausted, Does.ContainKey("memory"));
    }

    [Test]
    public async Task Service_jobs_preempt_only_once_the_scheduler_configuration_enables_it()
    {
        var h = new SchedulerHarness();
        h.AddNode(SchedulerHarness.NewNode(0, memory: 1024));
        await h.RegisterAsync(WithPriority(SchedulerHarness.NewJob("work", type: JobType.Batch, count: 1, memory: 900), 20));
        var web = WithPriority(SchedulerHarness.NewJob("web", count: 1, memory: 500), 80);
        await h.RegisterAsync(web);
        Assert.That(h.Live("web"), Is.Empty, "service preemption is off by default");

        h.Planner.Apply(new SchedulerConfigCommand(new SchedulerConfiguration { PreemptionConfig = new PreemptionConfig { ServiceSchedulerEnabled = true } }, null));
        await h.RunAsync(h.State.JobById("web")!, EvalTrigger.QueuedAllocs);
        Assert.That(h.Live("web"), Has.Count.EqualTo(1));
        Assert.That(h.Live("web").Single().PreemptedAllocations, Has.Count.EqualTo(1));
        Assert.That(h.Live("work"), Is.Empty);
    }
}
