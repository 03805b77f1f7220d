using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.State;

/// <summary>The periodic_launch table as Nomad's FSM keeps it, and a periodic job's own status.</summary>
public sealed class PeriodicLaunchApplierTests
{
    private const long S = 1_000_000_000;

    private static Job Parent(bool enabled = true) => new()
    {
        ID = "nightly", Name = "nightly", Type = JobType.Batch, Datacenters = ["dc1"],
        Periodic = new PeriodicConfig { Spec = "0 2 * * *", Enabled = enabled },
        TaskGroups = [new TaskGroup { Name = "g", Tasks = [new JobTask { Name = "t", Driver = "raw_exec" }] }],
    };

    private static Job Child(long unixSeconds) => Parent() with
    {
        ID = $"nightly/periodic-{unixSeconds}", Name = $"nightly/periodic-{unixSeconds}", ParentID = "nightly", Periodic = null,
    };

    [Test]
    public void A_periodic_job_records_its_registration_as_a_launch_once_and_each_child_its_launch_time()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(), null, 100 * S));
        Assert.That(s.PeriodicLaunchById("nightly"), Is.EqualTo(new PeriodicLaunch("nightly", "default", 100 * S) { CreateIndex = 10, ModifyIndex = 10 }));
        Assert.That(s.TableIndex(Tables.PeriodicLaunch), Is.EqualTo(10UL));

        s = StateApplier.Apply(s, 11, new JobRegisterCommand(Parent() with { Priority = 60 }, null, 200 * S));
        Assert.That(s.PeriodicLaunchById("nightly")!.Launch, Is.EqualTo(100 * S), "a new version is no launch");

        s = StateApplier.Apply(s, 12, new JobRegisterCommand(Child(1_700_000_000), null, 300 * S));
        Assert.That((s.PeriodicLaunchById("nightly")!.Launch, s.PeriodicLaunchById("nightly")!.ModifyIndex, s.PeriodicLaunchById("nightly")!.CreateIndex),
            Is.EqualTo((1_700_000_000 * S, 12UL, 10UL)));
        Assert.That(s.PeriodicLaunchById(Child(1_700_000_000).ID), Is.Null, "children are not periodic");
        Assert.That(s.PeriodicChildren("nightly").Select(j => j.ID), Is.EqualTo(new[] { "nightly/periodic-1700000000" }));
    }

    [Test]
    public void A_disabled_periodic_job_records_nothing()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(enabled: false), null, 100 * S));
        Assert.That(s.PeriodicLaunches, Is.Empty);
    }

    [Test]
    public void A_periodic_job_runs_without_an_evaluation_until_stopped_and_purging_forgets_its_launches()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(), null, 100 * S));
        Assert.That(s.JobById("nightly")!.Status, Is.EqualTo(JobStatus.Running));

        s = StateApplier.Apply(s, 11, new JobDeregisterCommand("nightly", false, null, 200 * S));
        Assert.That(s.JobById("nightly")!.Status, Is.EqualTo(JobStatus.Dead));
        Assert.That(s.PeriodicLaunchById("nightly"), Is.Not.Null, "a stopped job keeps its record, as Nomad");

        s = StateApplier.Apply(s, 12, new JobDeregisterCommand("nightly", true, null, 300 * S));
        Assert.That((s.JobById("nightly"), s.PeriodicLaunchById("nightly"), s.TableIndex(Tables.PeriodicLaunch)), Is.EqualTo(((Job?)null, (PeriodicLaunch?)null, 12UL)));
    }

    [Test]
    public void Garbage_collecting_a_periodic_job_forgets_its_launches()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(), null, 100 * S));
        s = StateApplier.Apply(s, 11, new GcCommand(["nightly"], [], []));
        Assert.That((s.PeriodicLaunches.Count, s.TableIndex(Tables.PeriodicLaunch)), Is.EqualTo((0, 11UL)));
    }

    [Test]
    public void Launches_survive_a_snapshot_round_trip()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(), null, 100 * S));
        var back = StateSnapshotFile.From(s).ToSnapshot();
        Assert.That(back.PeriodicLaunchById("nightly"), Is.EqualTo(s.PeriodicLaunchById("nightly")));
    }
}
