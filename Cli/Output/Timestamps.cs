namespace Nomad.Cli.Output;

/// <summary>Times as Nomad's CLI prints them: ISO 8601 to the second in the given zone ("2026-11-23T08:31:20Z").</summary>
public static class Timestamps
{
    /// <summary>Nomad's formatTime: empty for the zero time or anything at or before the Unix epoch.</summary>
    public static string Format(DateTime time, TimeZoneInfo zone)
    {
        var utc = time.Kind switch
        {
            DateTimeKind.Utc => time,
            DateTimeKind.Local => time.ToUniversalTime(),
            _ => DateTime.SpecifyKind(time, DateTimeKind.Utc),
        };
        if (utc < DateTime.UnixEpoch.AddSeconds(1)) return "";

        var local = new DateTimeOffset(utc).ToOffset(zone.GetUtcOffset(utc));
        var offset = local.Offset;
        var zoneText = offset == TimeSpan.Zero
            ? "Z"
            : $"{(offset < TimeSpan.Zero ? '-' : '+')}{Math.Abs(offset.Hours):00}:{Math.Abs(offset.Minutes):00}";
        return local.ToString("yyyy'-'MM'-'dd'T'HH':'mm':'ss", System.Globalization.CultureInfo.InvariantCulture) + zoneText;
    }

    /// <summary>Nomad's formatUnixNanoTime.</summary>
    public static string FromUnixNanos(long unixNanos, TimeZoneInfo zone) =>
        Format(DateTime.UnixEpoch.AddTicks(unixNanos / 100), zone);
}
