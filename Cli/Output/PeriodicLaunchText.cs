using Nomad.Agent.Structs;

namespace Nomad.Cli.Output;

/// <summary>A periodic job's next launch as Nomad's CLI prints it: <c>&lt;time in the job's zone&gt; (&lt;duration&gt; from now)</c>.</summary>
public static class PeriodicLaunchText
{
    /// <summary>The text, or null when the job has no schedule or no next launch (Nomad then prints no line).</summary>
    public static string? Next(PeriodicConfig? periodic, DateTime nowUtc)
    {
        if (PeriodicSchedule.Of(periodic) is not { } schedule) return null;
        var now = new DateTimeOffset(DateTime.SpecifyKind(nowUtc, DateTimeKind.Utc));
        if (schedule.Next(now) is not { } next) return null;
        // Nomad's formatTimeDifference(now, next, time.Second): both truncated to the second.
        var diff = TimeSpan.FromSeconds(next.ToUnixTimeSeconds() - now.ToUnixTimeSeconds());
        return $"{Timestamps.Format(next.UtcDateTime, schedule.Zone)} ({GoDuration.Format(diff)} from now)";
    }
}
