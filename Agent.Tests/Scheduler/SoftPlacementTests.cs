using Nomad.Agent.Scheduler.Ranking;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler;

/// <summary>Affinity and spread scored as Nomad's ranking does, over many simulated nodes, and the scores kept in the allocations' metrics.</summary>
public sealed class SoftPlacementTests
{
    private static Job Job(string id, int count, List<Spread>? spreads = null, List<Affinity>? affinities = null, int cpu = 100, int memory = 128) =>
        SchedulerHarness.NewJob(id, count: count, cpu: cpu, memory: memory) with
        {
            Datacenters = ["dc1", "dc2"], Spreads = spreads, Affinities = affinities,
        };

    private static SchedulerHarness TwoDatacenters(int perDc)
    {
        var h = new SchedulerHarness();
        for (var i = 0; i < perDc * 2; i++) h.AddNode(SchedulerHarness.NewNode(i, dc: i < perDc ? "dc1" : "dc2"));
        return h;
    }

    private static Dictionary<string, int> ByDatacenter(SchedulerHarness h, string job) =>
        h.Live(job).GroupBy(a => h.State.NodeById(a.NodeID)!.Datacenter).ToDictionary(x => x.Key, x => x.Count());

    [Test]
    public async Task Spread_over_two_datacenters_with_targets_70_30_places_7_and_3()
    {
        var h = TwoDatacenters(60);
        var spread = new Spread
        {
            Attribute = "${node.datacenter}", Weight = 100,
            SpreadTarget = [new SpreadTarget { Value = "dc1", Percent = 70 }, new SpreadTarget { Value = "dc2", Percent = 30 }],
        };
        await h.RegisterAsync(Job("web", 10, spreads: [spread]));
        Assert.That(ByDatacenter(h, "web"), Is.EquivalentTo(new Dictionary<string, int> { ["dc1"] = 7, ["dc2"] = 3 }));
    }

    [Test]
    public async Task Spread_with_a_target_for_one_value_leaves_the_rest_to_the_others()
    {
        var h = TwoDatacenters(30);
        var spread = new Spread { Attribute = "${node.datacenter}", SpreadTarget = [new SpreadTarget { Value = "dc2", Percent = 20 }] };
        await h.RegisterAsync(Job("web", 10, spreads: [spread]));
        Assert.That(ByDatacenter(h, "web"), Is.EquivalentTo(new Dictionary<string, int> { ["dc1"] = 8, ["dc2"] = 2 }));
    }

    [Test]
    public async Task Spread_without_targets_evens_out_and_keeps_even_as_the_count_grows()
    {
        var h = new SchedulerHarness();
        h.AddNodes(90); // attr.rack is r0, r1 or r2
        var spread = new Spread { Attribute = "${attr.rack}" };
        var job = SchedulerHarness.NewJob("web", count: 9) with { Spreads = [spread] };
        await h.RegisterAsync(job);
        Assert.That(ByRack(), Is.EquivalentTo(new Dictionary<string, int> { ["r0"] = 3, ["r1"] = 3, ["r2"] = 3 }));

        await h.RegisterAsync(job with { TaskGroups = [job.TaskGroups[0] with { Count = 15 }] });
        Assert.That(ByRack(), Is.EquivalentTo(new Dictionary<string, int> { ["r0"] = 5, ["r1"] = 5, ["r2"] = 5 }));

        Dictionary<string, int> ByRack() =>
            h.Live("web").GroupBy(a => h.State.NodeById(a.NodeID)!.Attributes["rack"]).ToDictionary(x => x.Key, x => x.Count());
    }

    [Test]
    public async Task Affinity_weight_100_puts_everything_on_the_matching_node_while_it_fits()
    {
        var h = new SchedulerHarness();
        h.AddNodes(60);
        var small = h.AddNode(SchedulerHarness.NewNode(99, cpu: 1000) with { Name = "favourite" });
        var affinity = new Affinity { LTarget = "${node.unique.name}", Operand = "=", RTarget = "favourite", Weight = 100 };
        await h.RegisterAsync(SchedulerHarness.NewJob("web", count: 8, cpu: 200, memory: 256) with { Affinities = [affinity] });

        var live = h.Live("web");
        Assert.That(live.Count(a => a.NodeID == small.ID), Is.EqualTo(5), "the favourite node takes all it can hold (1000 MHz / 200)");
        Assert.That(live, Has.Count.EqualTo(8));
        h.AssertNoNodeOvercommitted();
    }

    [Test]
    public async Task Negative_affinity_avoids_matching_nodes_and_task_level_affinities_count()
    {
        var h = new SchedulerHarness();
        h.AddNodes(40); // meta.zone alternates z0, z1
        var avoid = new Affinity { LTarget = "${meta.zone}", Operand = "=", RTarget = "z0", Weight = -100 };
        var job = SchedulerHarness.NewJob("web", count: 10);
        job = job with { TaskGroups = [job.TaskGroups[0] with { Tasks = [job.TaskGroups[0].Tasks[0] with { Affinities = [avoid] }] }] };
        await h.RegisterAsync(job);
        Assert.That(h.Live("web").Select(a => h.State.NodeById(a.NodeID)!.Meta["zone"]), Is.All.EqualTo("z1"));
    }

    [Test]
    public async Task Placement_metrics_keep_the_best_five_nodes_with_the_scorers_that_ran_and_the_mean()
    {
        var h = new SchedulerHarness();
        h.AddNodes(40);
        var affinity = new Affinity { LTarget = "${meta.zone}", Operand = "=", RTarget = "z0", Weight = 50 };
        await h.RegisterAsync(SchedulerHarness.NewJob("web", count: 3) with { Affinities = [affinity], Spreads = [new Spread { Attribute = "${attr.rack}" }] });

        foreach (var a in h.Live("web"))
        {
            var meta = a.Metrics!.ScoreMetaData!;
            Assert.That(meta, Has.Count.EqualTo(5));
            Assert.That(meta.Select(m => m.NormScore), Is.Ordered.Descending);
            Assert.That(meta[0].NodeID, Is.EqualTo(a.NodeID), "the chosen node scored best");
            foreach (var m in meta)
            {
                Assert.That(m.Scores.Keys, Is.SupersetOf(new[] { NodeScoring.BinPack, NodeScoring.JobAntiAffinity, NodeScoring.ReschedulePenalty }));
                // The final score is the mean of the scores that apply (zeros do not count).
                var applied = m.Scores.Values.Where(v => v != 0).ToList();
                Assert.That(m.NormScore, Is.EqualTo(applied.Average()).Within(1e-9));
            }
            Assert.That(meta[0].Scores[NodeScoring.NodeAffinity], Is.EqualTo(1.0), "the best nodes are in zone z0");
        }
        Assert.That(h.Live("web").Skip(1).Any(a => a.Metrics!.ScoreMetaData![0].Scores.ContainsKey(NodeScoring.AllocationSpread)), Is.True,
            "once a rack is used, spread scores the others");
    }

    [Test]
    public async Task Without_affinities_the_node_affinity_score_is_recorded_as_zero_and_system_jobs_record_binpack_alone()
    {
        var h = new SchedulerHarness();
        h.AddNodes(4);
        await h.RegisterAsync(SchedulerHarness.NewJob("web", count: 1));
        var scores = h.Live("web")[0].Metrics!.ScoreMetaData![0].Scores;
        Assert.That(scores.Keys, Is.EquivalentTo(new[] { "binpack", "job-anti-affinity", "node-reschedule-penalty", "node-affinity" }));
        Assert.That(scores["node-affinity"], Is.Zero);

        await h.RegisterAsync(SchedulerHarness.NewJob("agent", type: JobType.System, count: 1) with { TaskGroups = [SchedulerHarness.NewJob("agent").TaskGroups[0] with { Count = 1, ReschedulePolicy = null }] });
        foreach (var a in h.Live("agent"))
        {
            var meta = a.Metrics!.ScoreMetaData!.Single();
            Assert.That((meta.NodeID, meta.Scores.Keys.Single(), meta.NormScore), Is.EqualTo((a.NodeID, "binpack", meta.Scores["binpack"])));
        }
    }
}
