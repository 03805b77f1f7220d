using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Structs;
using Nomad.Contracts;

namespace Nomad.Agent.Tests.Client;

/// <summary>A task's volume_mounts become host paths the driver mounts; read-only if any of the three layers says so.</summary>
public sealed class TaskMountsTests
{
    private static (Allocation, JobTask) Alloc(bool requestReadOnly, bool mountReadOnly)
    {
        var task = new JobTask { Name = "t", Driver = "exec", VolumeMounts = [new VolumeMount { Volume = "data", Destination = "/srv/data", ReadOnly = mountReadOnly }] };
        var group = new TaskGroup
        {
            Name = "g",
            Volumes = new() { ["data"] = new VolumeRequest { Name = "data", Type = "host", Source = "pg", ReadOnly = requestReadOnly } },
            Tasks = [task],
        };
        return (new Allocation { ID = "a", TaskGroup = "g", Job = new Job { ID = "j", TaskGroups = [group] } }, task);
    }

    private static Node NodeWith(bool readOnly) => new() { HostVolumes = new() { ["pg"] = new() { Name = "pg", Path = "/var/lib/pg", ReadOnly = readOnly } } };

    [TestCase(false, false, false, false)]
    [TestCase(true, false, false, true)]
    [TestCase(false, true, false, true)]
    [TestCase(false, false, true, true)]
    public void Mount_is_read_only_when_the_node_the_request_or_the_mount_says_so(bool nodeRo, bool requestRo, bool mountRo, bool expected)
    {
        var (alloc, task) = Alloc(requestRo, mountRo);
        Assert.That(TaskMounts.Resolve(alloc, task, NodeWith(nodeRo)), Is.EqualTo(new[] { new TaskMount("/srv/data", "/var/lib/pg", expected) }));
    }

    [Test]
    public void A_volume_the_node_does_not_offer_is_an_error_naming_it()
    {
        var (alloc, task) = Alloc(false, false);
        var e = Assert.Throws<InvalidOperationException>(() => TaskMounts.Resolve(alloc, task, new Node()));
        Assert.That(e!.Message, Is.EqualTo("No host volume named: pg"));
    }

    [Test]
    public void A_task_without_mounts_gets_none() =>
        Assert.That(TaskMounts.Resolve(new Allocation(), new JobTask(), new Node()), Is.Empty);
}
