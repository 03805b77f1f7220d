using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.State;

/// <summary>Parent jobs (parameterized, periodic) and their children: status and the children summary.</summary>
public sealed class ChildJobsTests
{
    private static Job Parent(ParameterizedJobConfig? p = null, PeriodicConfig? periodic = null) => new()
    {
        ID = "parent", Name = "parent", Type = JobType.Batch, Datacenters = ["dc1"], ParameterizedJob = p, Periodic = periodic,
        TaskGroups = [new TaskGroup { Name = "g", Count = 1, Tasks = [new JobTask { Name = "t", Driver = "raw_exec" }] }],
    };

    private static Job Child(string id) => Parent(new ParameterizedJobConfig()) with { ID = id, Name = id, ParentID = "parent", Dispatched = true };

    private static Evaluation Eval(string jobId) =>
        new() { ID = Guid.NewGuid().ToString(), JobID = jobId, Type = JobType.Batch, Status = EvalStatus.Pending, TriggeredBy = EvalTrigger.JobRegister };

    private static JobSummary Summary(StateSnapshot s, string id) =>
        JobSummary.From(s.JobById(id)!, s.AllocsForJob(id), s.EvalsForJob(id), s.ChildJobs(id));

    [Test]
    public void Parameterized_and_periodic_parents_run_until_stopped_without_evaluations()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(new ParameterizedJobConfig()), null, 1));
        Assert.That(s.JobById("parent")!.Status, Is.EqualTo(JobStatus.Running));
        s = StateApplier.Apply(s, 11, new JobDeregisterCommand("parent", false, null, 2));
        Assert.That(s.JobById("parent")!.Status, Is.EqualTo(JobStatus.Dead));

        s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(periodic: new PeriodicConfig()), null, 1));
        Assert.That(s.JobById("parent")!.Status, Is.EqualTo(JobStatus.Running));
    }

    [Test]
    public void The_children_summary_counts_each_child_by_its_status_and_follows_removals()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(new ParameterizedJobConfig()), null, 1));
        s = StateApplier.Apply(s, 11, new JobRegisterCommand(Child("parent/dispatch-1-aaaaaaaa"), Eval("parent/dispatch-1-aaaaaaaa"), 2));
        s = StateApplier.Apply(s, 12, new JobRegisterCommand(Child("parent/dispatch-2-bbbbbbbb"), Eval("parent/dispatch-2-bbbbbbbb"), 3));
        Assert.That(Summary(s, "parent").Children, Is.EqualTo(new JobChildrenSummary { Pending = 2 }));
        Assert.That(Summary(s, "parent").ModifyIndex, Is.EqualTo(12UL), "a child's change is the summary's change");

        s = StateApplier.Apply(s, 13, new JobDeregisterCommand("parent/dispatch-2-bbbbbbbb", false, Eval("parent/dispatch-2-bbbbbbbb") with { Status = EvalStatus.Complete }, 4));
        s = StateApplier.Apply(s, 14, new EvalUpsertCommand([.. s.EvalsForJob("parent/dispatch-2-bbbbbbbb").Select(e => e with { Status = EvalStatus.Complete })]));
        Assert.That(Summary(s, "parent").Children, Is.EqualTo(new JobChildrenSummary { Pending = 1, Dead = 1 }));

        s = StateApplier.Apply(s, 15, new JobDeregisterCommand("parent/dispatch-1-aaaaaaaa", true, null, 5));
        s = StateApplier.Apply(s, 16, new GcCommand(["parent/dispatch-2-bbbbbbbb"], [], []));
        Assert.That(Summary(s, "parent").Children, Is.EqualTo(new JobChildrenSummary()));
        Assert.That(s.JobsByParent, Is.Empty);
    }

    [Test]
    public void The_children_index_is_rebuilt_from_a_state_snapshot()
    {
        var s = StateApplier.Apply(StateSnapshot.Empty, 10, new JobRegisterCommand(Parent(new ParameterizedJobConfig()), null, 1));
        s = StateApplier.Apply(s, 11, new JobRegisterCommand(Child("parent/dispatch-1-aaaaaaaa"), Eval("parent/dispatch-1-aaaaaaaa"), 2));
        var restored = StateSnapshotFile.From(s).ToSnapshot();
        Assert.That(restored.ChildJobs("parent").Select(j => j.ID), Is.EqualTo(new[] { "parent/dispatch-1-aaaaaaaa" }));
    }
}
