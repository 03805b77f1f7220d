using Nomad.Agent.Jobspec;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Jobspec;

/// <summary>Nomad's rules for group volumes and task volume_mounts, each broken alone, give exactly their message.</summary>
[TestFixture]
public sealed class VolumeValidatorTests
{
    private static Job With(Dictionary<string, VolumeRequest>? volumes, params VolumeMount[] mounts)
    {
        var job = JobDefaults.Canonicalize(new Job
        {
            ID = "x",
            Datacenters = ["dc1"],
            TaskGroups = [new TaskGroup { Name = "g", Tasks = [new JobTask { Name = "t", Driver = "exec" }] }],
        });
        var g = job.TaskGroups[0];
        return job with { TaskGroups = [g with { Volumes = volumes, Tasks = [g.Tasks[0] with { VolumeMounts = mounts.ToList() }] }] };
    }

    private static Dictionary<string, VolumeRequest> Data(VolumeRequest? v = null) =>
        new() { ["data"] = v ?? new VolumeRequest { Name = "data", Type = "host", Source = "shared", ReadOnly = true } };

    private static IEnumerable<TestCaseData> Rules()
    {
        TestCaseData Case(string name, Job job, string message) => new TestCaseData(job, message).SetName(name);
        var mount = new VolumeMount { Volume = "data", Destination = "/srv" };
        yield return Case("UnknownType", With(Data(new VolumeRequest { Type = "nfs", Source = "s" })), "group \"g\": volume \"data\": volume has unrecognized type nfs");
        yield return Case("EmptySource", With(Data(new VolumeRequest { Type = "host" })), "group \"g\": volume \"data\": volume has an empty source");
        yield return Case("HostAccessMode", With(Data(new VolumeRequest { Type = "host", Source = "s", AccessMode = "single-node-writer" })), "group \"g\": volume \"data\": host volumes cannot have an access mode");
        yield return Case("HostAttachmentMode", With(Data(new VolumeRequest { Type = "host", Source = "s", AttachmentMode = "file-system" })), "group \"g\": volume \"data\": host volumes cannot have an attachment mode");
        yield return Case("HostPerAlloc", With(Data(new VolumeRequest { Type = "host", Source = "s", PerAlloc = true })), "group \"g\": volume \"data\": host volumes do not support per_alloc");
        yield return Case("MountUndefined", With(Data(), mount with { Volume = "logs" }), "group \"g\" task \"t\": volume mount (0) references undefined volume logs");
        yield return Case("MountEmptyVolume", With(Data(), mount with { Volume = "" }), "group \"g\" task \"t\": volume mount (0) references an empty volume");
        yield return Case("MountNoVolumes", With(null, mount), "group \"g\" task \"t\": volume mount (0) references undefined volume data");
        yield return Case("MountEmptyDestination", With(Data(), mount with { Destination = "" }), "group \"g\" task \"t\": volume mount (0) has an empty destination");
        yield return Case("MountPropagation", With(Data(), mount with { PropagationMode = "shared" }), "group \"g\" task \"t\": volume mount (0) has an invalid propagation mode \"shared\" (want private, host-to-task, bidirectional)");
    }

    [TestCaseSource(nameof(Rules))]
    public void Broken_rule_gives_its_message(Job job, string message) =>
        Assert.That(JobValidator.Validate(job), Is.EqualTo(new[] { message }));

    [Test]
    public void A_host_volume_mounted_by_a_task_is_valid() =>
        Assert.That(JobValidator.Validate(With(Data(), new VolumeMount { Volume = "data", Destination = "/srv", ReadOnly = true })), Is.Empty);
}
