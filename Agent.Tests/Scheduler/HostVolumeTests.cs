using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler;

/// <summary>A group that asks for host volumes is placed only on nodes offering them, as Nomad's HostVolumeChecker.</summary>
public sealed class HostVolumeTests
{
    private static Job JobWith(params VolumeRequest[] volumes)
    {
        var job = SchedulerHarness.NewJob("db", count: 3);
        return job with { TaskGroups = [job.TaskGroups[0] with { Volumes = volumes.ToDictionary(v => v.Name) }] };
    }

    private static Node Offering(int i, params ClientHostVolumeConfig[] volumes) =>
        SchedulerHarness.NewNode(i) with { HostVolumes = volumes.Length == 0 ? null : volumes.ToDictionary(v => v.Name) };

    [Test]
    public async Task Allocations_go_only_to_nodes_with_the_volume_and_the_others_are_counted_as_filtered()
    {
        var h = new SchedulerHarness();
        h.AddNodes(8, i => i % 2 == 0 ? Offering(i, new ClientHostVolumeConfig { Name = "pg", Path = "/srv/pg" }) : Offering(i));
        await h.RegisterAsync(JobWith(new VolumeRequest { Name = "data", Type = "host", Source = "pg" }));

        var allocs = h.Live("db");
        Assert.That(allocs, Has.Count.EqualTo(3));
        Assert.That(allocs.Select(a => h.State.NodeById(a.NodeID)!.HostVolumes), Is.All.Not.Null);
        var filtered = allocs.Where(a => a.Metrics!.NodesFiltered > 0).ToList();
        Assert.That(filtered, Is.Not.Empty, "some placement walked past a node without the volume");
        Assert.That(filtered[0].Metrics!.ConstraintFiltered!.Keys, Is.EquivalentTo(new[] { HostVolumeChecker.MissingHostVolumes }));
    }

    [Test]
    public async Task A_read_only_volume_takes_only_read_only_requests()
    {
        var h = new SchedulerHarness();
        h.AddNodes(2, i => Offering(i, new ClientHostVolumeConfig { Name = "certs", Path = "/etc/ssl", ReadOnly = true }));

        var writer = await h.RegisterAsync(JobWith(new VolumeRequest { Name = "c", Type = "host", Source = "certs" }));
        Assert.That(h.Live("db"), Is.Empty);
        Assert.That(writer.FailedTGAllocs!["g"].ConstraintFiltered![HostVolumeChecker.MissingHostVolumes], Is.EqualTo(2));

        await h.RegisterAsync(JobWith(new VolumeRequest { Name = "c", Type = "host", Source = "certs", ReadOnly = true }));
        Assert.That(h.Live("db"), Has.Count.EqualTo(3));
    }

    [Test]
    public void Every_request_of_one_source_must_be_read_only_for_a_read_only_volume()
    {
        var group = new TaskGroup
        {
            Volumes = new()
            {
                ["a"] = new VolumeRequest { Name = "a", Type = "host", Source = "certs", ReadOnly = true },
                ["b"] = new VolumeRequest { Name = "b", Type = "host", Source = "certs" },
            },
        };
        var node = Offering(0, new ClientHostVolumeConfig { Name = "certs", Path = "/etc/ssl", ReadOnly = true });
        Assert.That(new HostVolumeChecker(group).Feasible(node), Is.False);
        Assert.That(new HostVolumeChecker(group).Feasible(node with { HostVolumes = new() { ["certs"] = new() { Name = "certs", Path = "/etc/ssl" } } }), Is.True);
    }
}
