using Nomad.Agent.Structs;
using Nomad.Cli.Output;

namespace Nomad.Cli.Tests;

/// <summary>job status and job run for a periodic job, as Nomad prints them.</summary>
public class PeriodicJobFormattingTests
{
    private static readonly DateTime Now = new(2026, 12, 7, 21, 55, 57, 400, DateTimeKind.Utc);

    private static Job Nightly(string zone = "UTC", bool stop = false) => new()
    {
        ID = "nightly", Name = "nightly", Type = "batch", Priority = 50, Datacenters = ["dc1"], Status = stop ? "dead" : "running", Stop = stop,
        SubmitTime = UnixNanos.From(Now.AddHours(-1)),
        Periodic = new PeriodicConfig { Spec = "0 0 * * *", TimeZone = zone },
    };

    [Test]
    public void The_next_launch_is_in_the_jobs_zone_with_the_whole_seconds_until_it() =>
        Assert.That((PeriodicLaunchText.Next(Nightly().Periodic, Now), PeriodicLaunchText.Next(Nightly("America/New_York").Periodic, Now)),
            Is.EqualTo(("2026-12-08T00:00:00Z (2h4m3s from now)", "2026-12-08T00:00:00-05:00 (7h4m3s from now)")));

    [Test]
    public void Status_shows_the_next_launch_and_the_launched_jobs()
    {
        var job = Nightly();
        var view = new JobStatusFormatter.JobView(job, true, false, null, [], []);
        Assert.That(JobStatusFormatter.Basic(view, TimeZoneInfo.Utc, JobStatusFormatter.NextPeriodicLaunch(job, Now)), Is.EqualTo(
            """
            ID                   = nightly
            Name                 = nightly
            Submit Date          = 2026-12-07T20:55:57Z
            Type                 = batch
            Priority             = 50
            Datacenters          = dc1
            Namespace            = default
            Status               = running
            Periodic             = true
            Parameterized        = false
            Next Periodic Launch = 2026-12-08T00:00:00Z (2h4m3s from now)
            """.Replace("\r\n", "\n")));

        var children = new List<JobListStub>
        {
            new() { ID = "nightly/periodic-1765065600", ParentID = "nightly", Status = "dead" },
            new() { ID = "nightly/periodic-1765152000", ParentID = "nightly", Status = "running" },
            new() { ID = "nightly/periodic-by-hand", ParentID = "", Status = "pending" },
        };
        Assert.That(JobStatusFormatter.PeriodicChildren("nightly", children), Is.EqualTo(
            "\nPreviously Launched Jobs\n" +
            "ID                           Status\n" +
            "nightly/periodic-1765065600  dead\n" +
            "nightly/periodic-1765152000  running\n"));
        Assert.That(JobStatusFormatter.PeriodicChildren("nightly", []), Is.EqualTo("\nNo instances of periodic job found\n"));
    }

    [Test]
    public void A_stopped_periodic_job_has_no_next_launch() =>
        Assert.That(JobStatusFormatter.NextPeriodicLaunch(Nightly(stop: true), Now), Is.EqualTo("none (job stopped)"));
}
