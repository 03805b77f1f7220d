using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Structs;

/// <summary>Next-launch computation: cronexpr's field layouts over Cronos, several specs, time zones and DST.</summary>
public sealed class PeriodicScheduleTests
{
    private static DateTimeOffset Utc(string iso) => DateTimeOffset.Parse(iso + "Z").ToUniversalTime();

    private static DateTimeOffset? Next(string spec, string from, string zone = "UTC") =>
        PeriodicSchedule.Of(new PeriodicConfig { Spec = spec, TimeZone = zone })!.Next(Utc(from));

    [TestCase("*/5 * * * *", "2026-12-07T10:00:00", "2026-12-07T10:05:00", TestName = "Five fields are minute to day-of-week")]
    [TestCase("*/5 * * * * *", "2026-12-07T10:00:00", "2026-12-07T10:05:00", TestName = "Six fields add a year, not seconds")]
    [TestCase("*/5 * * * * * *", "2026-12-07T10:00:00", "2026-12-07T10:00:05", TestName = "Seven fields put seconds first")]
    [TestCase("*/5 * * * * * *", "2026-12-07T10:00:04.5", "2026-12-07T10:00:05", TestName = "The next launch is the next whole matching second")]
    [TestCase("*/5 * * * * * * ignored", "2026-12-07T10:00:00", "2026-12-07T10:00:05", TestName = "Fields beyond the seventh are ignored")]
    [TestCase("@hourly", "2026-12-07T10:00:00", "2026-12-07T11:00:00", TestName = "Aliases")]
    [TestCase("0 9 * * MON-FRI", "2026-12-05T12:00:00", "2026-12-07T09:00:00", TestName = "Names of days")]
    public void Layouts(string spec, string from, string expected) => Assert.That(Next(spec, from), Is.EqualTo(Utc(expected)));

    [Test]
    public void Several_specs_launch_at_the_earliest_of_them()
    {
        var s = PeriodicSchedule.Of(new PeriodicConfig { Specs = ["0 2 * * *", "30 1 * * *"] })!;
        Assert.That(s.Next(Utc("2026-12-07T00:00:00")), Is.EqualTo(Utc("2026-12-07T01:30:00")));
        Assert.That(s.Next(Utc("2026-12-07T01:30:00")), Is.EqualTo(Utc("2026-12-07T02:00:00")));
    }

    [Test]
    public void A_time_zone_moves_the_launch_with_it() =>
        Assert.That(Next("0 2 * * *", "2026-12-07T00:00:00", "Europe/Paris"), Is.EqualTo(Utc("2026-12-07T01:00:00")), "02:00 CET is 01:00 UTC");

    // America/New_York springs forward on 2026-03-08 at 02:00 (to 03:00 EDT, UTC-4): 02:30 does not exist that day.
    [Test]
    public void A_launch_in_the_spring_forward_gap_runs_once_just_after_it()
    {
        var s = PeriodicSchedule.Of(new PeriodicConfig { Spec = "30 2 * * *", TimeZone = "America/New_York" })!;
        var first = s.Next(Utc("2026-03-07T12:00:00"));
        Assert.That(first, Is.EqualTo(Utc("2026-03-08T07:00:00")), "03:00 EDT, the first instant after the gap");
        Assert.That(s.Next(first!.Value), Is.EqualTo(Utc("2026-03-09T06:30:00")), "02:30 EDT the next day");
    }

    // America/New_York falls back on 2026-11-01 at 02:00 EDT (to 01:00 EST, UTC-5): 01:30 happens twice.
    [Test]
    public void A_launch_in_the_repeated_fall_back_hour_runs_once()
    {
        var s = PeriodicSchedule.Of(new PeriodicConfig { Spec = "30 1 * * *", TimeZone = "America/New_York" })!;
        var first = s.Next(Utc("2026-10-31T12:00:00"));
        Assert.That(first, Is.EqualTo(Utc("2026-11-01T05:30:00")), "01:30 EDT");
        Assert.That(s.Next(first!.Value), Is.EqualTo(Utc("2026-11-02T06:30:00")), "not 01:30 EST an hour later, but the next day");
    }

    [Test]
    public void A_launch_outside_the_transition_keeps_its_wall_clock_time()
    {
        var s = PeriodicSchedule.Of(new PeriodicConfig { Spec = "0 12 * * *", TimeZone = "America/New_York" })!;
        Assert.That(s.Next(Utc("2026-03-07T18:00:00")), Is.EqualTo(Utc("2026-03-08T16:00:00")), "noon EDT after spring-forward");
        Assert.That(s.Next(Utc("2026-10-31T17:00:00")), Is.EqualTo(Utc("2026-11-01T17:00:00")), "noon EST after fall-back");
    }

    [TestCase("* * * *", "periodic.cron: Invalid cron spec \"* * * *\": missing field(s)")]
    [TestCase("0 0 1 1 * 2030", "periodic.cron: Invalid cron spec \"0 0 1 1 * 2030\": a year field other than \"*\" is not supported (got \"2030\")")]
    public void Problems_name_the_field(string spec, string problem) =>
        Assert.That(PeriodicSchedule.Problems(new PeriodicConfig { Spec = spec }), Is.EqualTo(new[] { problem }));

    [Test]
    public void A_spec_Cronos_refuses_is_one_line_naming_the_field()
    {
        var problems = PeriodicSchedule.Problems(new PeriodicConfig { Specs = ["61 * * * *"] });
        Assert.That(problems, Has.Count.EqualTo(1));
        Assert.That(problems[0], Does.StartWith("periodic.crons: Invalid cron spec \"61 * * * *\": ").And.Not.Contain("\n"));
    }

    [Test]
    public void Unknown_time_zones_and_invalid_configs_have_no_schedule()
    {
        var bad = new PeriodicConfig { Spec = "* * * * *", TimeZone = "Mars/Olympus_Mons" };
        Assert.That(PeriodicSchedule.Problems(bad), Is.EqualTo(new[] { "periodic.time_zone: Invalid time zone \"Mars/Olympus_Mons\": unknown time zone Mars/Olympus_Mons" }));
        Assert.That(PeriodicSchedule.Of(bad), Is.Null);
        Assert.That(PeriodicSchedule.Of(null), Is.Null);
    }
}
