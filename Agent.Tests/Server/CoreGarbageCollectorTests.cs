using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Server;

public sealed class CoreGarbageCollectorTests
{
    private static readonly TimeSpan EvalThreshold = TimeSpan.FromHours(1);
    private static readonly TimeSpan JobThreshold = TimeSpan.FromHours(4);

    private sealed record World(Job Dead, Job Live, Job Recent, string[] DeadEvals, string DeadAlloc,
        string LiveEval, string LiveRunning, string LiveFinished, string LiveOldEval, string RecentEval, string RecentAlloc);

    /// <summary>
    /// A stopped job that died 5 h ago; a live job with a running and an old finished allocation and an
    /// eval finished 2 h ago; a batch job that finished just now.
    /// </summary>
    private static async Task<World> BuildAsync(TestServer ts)
    {
        var now = DateTime.UtcNow;
        var old = UnixNanos.From(now.AddHours(-5));
        var twoHours = UnixNanos.From(now.AddHours(-2));
        var recent = UnixNanos.From(now.AddMinutes(-1));
        var node = TestServer.Node(cpu: 10_000);
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));

        var dead = TestServer.Job("dead");
        var e1 = TestServer.Eval(dead, EvalStatus.Complete, old);
        await ts.ApplyAsync(new JobRegisterCommand(dead, e1, old));
        var a1 = TestServer.Alloc(dead, node.ID, e1.ID);
        await ts.ApplyAsync(new PlanApplyCommand(e1.ID, dead, [a1], [], old));
        var e2 = TestServer.Eval(dead, EvalStatus.Complete, old) with { TriggeredBy = EvalTrigger.JobDeregister };
        await ts.ApplyAsync(new JobDeregisterCommand(dead.ID, false, e2, old));
        await ts.ApplyAsync(new PlanApplyCommand(e2.ID, null, [], [new AllocStop(a1.ID, "alloc not needed due to job update")], old));

        var live = TestServer.Job("live", count: 2);
        var e3 = TestServer.Eval(live, EvalStatus.Complete, old);
        await ts.ApplyAsync(new JobRegisterCommand(live, e3, old));
        var running = TestServer.Alloc(live, node.ID, e3.ID, index: 0);
        var finished = TestServer.Alloc(live, node.ID, e3.ID, index: 1);
        await ts.ApplyAsync(new PlanApplyCommand(e3.ID, live, [running, finished], [], old));
        await ts.ApplyAsync(new AllocClientUpdateCommand([
            new AllocClientUpdate(running.ID, AllocClientStatus.Running, "", null),
            new AllocClientUpdate(finished.ID, AllocClientStatus.Complete, "", null)], null, old));
        var e5 = TestServer.Eval(live, EvalStatus.Complete, twoHours);
        await ts.ApplyAsync(new EvalUpsertCommand([e5]));

        var batch = TestServer.Job("recent", type: JobType.Batch);
        var e4 = TestServer.Eval(batch, EvalStatus.Complete, recent);
        await ts.ApplyAsync(new JobRegisterCommand(batch, e4, recent));
        var a4 = TestServer.Alloc(batch, node.ID, e4.ID);
        await ts.ApplyAsync(new PlanApplyCommand(e4.ID, batch, [a4], [], recent));
        await ts.ApplyAsync(new AllocClientUpdateCommand([new AllocClientUpdate(a4.ID, AllocClientStatus.Complete, "", null)], null, recent));

        var s = ts.State.Current;
        Assert.That(s.JobById("dead")!.Status, Is.EqualTo(JobStatus.Dead));
        Assert.That(s.JobById("live")!.Status, Is.EqualTo(JobStatus.Running));
        Assert.That(s.JobById("recent")!.Status, Is.EqualTo(JobStatus.Dead));
        return new World(dead, live, batch, [e1.ID, e2.ID], a1.ID, e3.ID, running.ID, finished.ID, e5.ID, e4.ID, a4.ID);
    }

    [Test]
    public async Task A_pass_removes_what_is_old_and_terminal_and_keeps_live_and_recent_things()
    {
        await using var ts = await TestServer.StartAsync();
        var w = await BuildAsync(ts);

        var gc = await ts.Server.CoreGc.CollectAsync(DateTime.UtcNow, EvalThreshold, JobThreshold, CancellationToken.None);

        Assert.That(gc, Is.Not.Null);
        var s = ts.State.Current;
        Assert.That(s.JobById("dead"), Is.Null, "a stopped job dead for longer than job_gc_threshold goes");
        foreach (var id in w.DeadEvals) Assert.That(s.EvalById(id), Is.Null);
        Assert.That(s.AllocById(w.DeadAlloc), Is.Null);

        Assert.That(s.JobById("live"), Is.Not.Null);
        Assert.That(s.EvalById(w.LiveEval), Is.Not.Null, "its allocation still runs");
        Assert.That(s.AllocById(w.LiveRunning), Is.Not.Null);
        Assert.That(s.AllocById(w.LiveFinished), Is.Null, "an old finished allocation of a live job goes");
        Assert.That(s.EvalById(w.LiveOldEval), Is.Null, "an evaluation finished 2 h ago is past eval_gc_threshold");

        Assert.That(s.JobById("recent"), Is.Not.Null);
        Assert.That(s.EvalById(w.RecentEval), Is.Not.Null);
        Assert.That(s.AllocById(w.RecentAlloc), Is.Not.Null);
        Assert.That(s.EvalsForJob("dead"), Is.Empty);
        Assert.That(s.AllocsForJob("dead"), Is.Empty);

        Assert.That(await ts.Server.CoreGc.CollectAsync(DateTime.UtcNow, EvalThreshold, JobThreshold, CancellationToken.None), Is.Null,
            "a second pass finds nothing and writes nothing");
    }

    [Test]
    public async Task A_forced_pass_ignores_age_but_keeps_what_still_runs()
    {
        await using var ts = await TestServer.StartAsync();
        var w = await BuildAsync(ts);

        await ts.Server.CoreGc.ForceAsync(CancellationToken.None);

        var s = ts.State.Current;
        Assert.That(s.JobById("dead"), Is.Null);
        Assert.That(s.JobById("recent"), Is.Null, "a finished batch job goes at once when forced");
        Assert.That(s.EvalById(w.RecentEval), Is.Null);
        Assert.That(s.AllocById(w.RecentAlloc), Is.Null);
        Assert.That(s.JobById("live"), Is.Not.Null);
        Assert.That(s.AllocById(w.LiveRunning), Is.Not.Null);
        Assert.That(s.EvalById(w.LiveEval), Is.Not.Null);
    }

    [Test]
    public async Task Failed_allocations_waiting_to_be_rescheduled_are_kept()
    {
        await using var ts = await TestServer.StartAsync();
        var old = UnixNanos.From(DateTime.UtcNow.AddHours(-5));
        var node = TestServer.Node(cpu: 10_000);
        await ts.ApplyAsync(new NodeRegisterCommand(node, null));
        var job = TestServer.Job("svc", count: 2) is var j
            ? j with { TaskGroups = [j.TaskGroups[0] with { ReschedulePolicy = ReschedulePolicy.ServiceDefault }] }
            : null!;
        var e = TestServer.Eval(job, EvalStatus.Complete, old);
        await ts.ApplyAsync(new JobRegisterCommand(job, e, old));
        var failed = TestServer.Alloc(job, node.ID, e.ID, index: 0);
        var running = TestServer.Alloc(job, node.ID, e.ID, index: 1);
        await ts.ApplyAsync(new PlanApplyCommand(e.ID, job, [failed, running], [], old));
        await ts.ApplyAsync(new AllocClientUpdateCommand([
            new AllocClientUpdate(failed.ID, AllocClientStatus.Failed, "", null),
            new AllocClientUpdate(running.ID, AllocClientStatus.Running, "", null)], null, old));

        await ts.Server.CoreGc.ForceAsync(CancellationToken.None);

        Assert.That(ts.State.Current.AllocById(failed.ID), Is.Not.Null, "unlimited rescheduling and not yet replaced");
    }
}
