using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Server;

public sealed class PlanApplierTests
{
    [Test]
    public async Task Two_concurrent_plans_for_the_same_capacity_apply_exactly_one()
    {
        await using var ts = await TestServer.StartAsync();
        var node = TestServer.Node(cpu: 1000);
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var jobA = TestServer.Job("a");
        var jobB = TestServer.Job("b");
        await ts.ApplyAsync(new JobRegisterCommand(jobA, null, UnixNanos.Now()));
        await ts.ApplyAsync(new JobRegisterCommand(jobB, null, UnixNanos.Now()));
        var before = ts.State.Current.Index;

        // Each plan alone fits (600 of 1000 MHz); together they would overcommit the node.
        var planA = TestServer.PlanFor(jobA, "eval-a", TestServer.Alloc(jobA, node.ID, "eval-a", cpu: 600));
        var planB = TestServer.PlanFor(jobB, "eval-b", TestServer.Alloc(jobB, node.ID, "eval-b", cpu: 600));
        var plans = ts.Server.Scheduling.Plans;
        var results = await Task.WhenAll(plans.SubmitAsync(planA, CancellationToken.None), plans.SubmitAsync(planB, CancellationToken.None));

        var applied = results.Where(r => r.RefreshIndex == 0).ToList();
        var rejected = results.Where(r => r.RefreshIndex != 0).ToList();
        Assert.That(applied, Has.Count.EqualTo(1));
        Assert.That(rejected, Has.Count.EqualTo(1));
        Assert.That(applied[0].AllocIndex, Is.GreaterThan(before));
        Assert.That(applied[0].NodeAllocation[node.ID], Has.Count.EqualTo(1));
        Assert.That(rejected[0].NodeAllocation, Is.Empty);
        Assert.That(rejected[0].AllocIndex, Is.EqualTo(0), "nothing accepted, nothing written");
        Assert.That(rejected[0].RefreshIndex, Is.GreaterThanOrEqualTo(applied[0].AllocIndex));
        Assert.That(rejected[0].RefreshedState!.Index, Is.GreaterThanOrEqualTo(rejected[0].RefreshIndex));
        Assert.That(rejected[0].RefreshedState!.AllocsForNode(node.ID).Count(), Is.EqualTo(1), "the refreshed state shows the winner");

        var onNode = ts.State.Current.AllocsForNode(node.ID).ToList();
        Assert.That(onNode, Has.Count.EqualTo(1));
        Assert.That(NodeFit.Check(ts.State.Current.NodeById(node.ID)!, onNode).Fits, Is.True);
    }

    [Test]
    public async Task A_port_claimed_by_two_plans_is_given_to_one()
    {
        await using var ts = await TestServer.StartAsync();
        var node = TestServer.Node(cpu: 10_000);
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var job = TestServer.Job("web", count: 2);
        await ts.ApplyAsync(new JobRegisterCommand(job, null, UnixNanos.Now()));

        var plans = ts.Server.Scheduling.Plans;
        var first = await plans.SubmitAsync(TestServer.PlanFor(job, "e1", TestServer.Alloc(job, node.ID, "e1", index: 0, ports: 8080)), CancellationToken.None);
        var second = await plans.SubmitAsync(TestServer.PlanFor(job, "e2", TestServer.Alloc(job, node.ID, "e2", index: 1, ports: 8080)), CancellationToken.None);

        Assert.That(first.RefreshIndex, Is.EqualTo(0));
        Assert.That(second.RefreshIndex, Is.Not.EqualTo(0));
        Assert.That(second.NodeAllocation, Is.Empty);
        Assert.That(ts.State.Current.AllocsForNode(node.ID).Count(), Is.EqualTo(1));
    }

    [Test]
    public async Task A_partly_fitting_plan_applies_the_nodes_that_fit_and_stops_always_apply()
    {
        await using var ts = await TestServer.StartAsync();
        var small = TestServer.Node(cpu: 100);
        var big = TestServer.Node(cpu: 1000);
        await ts.ApplyAsync(new NodeRegisterCommand(small, null));
        await ts.ApplyAsync(new NodeRegisterCommand(big, null));
        var job = TestServer.Job("web", count: 2);
        await ts.ApplyAsync(new JobRegisterCommand(job, null, UnixNanos.Now()));
        var old = TestServer.Alloc(job, big.ID, "e0", cpu: 10, index: 5);
        await ts.ApplyAsync(new PlanApplyCommand("e0", job, [old], [], UnixNanos.Now()));

        var plan = TestServer.PlanFor(job, "e1",
            TestServer.Alloc(job, small.ID, "e1", cpu: 500, index: 0),
            TestServer.Alloc(job, big.ID, "e1", cpu: 500, index: 1));
        plan.AppendStop(ts.State.Current.AllocById(old.ID)!, "alloc not needed");
        var result = await ts.Server.Scheduling.Plans.SubmitAsync(plan, CancellationToken.None);

        Assert.That(result.NodeAllocation.Keys, Is.EqualTo(new[] { big.ID }));
        Assert.That(result.RefreshIndex, Is.Not.EqualTo(0));
        Assert.That(result.AllocIndex, Is.Not.EqualTo(0));
        Assert.That(result.FullyApplied(plan), Is.False);
        var s = ts.State.Current;
        Assert.That(s.AllocsForNode(small.ID), Is.Empty);
        Assert.That(s.AllocById(old.ID)!.DesiredStatus, Is.EqualTo(AllocDesiredStatus.Stop));
    }

    [Test]
    public async Task Many_racing_plans_never_overcommit_a_node()
    {
        await using var ts = await TestServer.StartAsync();
        var node = TestServer.Node(cpu: 1000);
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var job = TestServer.Job("web", count: 20);
        await ts.ApplyAsync(new JobRegisterCommand(job, null, UnixNanos.Now()));

        var plans = ts.Server.Scheduling.Plans;
        var results = await Task.WhenAll(Enumerable.Range(0, 20).Select(i =>
            plans.SubmitAsync(TestServer.PlanFor(job, $"e{i}", TestServer.Alloc(job, node.ID, $"e{i}", cpu: 150, index: i)), CancellationToken.None)));

        Assert.That(results.Count(r => r.RefreshIndex == 0), Is.EqualTo(6), "6 × 150 fits in 1000, a 7th does not");
        var onNode = ts.State.Current.AllocsForNode(node.ID).ToList();
        Assert.That(onNode.Sum(a => a.AllocatedResources.Tasks["t"].Cpu.CpuShares), Is.LessThanOrEqualTo(1000));
    }
}
