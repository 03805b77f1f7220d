using System.Text;

namespace Nomad.Cli.Output;

/// <summary>
/// Nomad's prettyTimeDiff: the gap between two times, rounded to the second, as its two largest non-zero units
/// ("10s ago", "1h5m ago", "3d2h from now"); months are 30 days and years 12 months. Empty for the zero time.
/// </summary>
public static class RelativeTime
{
    /// <param name="unixNanos">the time, Unix nanoseconds; 0 shows as nothing.</param>
    public static string Ago(long unixNanos, DateTime now) =>
        unixNanos == 0 ? "" : Between(DateTime.UnixEpoch.AddTicks(unixNanos / 100), now);

    public static string Between(DateTime first, DateTime now)
    {
        if (first == default) return "";
        var a = RoundToSecond(first.ToUniversalTime());
        var b = RoundToSecond(now.ToUniversalTime());
        var suffix = b >= a ? " ago" : " from now";
        var seconds = (ulong)Math.Abs((b - a).Ticks / TimeSpan.TicksPerSecond);

        var parts = new List<string>();
        void Add(ulong value, string unit) { if (value > 0) parts.Add(value + unit); }
        Add(seconds % 60, "s");
        var minutes = seconds / 60;
        Add(minutes % 60, "m");
        var hours = minutes / 60;
        Add(hours % 24, "h");
        var days = hours / 24;
        Add(days % 30, "d");
        var months = days / 30;
        Add(months % 12, "mo");
        Add(months / 12, "y");

        if (parts.Count == 0) return "0s" + suffix;
        var text = new StringBuilder();
        for (var i = parts.Count - 1; i >= Math.Max(0, parts.Count - 2); i--) text.Append(parts[i]);
        return text + suffix;
    }

    /// <summary>Go's Time.Round(time.Second): halves round up.</summary>
    private static DateTime RoundToSecond(DateTime t)
    {
        var remainder = t.Ticks % TimeSpan.TicksPerSecond;
        var floor = t.AddTicks(-remainder);
        return remainder * 2 >= TimeSpan.TicksPerSecond ? floor.AddSeconds(1) : floor;
    }
}
