using Nomad.Agent.Scheduler.Preemption;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler.Preemption;

public sealed class PreemptorTests
{
    private static Allocation Alloc(string id, int priority, long cpu, long mem, string job = "") => new()
    {
        ID = id, JobID = job.Length > 0 ? job : $"job-{id}", TaskGroup = "g",
        Job = new Job { ID = job.Length > 0 ? job : $"job-{id}", Priority = priority },
        AllocatedResources = new AllocatedResources
        {
            Tasks = new() { ["t"] = new AllocatedTaskResources { Cpu = new AllocatedCpuResources { CpuShares = cpu }, Memory = new AllocatedMemoryResources { MemoryMB = mem } } },
        },
    };

    private static readonly ResourceAmount Node = new(4000, 4096, 10_000);

    [Test]
    public void Lowest_priority_goes_first_and_only_as_much_as_the_ask_needs()
    {
        var current = new[] { Alloc("p40", 40, 1000, 1024), Alloc("p20", 20, 1000, 1024), Alloc("p30", 30, 1000, 1024), Alloc("p20b", 20, 1000, 1024) };
        var victims = Preemptor.Select(60, Node, current, new ResourceAmount(1500, 1500, 0));
        Assert.That(victims!.Select(v => v.ID), Is.EquivalentTo(new[] { "p20", "p20b" }), "two of the lowest priority free enough");
        var one = Preemptor.Select(60, Node, current, new ResourceAmount(900, 900, 0));
        Assert.That(one!.Single().Job!.Priority, Is.EqualTo(20));
    }

    [Test]
    public void Only_jobs_at_least_ten_priorities_lower_qualify()
    {
        var current = new[] { Alloc("p41", 41, 2000, 2048), Alloc("p45", 45, 2000, 2048) };
        Assert.That(Preemptor.Select(50, Node, current, new ResourceAmount(1000, 1000, 0)), Is.Null, "41 and 45 are within 10 of 50");
        Assert.That(Preemptor.Select(51, Node, current, new ResourceAmount(1000, 1000, 0))!.Select(v => v.ID), Is.EqualTo(new[] { "p41" }));
    }

    [Test]
    public void Nothing_when_even_every_qualifying_allocation_would_not_free_enough_and_none_when_it_already_fits()
    {
        var current = new[] { Alloc("low", 10, 1000, 1024), Alloc("high", 90, 3000, 3000) };
        Assert.That(Preemptor.Select(50, Node, current, new ResourceAmount(2500, 100, 0)), Is.Null);
        Assert.That(Preemptor.Select(50, Node, [Alloc("low", 10, 1000, 1024)], new ResourceAmount(100, 100, 0)), Is.Empty);
    }

    [Test]
    public void Within_a_priority_the_closest_in_size_is_taken()
    {
        var current = new[] { Alloc("small", 20, 500, 500), Alloc("fits", 20, 1000, 1000), Alloc("big", 20, 2500, 2500) };
        Assert.That(Preemptor.Select(50, Node, current, new ResourceAmount(1000, 1000, 0))!.Select(v => v.ID), Is.EqualTo(new[] { "fits" }));
    }
}
