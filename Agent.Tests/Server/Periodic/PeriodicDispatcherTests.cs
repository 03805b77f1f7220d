using Nomad.Agent.Server;
using Nomad.Agent.Server.Periodic;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using Nomad.Agent.Tests.Consensus;

namespace Nomad.Agent.Tests.Server.Periodic;

/// <summary>
/// The leader's periodic dispatcher on a real single-server cluster (Raft included, no scheduling workers, so a
/// child's evaluation stays pending and the child counts as running).
/// </summary>
public sealed class PeriodicDispatcherTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(30);
    private TestServer _ts = null!;
    private JobEndpoint _jobs = null!;

    [SetUp]
    public async Task Start()
    {
        _ts = await TestServer.StartAsync();
        _jobs = new JobEndpoint(_ts.Consensus, _ts.State, "global", new Logging.Logger(new Logging.LogSink(TextWriter.Null, Logging.LogSeverity.Info), "t"));
    }

    [TearDown]
    public async Task Stop() => await _ts.DisposeAsync();

    private static Job Periodic(string id, string spec, bool prohibitOverlap = false) => TestServer.Job(id, JobType.Batch) with
    {
        Periodic = new PeriodicConfig { Spec = spec, ProhibitOverlap = prohibitOverlap },
    };

    private List<Job> Children(string parent) => _ts.State.Current.PeriodicChildren(parent).ToList();

    private static long LaunchSeconds(Job child) => PeriodicLaunch.LaunchTimeOf(child.ID)!.Value / 1_000_000_000;

    [Test]
    public async Task The_leader_launches_children_on_schedule_and_never_schedules_the_parent()
    {
        var reply = await _jobs.RegisterAsync(new JobRegisterRequest(Periodic("every-second", "* * * * * * *")));
        Assert.That((reply.EvalID, reply.EvalCreateIndex), Is.EqualTo(("", 0UL)), "no evaluation for the periodic job itself");

        await Eventually.Until(() => Children("every-second").Count >= 2, Deadline, "two launches");
        var snap = _ts.State.Current;
        Assert.That(snap.EvalsForJob("every-second"), Is.Empty);
        Assert.That(snap.JobById("every-second")!.Status, Is.EqualTo(JobStatus.Running));
        foreach (var child in Children("every-second"))
        {
            Assert.That((child.ParentID, child.Periodic, child.Name, child.Type), Is.EqualTo(("every-second", (PeriodicConfig?)null, child.ID, JobType.Batch)));
            Assert.That(snap.EvalsForJob(child.ID).Select(e => e.TriggeredBy), Is.EqualTo(new[] { EvalTrigger.PeriodicJob }));
        }
        var seconds = Children("every-second").Select(LaunchSeconds).Order().ToList();
        Assert.That(seconds, Is.Unique);
        Assert.That(snap.PeriodicLaunchById("every-second")!.Launch / 1_000_000_000, Is.GreaterThanOrEqualTo(seconds[^1] - 1), "the record follows the launches");
    }

    [Test]
    public async Task Stopping_a_periodic_job_stops_its_launches()
    {
        await _jobs.RegisterAsync(new JobRegisterRequest(Periodic("stopped", "* * * * * * *")));
        await Eventually.Until(() => Children("stopped").Count >= 1, Deadline, "a first launch");
        var stop = await _jobs.DeregisterAsync("stopped", purge: false);
        Assert.That(stop.EvalID, Is.Empty, "no evaluation: its children are left alone, as Nomad");
        var stoppedAt = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await Eventually.Until(() => _ts.LogLines.Contains("deregistered periodic job: job=stopped"), Deadline, "the dispatcher to drop the job");

        // Another job's launches show the dispatcher went through later due times.
        await _jobs.RegisterAsync(new JobRegisterRequest(Periodic("witness", "* * * * * * *")));
        await Eventually.Until(() => Children("witness").Count >= 2, Deadline, "two launches of another job");
        Assert.That(Children("stopped").Select(LaunchSeconds), Has.All.LessThanOrEqualTo(stoppedAt));
        Assert.That(Children("stopped").Select(j => j.Stop), Has.All.False, "launched children keep running");
    }

    [Test]
    public async Task A_new_leader_catches_up_one_missed_launch_and_no_more()
    {
        // Registered before New Year, yearly on January 1st: that launch fell due while "no leader" launched it.
        var lastYear = UnixNanos.From(new DateTime(DateTime.UtcNow.Year - 1, 6, 1, 0, 0, 0, DateTimeKind.Utc));
        await _ts.ApplyAsync(new JobRegisterCommand(Periodic("yearly", "0 0 0 1 1 * *"), null, lastYear));
        await _ts.ApplyAsync(new JobRegisterCommand(Periodic("fresh", "0 0 0 1 1 * *"), null, UnixNanos.Now()));

        var next = new PeriodicDispatcher(_ts.Consensus, _ts.State, new Logging.Logger(new Logging.LogSink(TextWriter.Null, Logging.LogSeverity.Info), "t"));
        var before = DateTimeOffset.UtcNow.ToUnixTimeSeconds();
        await next.CatchUpAsync(CancellationToken.None);
        var launched = Children("yearly");
        Assert.That(launched, Has.Count.EqualTo(1));
        Assert.That(LaunchSeconds(launched[0]), Is.InRange(before, DateTimeOffset.UtcNow.ToUnixTimeSeconds()), "launched now");
        Assert.That(Children("fresh"), Is.Empty, "nothing was due since its registration");

        await next.CatchUpAsync(CancellationToken.None);
        Assert.That(Children("yearly"), Has.Count.EqualTo(1), "the launch is recorded: a second leader change launches nothing");
    }

    [Test]
    public async Task Prohibit_overlap_skips_launches_while_a_child_runs()
    {
        await _jobs.RegisterAsync(new JobRegisterRequest(Periodic("overlap", "* * * * * * *", prohibitOverlap: true)));
        var first = await Eventually.Until(() => Children("overlap").FirstOrDefault(), Deadline, "a first launch");
        await Eventually.Until(() => _ts.LogLines.Contains("skipping launch of periodic job because job prohibits overlap: job=overlap"),
            Deadline, "a launch skipped");
        Assert.That(Children("overlap"), Has.Count.EqualTo(1), "its evaluation is pending: the child still runs");

        var eval = _ts.State.Current.EvalsForJob(first.ID).Single();
        await _ts.ApplyAsync(new EvalUpsertCommand([eval with { Status = EvalStatus.Complete }]));
        await Eventually.Until(() => Children("overlap").Count == 2, Deadline, "a launch once the child finished");
    }

    [Test]
    public async Task Force_launches_now_and_refuses_jobs_it_cannot_launch()
    {
        await _jobs.RegisterAsync(new JobRegisterRequest(Periodic("yearly", "0 0 0 1 1 * *")));
        await _jobs.RegisterAsync(new JobRegisterRequest(TestServer.Job("plain", JobType.Batch)));

        var reply = await _ts.Server.Periodic.ForceAsync("yearly", CancellationToken.None);
        var child = Children("yearly").Single();
        Assert.That(_ts.State.Current.EvalsForJob(child.ID).Single().ID, Is.EqualTo(reply.EvalID));
        Assert.That((reply.EvalCreateIndex, reply.Index), Is.EqualTo((child.CreateIndex, child.CreateIndex)));

        var e = await Assert.ThrowsAsync<BadRequestException>(() => _ts.Server.Periodic.ForceAsync("plain", CancellationToken.None));
        Assert.That(e!.Message, Is.EqualTo("can't force launch non-periodic job"));
        await Assert.ThrowsAsync<NotFoundException>(() => _ts.Server.Periodic.ForceAsync("nope", CancellationToken.None));
    }
}
