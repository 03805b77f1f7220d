using System.Collections.Immutable;
using Nomad.Agent.Server.Periodic;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Server.Periodic;

/// <summary>The dispatcher's timetable with a clock the test moves: due times, one launch per due time, jobs coming and going.</summary>
public sealed class LaunchScheduleTests
{
    private const long S = 1_000_000_000;
    private static readonly DateTimeOffset T0 = new(2026, 12, 7, 10, 0, 0, TimeSpan.Zero);

    private static Job Every5s(string id = "p", ulong jobModifyIndex = 1) => new()
    {
        ID = id, Name = id, Type = JobType.Batch, JobModifyIndex = jobModifyIndex,
        Periodic = new PeriodicConfig { Spec = "*/5 * * * * * *" },
    };

    private static StateSnapshot With(params Job[] jobs) =>
        StateSnapshot.Empty with { Jobs = jobs.ToImmutableSortedDictionary(j => j.ID, j => j) };

    [Test]
    public void A_job_is_due_at_its_next_time_after_it_is_seen_and_each_due_time_launches_once()
    {
        var schedule = new LaunchSchedule();
        schedule.Sync(With(Every5s()), T0.AddSeconds(1));
        Assert.That(schedule.NextDue, Is.EqualTo(T0.AddSeconds(5)));
        Assert.That(schedule.TakeDue(T0.AddSeconds(4.9)), Is.Empty);

        var due = schedule.TakeDue(T0.AddSeconds(5.2));
        Assert.That(due.Select(d => (d.Job.ID, d.Launch)), Is.EqualTo(new[] { ("p", T0.AddSeconds(5)) }));
        Assert.That(schedule.TakeDue(T0.AddSeconds(5.3)), Is.Empty, "never twice for one due time");
        Assert.That(schedule.NextDue, Is.EqualTo(T0.AddSeconds(10)));
    }

    [Test]
    public void A_loop_that_stalled_over_several_due_times_launches_once_and_resumes_from_now()
    {
        var schedule = new LaunchSchedule();
        schedule.Sync(With(Every5s()), T0);
        var due = schedule.TakeDue(T0.AddSeconds(23));
        Assert.That(due.Select(d => d.Launch), Is.EqualTo(new[] { T0.AddSeconds(5) }));
        Assert.That(schedule.NextDue, Is.EqualTo(T0.AddSeconds(25)));
    }

    [Test]
    public void Stopped_disabled_and_deregistered_jobs_leave_and_a_new_version_is_due_from_now()
    {
        var schedule = new LaunchSchedule();
        schedule.Sync(With(Every5s("a"), Every5s("b"), Every5s("c"), Every5s("d")), T0);
        Assert.That(schedule.NextFor("a"), Is.EqualTo(T0.AddSeconds(5)));

        var updated = Every5s("d", jobModifyIndex: 2) with { Periodic = new PeriodicConfig { Spec = "0 * * * * * *" } };
        schedule.Sync(With(Every5s("a") with { Stop = true }, Every5s("b") with { Periodic = new PeriodicConfig { Spec = "* * * * *", Enabled = false } }, updated),
            T0.AddSeconds(2));
        Assert.That((schedule.NextFor("a"), schedule.NextFor("b"), schedule.NextFor("c")), Is.EqualTo(((DateTimeOffset?)null, (DateTimeOffset?)null, (DateTimeOffset?)null)));
        Assert.That(schedule.NextFor("d"), Is.EqualTo(T0.AddMinutes(1)));
    }

    [Test]
    public void An_unchanged_job_keeps_its_due_time_across_syncs()
    {
        var schedule = new LaunchSchedule();
        schedule.Sync(With(Every5s()), T0);
        schedule.Sync(With(Every5s()), T0.AddSeconds(3));
        Assert.That(schedule.NextDue, Is.EqualTo(T0.AddSeconds(5)));
    }
}
