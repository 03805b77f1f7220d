using Nomad.Agent.Scheduler;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler;

/// <summary>Where allocations go: feasibility filters, bin-packing and ports.</summary>
public sealed class PlacementTests
{
    [Test]
    public async Task Job_constraints_keep_allocations_on_matching_nodes_and_count_the_filtered_ones()
    {
        var h = new SchedulerHarness();
        h.AddNodes(10, i => SchedulerHarness.NewNode(i, kernel: i < 4 ? "linux" : "windows"));
        var linux = new Constraint { LTarget = "${attr.kernel.name}", Operand = "=", RTarget = "linux" };
        var eval = await h.RegisterAsync(SchedulerHarness.NewJob("web", count: 8, constraints: [linux]));

        var allocs = h.Live("web");
        Assert.That(allocs, Has.Count.EqualTo(8));
        Assert.That(allocs.Select(a => h.State.NodeById(a.NodeID)!.Attributes["kernel.name"]), Is.All.EqualTo("linux"));
        Assert.That(eval.Status, Is.EqualTo(EvalStatus.Complete));
        Assert.That(eval.QueuedAllocations!["g"], Is.EqualTo(0));
        var withFiltering = allocs.Where(a => a.Metrics!.NodesFiltered > 0).ToList();
        Assert.That(withFiltering, Is.Not.Empty, "some placement walked past a windows node");
        Assert.That(withFiltering[0].Metrics!.ConstraintFiltered!.Keys, Is.EquivalentTo(new[] { "${attr.kernel.name} = linux" }));
    }

    [Test]
    public async Task Group_and_task_constraints_regexp_version_and_set_filter_nodes()
    {
        var h = new SchedulerHarness();
        h.AddNodes(20);
        var job = SchedulerHarness.NewJob("api", count: 4);
        job = job with
        {
            TaskGroups =
            [
                job.TaskGroups[0] with
                {
                    Constraints = [new Constraint { LTarget = "${attr.nomad.version}", Operand = "version", RTarget = ">= 1.3" }],
                    Tasks = [job.TaskGroups[0].Tasks[0] with { Constraints =
                    [
                        new Constraint { LTarget = "${attr.tags}", Operand = "set_contains", RTarget = "gpu" },
                        new Constraint { LTarget = "${attr.unique.hostname}", Operand = "regexp", RTarget = "^host-1?[0-9]$" },
                    ] }],
                },
            ],
        };
        await h.RegisterAsync(job);
        var nodes = h.Live("api").Select(a => h.State.NodeById(a.NodeID)!).ToList();
        Assert.That(nodes, Has.Count.EqualTo(4));
        foreach (var n in nodes)
        {
            var i = int.Parse(n.Name["node-".Length..]);
            Assert.That(i % 5 >= 3 && i % 2 == 0 && i < 20, Is.True, $"{n.Name} should have been filtered");
        }
    }

    [Test]
    public async Task Nodes_without_a_healthy_driver_or_outside_the_datacenters_get_nothing()
    {
        var h = new SchedulerHarness();
        h.AddNodes(6, i => SchedulerHarness.NewNode(i, dc: i == 5 ? "dc2" : "dc1", rawExec: i < 2));
        await h.RegisterAsync(SchedulerHarness.NewJob("raw", count: 6, driver: "raw_exec"));

        var used = h.Live("raw").Select(a => a.NodeID).Distinct().Select(id => h.State.NodeById(id)!.Name).ToList();
        Assert.That(used, Is.SubsetOf(new[] { "node-0", "node-1" }));
        Assert.That(h.Live("raw"), Has.Count.EqualTo(6));
    }

    [Test]
    public async Task Distinct_hosts_puts_each_allocation_on_its_own_node_and_blocks_the_rest()
    {
        var h = new SchedulerHarness();
        h.AddNodes(5);
        var job = SchedulerHarness.NewJob("db", count: 7, constraints: [new Constraint { Operand = "distinct_hosts", RTarget = "true" }]);
        var eval = await h.RegisterAsync(job);

        Assert.That(h.Live("db").Select(a => a.NodeID).Distinct().Count(), Is.EqualTo(5));
        Assert.That(h.Live("db"), Has.Count.EqualTo(5));
        Assert.That(eval.QueuedAllocations!["g"], Is.EqualTo(2));
        Assert.That(eval.FailedTGAllocs!["g"].ConstraintFiltered!["distinct_hosts"], Is.EqualTo(5));
        Assert.That(eval.FailedTGAllocs!["g"].CoalescedFailures, Is.EqualTo(1));
    }

    [Test]
    public async Task Distinct_property_limits_allocations_per_value()
    {
        var h = new SchedulerHarness();
        h.AddNodes(12);
        var job = SchedulerHarness.NewJob("spread", count: 6,
            constraints: [new Constraint { LTarget = "${attr.rack}", Operand = "distinct_property", RTarget = "2" }]);
        var eval = await h.RegisterAsync(job);

        var perRack = h.Live("spread").GroupBy(a => h.State.NodeById(a.NodeID)!.Attributes["rack"]).ToDictionary(g => g.Key, g => g.Count());
        Assert.That(perRack.Values, Is.All.EqualTo(2));
        Assert.That(perRack.Keys, Has.Count.EqualTo(3));
        Assert.That(eval.FailedTGAllocs, Is.Null);
    }

    [Test]
    public async Task Bin_packing_never_overcommits_a_node_and_fills_nodes_before_spreading()
    {
        var h = new SchedulerHarness();
        h.AddNodes(20, i => SchedulerHarness.NewNode(i, cpu: 2000, memory: 2048));
        var random = new Random(7);
        var blocked = 0;
        for (var j = 0; j < 40; j++)
        {
            var eval = await h.RegisterAsync(SchedulerHarness.NewJob($"job{j}", count: random.Next(1, 12), cpu: random.Next(50, 700), memory: random.Next(64, 700)));
            if (eval.BlockedEval.Length > 0) blocked++;
        }
        h.AssertNoNodeOvercommitted();
        Assert.That(blocked, Is.GreaterThan(0), "the cluster was asked for more than it has, so some evaluations must block");
        var total = h.State.Allocs.Values.Count(a => !a.IsTerminal);
        Assert.That(total, Is.GreaterThan(60), "most of the cluster's capacity is used");
    }

    [Test]
    public void Best_fit_score_prefers_the_fuller_node()
    {
        var g = new GroupPlan(SchedulerHarness.NewJob("x"), SchedulerHarness.NewJob("x").TaskGroups[0], 1);
        var empty = new NodeUsage(SchedulerHarness.NewNode(1));
        var busy = new NodeUsage(SchedulerHarness.NewNode(2));
        busy.Add(new Allocation
        {
            ID = "a", JobID = "other", TaskGroup = "g",
            AllocatedResources = new AllocatedResources { Tasks = { ["t"] = new AllocatedTaskResources {
                Cpu = new AllocatedCpuResources { CpuShares = 3000 }, Memory = new AllocatedMemoryResources { MemoryMB = 6000 } } } },
        }, "x");
        Assert.That(NodeSelector.Score(busy, g, null), Is.GreaterThan(NodeSelector.Score(empty, g, null)));
        Assert.That(NodeSelector.Score(empty, g, null), Is.InRange(0.0, 1.0));
        Assert.That(NodeSelector.Score(busy, g, busy.Node.ID), Is.LessThan(NodeSelector.Score(busy, g, null)), "the rescheduling penalty applies to the previous node");
    }

    [Test]
    public async Task Static_and_dynamic_ports_never_collide_on_a_node()
    {
        var h = new SchedulerHarness();
        h.AddNodes(4, i => SchedulerHarness.NewNode(i, cpu: 100_000, memory: 100_000, reservedPorts: "20000-20100,8081"));
        NetworkResource Net(params int[] statics) => new()
        {
            MBits = 10,
            ReservedPorts = statics.Select(p => new Port { Label = $"s{p}", Value = p }).ToList(),
            DynamicPorts = [new Port { Label = "http" }, new Port { Label = "admin", To = -1 }],
        };
        var eval = await h.RegisterAsync(SchedulerHarness.NewJob("static", count: 5, memory: 10, networks: [Net(8080)]));
        Assert.That(eval.QueuedAllocations!["g"], Is.EqualTo(1), "port 8080 fits once per node");
        Assert.That(eval.FailedTGAllocs!["g"].DimensionExhausted!["network: port collision"], Is.EqualTo(4));
        await h.RegisterAsync(SchedulerHarness.NewJob("reserved", count: 1, memory: 10, networks: [Net(8081)]));
        Assert.That(h.Live("reserved"), Is.Empty, "8081 is reserved on every node");
        for (var j = 0; j < 10; j++) await h.RegisterAsync(SchedulerHarness.NewJob($"dyn{j}", count: 40, memory: 10, networks: [Net()]));

        foreach (var node in h.State.Nodes.Values)
        {
            var allocs = h.State.AllocsForNode(node.ID).Where(a => !a.IsTerminal).ToList();
            var ports = allocs.SelectMany(a => NodeFit.PortsOf(a.AllocatedResources)).ToList();
            Assert.That(ports, Is.Unique, $"ports on {node.Name}");
            var dynamic = allocs.SelectMany(a => a.AllocatedResources.Tasks.Values.SelectMany(t => t.Networks!.SelectMany(n => n.DynamicPorts ?? []))).ToList();
            Assert.That(dynamic.Select(p => p.Value), Is.All.InRange(20101, 32000), "dynamic ports avoid the node's reserved range");
            Assert.That(dynamic.Where(p => p.Label == "admin").All(p => p.To == p.Value), Is.True, "to = -1 maps to the host port");
            Assert.That(allocs.SelectMany(a => a.AllocatedResources.Tasks.Values.SelectMany(t => t.Networks!)).Select(n => n.IP), Is.All.EqualTo(node.NodeResources.Networks[0].IP));
        }
        Assert.That(h.Live("dyn0"), Has.Count.EqualTo(40));
        h.AssertNoNodeOvercommitted();
    }

    [Test]
    public async Task Allocated_resources_follow_the_task_and_group()
    {
        var h = new SchedulerHarness();
        h.AddNodes(2);
        await h.RegisterAsync(SchedulerHarness.NewJob("r", count: 1, cpu: 250, memory: 512));
        var a = h.Live("r").Single();
        Assert.That(a.AllocatedResources.Tasks["t"].Cpu.CpuShares, Is.EqualTo(250));
        Assert.That(a.AllocatedResources.Tasks["t"].Memory.MemoryMB, Is.EqualTo(512));
        Assert.That(a.AllocatedResources.Shared.DiskMB, Is.EqualTo(100));
        Assert.That((a.Name, a.NodeName.StartsWith("node-"), a.ClientStatus, a.DesiredStatus), Is.EqualTo(("r.g[0]", true, "pending", "run")));
    }
}
