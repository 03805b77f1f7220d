using System.Text.Json;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.State;

public sealed class JobStateApplierTests
{
    private static Job NewJob(string type = JobType.Batch, int count = 2) => new()
    {
        ID = "example", Name = "example", Type = type, Datacenters = ["dc1"],
        TaskGroups = [new TaskGroup { Name = "g", Count = count, Tasks = [new JobTask { Name = "t", Driver = "raw_exec" }] }],
    };

    private static Evaluation NewEval(string jobId = "example") =>
        new() { ID = Guid.NewGuid().ToString(), JobID = jobId, Type = JobType.Batch, Status = EvalStatus.Pending, TriggeredBy = EvalTrigger.JobRegister };

    private static Allocation NewAlloc(int i, string node = "n1") => new()
    {
        ID = $"a{i}", JobID = "example", NodeID = node, TaskGroup = "g", Name = Allocation.MakeName("example", "g", i), EvalID = "e",
    };

    [Test]
    public void Registering_the_same_spec_twice_keeps_the_version_and_a_change_bumps_it()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(NewJob(), NewEval(), 1));
        Assert.That((s.JobById("example")!.Version, s.JobById("example")!.JobModifyIndex), Is.EqualTo((0UL, 10UL)));
        Assert.That(s.JobById("example")!.Status, Is.EqualTo(JobStatus.Pending), "a pending evaluation keeps the job pending");

        s = StateApplier.Apply(s, 11, new JobRegisterCommand(NewJob(), NewEval(), 2));
        Assert.That((s.JobById("example")!.Version, s.JobById("example")!.JobModifyIndex), Is.EqualTo((0UL, 10UL)));

        s = StateApplier.Apply(s, 12, new JobRegisterCommand(NewJob(count: 3), NewEval(), 3));
        Assert.That((s.JobById("example")!.Version, s.JobById("example")!.JobModifyIndex, s.JobById("example")!.CreateIndex), Is.EqualTo((1UL, 12UL, 10UL)));
        Assert.That(s.EvalsForJob("example").Count(), Is.EqualTo(3));
    }

    [Test]
    public void Placed_allocations_share_the_plan_job_are_indexed_and_make_the_job_run_until_they_finish()
    {
        var eval = NewEval();
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(NewJob(), eval, 1));
        s = StateApplier.Apply(s, 11, new EvalUpsertCommand([eval with { Status = EvalStatus.Complete }]));
        var job = s.JobById("example")!;
        s = StateApplier.Apply(s, 12, new PlanApplyCommand(eval.ID, job, [NewAlloc(0), NewAlloc(1, "n2")], [], 99));

        Assert.That(s.AllocsForJob("example").Select(a => a.ID), Is.EquivalentTo(new[] { "a0", "a1" }));
        Assert.That(s.AllocsForNode("n2").Single().ID, Is.EqualTo("a1"));
        Assert.That(s.AllocById("a0")!.Job, Is.SameAs(s.AllocById("a1")!.Job));
        Assert.That((s.AllocById("a0")!.CreateIndex, s.AllocById("a0")!.AllocModifyIndex, s.AllocById("a0")!.CreateTime), Is.EqualTo((12UL, 12UL, 99L)));
        Assert.That(s.JobById("example")!.Status, Is.EqualTo(JobStatus.Running));

        s = StateApplier.Apply(s, 13, new AllocClientUpdateCommand(
            [new AllocClientUpdate("a0", AllocClientStatus.Complete, "", null), new AllocClientUpdate("a1", AllocClientStatus.Complete, "", null)], null, 100));
        Assert.That(s.AllocById("a0")!.AllocModifyIndex, Is.EqualTo(12UL), "client updates do not move AllocModifyIndex");
        Assert.That(s.AllocById("a0")!.ModifyIndex, Is.EqualTo(13UL));
        Assert.That(s.JobById("example")!.Status, Is.EqualTo(JobStatus.Dead));
        Assert.That(s.TableIndex(Tables.Jobs), Is.EqualTo(13UL));
    }

    [Test]
    public void Stopping_a_job_makes_a_new_version_and_stopped_allocations_keep_their_client_status_unless_lost()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(NewJob(), null, 1));
        s = StateApplier.Apply(s, 11, new PlanApplyCommand("e", s.JobById("example"), [NewAlloc(0), NewAlloc(1)], [], 1));
        s = StateApplier.Apply(s, 12, new JobDeregisterCommand("example", false, null, 2));
        Assert.That((s.JobById("example")!.Stop, s.JobById("example")!.Version), Is.EqualTo((true, 1UL)));

        s = StateApplier.Apply(s, 13, new PlanApplyCommand("e2", null,
            [], [new AllocStop("a0", "alloc not needed due to job update"), new AllocStop("a1", "alloc is lost since its node is down", AllocClientStatus.Lost)], 2));
        Assert.That((s.AllocById("a0")!.DesiredStatus, s.AllocById("a0")!.ClientStatus), Is.EqualTo((AllocDesiredStatus.Stop, AllocClientStatus.Pending)));
        Assert.That(s.AllocById("a1")!.ClientStatus, Is.EqualTo(AllocClientStatus.Lost));
        Assert.That(s.JobById("example")!.Status, Is.EqualTo(JobStatus.Dead));
    }

    [Test]
    public void Garbage_collection_removes_rows_and_their_index_entries_and_snapshots_round_trip()
    {
        var eval = NewEval();
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(NewJob(), eval, 1));
        s = StateApplier.Apply(s, 11, new PlanApplyCommand(eval.ID, s.JobById("example"), [NewAlloc(0), NewAlloc(1)], [], 1));

        var bytes = JsonSerializer.SerializeToUtf8Bytes(StateSnapshotFile.From(s), StateJson.Options);
        var restored = JsonSerializer.Deserialize<StateSnapshotFile>(bytes, StateJson.Options)!.ToSnapshot();
        Assert.That(restored.AllocsForNode("n1").Count(), Is.EqualTo(2));
        Assert.That(restored.EvalsForJob("example").Single().ID, Is.EqualTo(eval.ID));
        Assert.That(restored.JobById("example")!.Status, Is.EqualTo(JobStatus.Running));

        s = StateApplier.Apply(s, 12, new GcCommand(["example"], [eval.ID], ["a0", "a1"]));
        Assert.That((s.Jobs.Count, s.Evals.Count, s.Allocs.Count), Is.EqualTo((0, 0, 0)));
        Assert.That(s.AllocsByNode, Is.Empty);
        Assert.That(s.EvalsByJob, Is.Empty);
    }

    [Test]
    public void Draining_a_node_makes_it_ineligible_and_ending_it_can_restore_eligibility()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 1, new NodeRegisterCommand(new Node { ID = "n1", Status = NodeStatus.Ready }, null));
        s = StateApplier.Apply(s, 2, new NodeDrainCommand("n1", new DrainStrategy { Deadline = 3600 }, false, null, null));
        Assert.That((s.NodeById("n1")!.Drain, s.NodeById("n1")!.SchedulingEligibility, s.NodeById("n1")!.IsSchedulable),
            Is.EqualTo((true, NodeEligibility.Ineligible, false)));
        s = StateApplier.Apply(s, 3, new NodeDrainCommand("n1", null, true, null, null));
        Assert.That((s.NodeById("n1")!.Drain, s.NodeById("n1")!.SchedulingEligibility, s.NodeById("n1")!.IsSchedulable),
            Is.EqualTo((false, NodeEligibility.Eligible, true)));
    }
}

public sealed class GcCommandTests
{
    [Test]
    public void Rows_changed_after_the_index_gc_looked_at_are_kept()
    {
        var job = new Job { ID = "j", Name = "j", Type = JobType.Batch, Datacenters = ["dc1"], TaskGroups = [new TaskGroup { Name = "g" }] };
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobDeregisterCommand("j", false, null, 1));
        s = StateApplier.Apply(s, 11, new JobRegisterCommand(job with { Stop = true }, null, 1));
        var lookedAt = s.Index;
        // The user registers the job again while the GC command is in flight.
        s = StateApplier.Apply(s, 12, new JobRegisterCommand(job, null, 2));
        s = StateApplier.Apply(s, 13, new GcCommand(["j"], [], []) { AtIndex = lookedAt });
        Assert.That(s.JobById("j"), Is.Not.Null, "the re-registered job survives");

        s = StateApplier.Apply(s, 14, new GcCommand(["j"], [], []) { AtIndex = 14 });
        Assert.That(s.JobById("j"), Is.Null);
    }
}
