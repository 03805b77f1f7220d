using Nomad.Agent.Scheduler;
using Nomad.Agent.Server;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using Nomad.Agent.Tests.Consensus;

namespace Nomad.Agent.Tests.Server;

/// <summary>The leader's pipeline end to end on a real single-server Raft: state → broker → worker → plan applier → state.</summary>
public sealed class SchedulingPipelineTests
{
    private static readonly TimeSpan Deadline = TestServer.Deadline;

    /// <summary>
    /// A minimal scheduler: places the job's missing allocations on the first ready node, or, when there is
    /// none, leaves a blocked evaluation behind; then marks its evaluation complete.
    /// </summary>
    private static async Task PlaceOrBlock(Evaluation eval, StateSnapshot state, IPlanner planner, CancellationToken ct)
    {
        var job = state.JobById(eval.JobID)!;
        var node = state.Nodes.Values.FirstOrDefault(n => n.IsSchedulable);
        var have = state.AllocsForJob(job.ID).Count(a => !a.IsTerminal);
        var want = job.TaskGroups[0].Count - have;
        var done = eval with { Status = EvalStatus.Complete, ModifyTime = UnixNanos.Now() };
        var created = new List<Evaluation>();
        if (want > 0 && node is null)
        {
            var blocked = eval with
            {
                ID = Guid.NewGuid().ToString(), Status = EvalStatus.Blocked, TriggeredBy = EvalTrigger.QueuedAllocs,
                PreviousEval = eval.ID, CreateTime = UnixNanos.Now(), ModifyTime = UnixNanos.Now(),
            };
            created.Add(blocked);
            done = done with { BlockedEval = blocked.ID };
        }
        else if (want > 0)
        {
            var plan = new Plan { EvalID = eval.ID, Job = job, Priority = job.Priority, SnapshotIndex = state.Index };
            for (var i = have; i < have + want; i++) plan.AppendAlloc(TestServer.Alloc(job, node!.ID, eval.ID, cpu: 100, index: i));
            var result = await planner.SubmitPlanAsync(plan, ct);
            if (!result.FullyApplied(plan)) throw new InvalidOperationException("plan not fully applied");
        }
        await planner.UpdateEvalAsync(done, created, ct);
    }

    [Test]
    public async Task A_registered_jobs_evaluation_flows_to_allocations_and_completes()
    {
        await using var ts = await TestServer.StartAsync(TestServer.With(FakeScheduler.Factory(PlaceOrBlock)));
        var node = TestServer.Node(cpu: 4000);
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var job = TestServer.Job("web", count: 3);
        var eval = TestServer.Eval(job);
        await ts.ApplyAsync(new JobRegisterCommand(job, eval, UnixNanos.Now()));

        await Eventually.Until(() => ts.State.Current.EvalById(eval.ID)?.Status == EvalStatus.Complete, Deadline, "the evaluation to complete");
        var s = ts.State.Current;
        var allocs = s.AllocsForJob(job.ID).ToList();
        Assert.That(allocs, Has.Count.EqualTo(3));
        Assert.That(allocs.All(a => a.NodeID == node.ID && a.EvalID == eval.ID && a.Job is not null), Is.True);
        Assert.That(s.JobById(job.ID)!.Status, Is.EqualTo(JobStatus.Running));
        await Eventually.Until(() => ts.Server.Broker.Stats().TotalUnacked == 0, Deadline, "the evaluation to be acked");
        Assert.That(ts.Server.Broker.Stats().TotalReady, Is.EqualTo(0));
    }

    [Test]
    public async Task A_blocked_evaluation_is_unblocked_and_placed_when_a_node_registers()
    {
        await using var ts = await TestServer.StartAsync(TestServer.With(FakeScheduler.Factory(PlaceOrBlock)));
        var job = TestServer.Job("web", count: 2);
        var eval = TestServer.Eval(job);
        await ts.ApplyAsync(new JobRegisterCommand(job, eval, UnixNanos.Now()));

        var done = await Eventually.Until(() => ts.State.Current.EvalById(eval.ID) is { Status: EvalStatus.Complete } e ? e : null, Deadline, "the first evaluation");
        Assert.That(done.BlockedEval, Is.Not.Empty);
        Assert.That(ts.State.Current.EvalById(done.BlockedEval)!.Status, Is.EqualTo(EvalStatus.Blocked));
        await Eventually.Until(() => ts.Server.Scheduling.Blocked.Count == 1, Deadline, "the blocked evaluation to be tracked");
        Assert.That(ts.State.Current.AllocsForJob(job.ID), Is.Empty);

        await ts.Server.Nodes.RegisterAsync(new NodeRegisterRequest(TestServer.Node(cpu: 4000)));

        await Eventually.Until(() => ts.State.Current.AllocsForJob(job.ID).Count() == 2, Deadline, "the job to be placed on the new node");
        await Eventually.Until(() => ts.State.Current.EvalById(done.BlockedEval)!.Status == EvalStatus.Complete, Deadline, "the unblocked evaluation to complete");
        Assert.That(ts.Server.Scheduling.Blocked.Count, Is.EqualTo(0));
    }

    [Test]
    public async Task A_newer_blocked_evaluation_for_a_job_cancels_the_older()
    {
        await using var ts = await TestServer.StartAsync();
        var job = TestServer.Job("web");
        await ts.ApplyAsync(new JobRegisterCommand(job, null, UnixNanos.Now()));
        var older = TestServer.Eval(job, EvalStatus.Blocked);
        await ts.ApplyAsync(new EvalUpsertCommand([older]));
        var newer = TestServer.Eval(job, EvalStatus.Blocked);
        await ts.ApplyAsync(new EvalUpsertCommand([newer]));

        var canceled = await Eventually.Until(() => ts.State.Current.EvalById(older.ID) is { Status: EvalStatus.Canceled } e ? e : null, Deadline, "the older blocked evaluation to be canceled");
        Assert.That(canceled.StatusDescription, Does.Contain("existing blocked evaluation exists for job"));
        Assert.That(ts.Server.Scheduling.Blocked.Tracked().Select(e => e.ID), Is.EqualTo(new[] { newer.ID }));
        Assert.That(ts.State.Current.EvalById(newer.ID)!.Status, Is.EqualTo(EvalStatus.Blocked));
    }

    [Test]
    public async Task An_allocation_that_finishes_unblocks_blocked_evaluations()
    {
        await using var ts = await TestServer.StartAsync(o => o with { NumSchedulers = 0 }); // no workers: the unblocked eval stays queued
        var node = TestServer.Node(cpu: 100);
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var job = TestServer.Job("web");
        await ts.ApplyAsync(new JobRegisterCommand(job, null, UnixNanos.Now()));
        var alloc = TestServer.Alloc(job, node.ID, "e0", cpu: 100);
        await ts.ApplyAsync(new PlanApplyCommand("e0", job, [alloc], [], UnixNanos.Now()));
        var other = TestServer.Job("other");
        await ts.ApplyAsync(new JobRegisterCommand(other, null, UnixNanos.Now()));
        var blocked = TestServer.Eval(other, EvalStatus.Blocked);
        await ts.ApplyAsync(new EvalUpsertCommand([blocked]));
        await ts.ApplyAsync(new AllocClientUpdateCommand([new AllocClientUpdate(alloc.ID, AllocClientStatus.Running, "", null)], null, UnixNanos.Now()));
        Assert.That(ts.State.Current.EvalById(blocked.ID)!.Status, Is.EqualTo(EvalStatus.Blocked), "a running update frees nothing");

        await ts.ApplyAsync(new AllocClientUpdateCommand([new AllocClientUpdate(alloc.ID, AllocClientStatus.Complete, "", null)], null, UnixNanos.Now()));

        await Eventually.Until(() => ts.State.Current.EvalById(blocked.ID)!.Status == EvalStatus.Pending, Deadline, "the blocked evaluation to become pending");
        await Eventually.Until(() => ts.Server.Broker.Stats().TotalReady == 1, Deadline, "the broker to queue it");
    }

    [Test]
    public async Task A_scheduler_that_keeps_failing_gets_its_evaluation_marked_failed_after_the_delivery_limit()
    {
        var attempts = 0;
        await using var ts = await TestServer.StartAsync(TestServer.With(
            FakeScheduler.Factory((_, _, _, _) => { Interlocked.Increment(ref attempts); throw new InvalidOperationException("boom"); }),
            new EvalBrokerOptions { DeliveryLimit = 3, InitialNackDelay = TimeSpan.FromMilliseconds(10), SubsequentNackDelay = TimeSpan.FromMilliseconds(10) }));
        var job = TestServer.Job("web");
        var eval = TestServer.Eval(job);
        await ts.ApplyAsync(new JobRegisterCommand(job, eval, UnixNanos.Now()));

        var failed = await Eventually.Until(() => ts.State.Current.EvalById(eval.ID) is { Status: EvalStatus.Failed } e ? e : null, Deadline, "the evaluation to be marked failed");
        Assert.That(attempts, Is.EqualTo(3));
        Assert.That(failed.StatusDescription, Is.EqualTo("evaluation reached delivery limit (3)"));
        var followUp = ts.State.Current.EvalById(failed.NextEval)!;
        Assert.That(followUp.Status, Is.EqualTo(EvalStatus.Pending));
        Assert.That(followUp.PreviousEval, Is.EqualTo(eval.ID));
        Assert.That(followUp.TriggeredBy, Is.EqualTo(EvalReaper.FailedFollowUp));
        Assert.That(UnixNanos.ToDateTime(followUp.WaitUntil), Is.GreaterThan(DateTime.UtcNow.AddSeconds(30)));
        await Eventually.Until(() => ts.Server.Broker.Stats().TotalWaiting == 1, Deadline, "the follow-up to wait in the broker");
        Assert.That(ts.LogLines, Does.Match(@"\[ERROR\] worker: error invoking scheduler: worker_id=\d+ eval_id=" + eval.ID + @" .*error=""boom"""));
    }

    [Test]
    public async Task A_worker_waits_for_its_evaluation_in_state_and_plans_on_a_snapshot_that_has_it()
    {
        var seen = new List<ulong>();
        await using var ts = await TestServer.StartAsync(TestServer.With(FakeScheduler.Factory(async (e, s, p, ct) =>
        {
            lock (seen) seen.Add(s.EvalById(e.ID)?.ModifyIndex ?? 0);
            await p.UpdateEvalAsync(e with { Status = EvalStatus.Complete }, [], ct);
        })));
        var jobs = Enumerable.Range(0, 10).Select(i => TestServer.Job($"j{i}", priority: 10 + i)).ToList();
        var evals = jobs.Select(j => TestServer.Eval(j)).ToList();
        await Task.WhenAll(jobs.Select((j, i) => ts.ApplyAsync(new JobRegisterCommand(j, evals[i], UnixNanos.Now()))));

        await Eventually.Until(() => evals.All(e => ts.State.Current.EvalById(e.ID)?.Status == EvalStatus.Complete), Deadline, "every evaluation to complete");
        lock (seen) Assert.That(seen, Has.Count.EqualTo(10).And.All.GreaterThan(0UL));
    }
}

public sealed class SchedulingRestoreTests
{
    private static readonly TimeSpan Deadline = TestServer.Deadline;

    [Test]
    public async Task On_gaining_leadership_pending_and_blocked_evaluations_are_loaded_from_state()
    {
        await using var ts = await TestServer.StartAsync();
        var jobA = TestServer.Job("a");
        var jobB = TestServer.Job("b");
        var pending = TestServer.Eval(jobA);
        await ts.ApplyAsync(new JobRegisterCommand(jobA, pending, UnixNanos.Now()));
        var blocked = TestServer.Eval(jobB, EvalStatus.Blocked);
        await ts.ApplyAsync(new JobRegisterCommand(jobB, blocked, UnixNanos.Now()));
        var complete = TestServer.Eval(jobB, EvalStatus.Complete);
        await ts.ApplyAsync(new EvalUpsertCommand([complete]));

        // As on a leadership change: everything is dropped, then rebuilt from the state.
        var pipeline = ts.Server.Scheduling;
        pipeline.Stop();
        Assert.That(pipeline.Broker.Stats().TotalReady, Is.EqualTo(0));
        Assert.That(pipeline.Blocked.Count, Is.EqualTo(0));
        using var leader = new CancellationTokenSource();
        pipeline.Start(leader.Token);
        try
        {
            var got = await pipeline.Broker.DequeueAsync(Worker.SchedulerTypes, TimeSpan.FromSeconds(5), CancellationToken.None);
            Assert.That(got?.Eval.ID, Is.EqualTo(pending.ID));
            Assert.That(await pipeline.Broker.DequeueAsync(Worker.SchedulerTypes, TimeSpan.FromMilliseconds(100), CancellationToken.None), Is.Null);
            Assert.That(pipeline.Blocked.Tracked().Select(e => e.ID), Is.EqualTo(new[] { blocked.ID }));
        }
        finally { leader.Cancel(); }
    }

    [Test]
    public async Task Capacity_freed_while_the_scheduler_planned_unblocks_its_blocked_evaluation_at_once()
    {
        await using var ts = await TestServer.StartAsync();
        var job = TestServer.Job("a");
        await ts.ApplyAsync(new JobRegisterCommand(job, null, UnixNanos.Now()));
        var plannedAt = ts.State.Current.Index;
        // A node arrives after the scheduler took its snapshot but before its blocked evaluation is written.
        await ts.ApplyAsync(new NodeRegisterCommand(TestServer.Node(), null));
        var blocked = TestServer.Eval(job, EvalStatus.Blocked);
        ts.Server.Scheduling.Blocked.NotePlannedAt(blocked.ID, plannedAt);
        await ts.ApplyAsync(new EvalUpsertCommand([blocked]));

        await Eventually.Until(() => ts.State.Current.EvalById(blocked.ID)!.Status == EvalStatus.Pending, Deadline, "the blocked evaluation to be unblocked");
        Assert.That(ts.Server.Scheduling.Blocked.Count, Is.EqualTo(0));
    }

    [Test]
    public async Task Stopping_a_job_cancels_its_blocked_evaluation()
    {
        await using var ts = await TestServer.StartAsync();
        var job = TestServer.Job("a");
        var blocked = TestServer.Eval(job, EvalStatus.Blocked);
        await ts.ApplyAsync(new JobRegisterCommand(job, blocked, UnixNanos.Now()));
        await Eventually.Until(() => ts.Server.Scheduling.Blocked.Count == 1, Deadline, "tracking");
        await ts.ApplyAsync(new JobDeregisterCommand(job.ID, false, null, UnixNanos.Now()));
        await Eventually.Until(() => ts.State.Current.EvalById(blocked.ID)!.Status == EvalStatus.Canceled, Deadline, "the blocked evaluation to be canceled");
    }
}

/// <summary>The pipeline with Nomad's own schedulers (what the agent runs when no test brings a fake).</summary>
public sealed class RealSchedulerPipelineTests
{
    [Test]
    public async Task A_service_job_is_placed_by_the_real_scheduler_and_its_evaluation_completes()
    {
        await using var ts = await TestServer.StartAsync(o => o with { NumSchedulers = 2 });
        var node = TestServer.Node(cpu: 4000, mem: 4096) with
        {
            Drivers = new() { ["raw_exec"] = new DriverInfo { Detected = true, Healthy = true } },
            Attributes = new() { ["driver.raw_exec"] = "1", ["kernel.name"] = "linux" },
        };
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var job = Nomad.Agent.Jobspec.JobDefaults.Canonicalize(TestServer.Job("web", count: 2));
        var eval = TestServer.Eval(job);
        await ts.ApplyAsync(new JobRegisterCommand(job, eval, UnixNanos.Now()));

        var done = await Eventually.Until(() => ts.State.Current.EvalById(eval.ID) is { Status: not EvalStatus.Pending } e ? e : null,
            TestServer.Deadline, "the evaluation to be processed");
        Assert.That(done.Status, Is.EqualTo(EvalStatus.Complete), done.StatusDescription);
        var allocs = ts.State.Current.AllocsForJob(job.ID).ToList();
        Assert.That(allocs, Has.Count.EqualTo(2));
        Assert.That(allocs.All(a => a.NodeID == node.ID && a.DesiredStatus == AllocDesiredStatus.Run), Is.True);
    }
}
