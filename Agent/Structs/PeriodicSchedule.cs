using Cronos;

namespace Nomad.Agent.Structs;

/// <summary>
/// When a periodic job is due (Nomad's PeriodicConfig.Next and Validate): its cron spec(s), read with the field
/// layout of Nomad's cronexpr library and evaluated by Cronos, in its time zone.
/// </summary>
/// <remarks>
/// cronexpr's layouts: 5 fields are <c>minute hour day-of-month month day-of-week</c>; 6 fields add a year after
/// them (so <c>*/5 * * * * *</c> is every five minutes, not seconds); 7 fields put seconds first and the year last.
/// Fields beyond the seventh are ignored, and @yearly/@annually/@monthly/@weekly/@daily/@hourly are aliases.
/// Differences (Cronos has no year field and its own DST rule): a year field must be <c>*</c>; a time skipped by a
/// spring-forward transition (02:30 on such a day) fires once right after the gap, where cronexpr skips it that
/// day; a time repeated by a fall-back fires once (at its first occurrence), as in cronexpr.
/// </remarks>
public sealed class PeriodicSchedule
{
    private readonly IReadOnlyList<CronExpression> _crons;

    private PeriodicSchedule(IReadOnlyList<CronExpression> crons, TimeZoneInfo zone)
    {
        _crons = crons;
        Zone = zone;
    }

    public TimeZoneInfo Zone { get; }

    /// <summary>The job's schedule; null when the job is not periodic or its specs or zone are invalid (see <see cref="Problems"/>).</summary>
    public static PeriodicSchedule? Of(PeriodicConfig? p)
    {
        // Not Problems: a disabled config is never checked, yet job status still shows when it would launch.
        if (p is null || p.SpecType != "cron" || FindZone(p.TimeZone, out _) is not { } zone) return null;
        var crons = Specs(p).Select(s => ParseCron(s, out _)).ToList();
        if (crons.Count == 0 || crons.Any(c => c is null)) return null;
        return new PeriodicSchedule(crons!, zone);
    }

    /// <summary>The first launch strictly after <paramref name="after"/>, in UTC; null when there is none.</summary>
    public DateTimeOffset? Next(DateTimeOffset after)
    {
        DateTimeOffset? best = null;
        foreach (var c in _crons)
        {
            var t = c.GetNextOccurrence(after.ToUniversalTime(), Zone);
            if (t is { } v && (best is null || v < best)) best = v;
        }
        return best?.ToUniversalTime();
    }

    /// <summary>Nomad's PeriodicConfig.Validate (only for an enabled config): each problem one line naming its field.</summary>
    public static IReadOnlyList<string> Problems(PeriodicConfig p)
    {
        var problems = new List<string>();
        if (!p.Enabled) return problems;
        var hasSpecs = p.Specs is { Count: > 0 };
        if (p.Spec.Length > 0 && hasSpecs) problems.Add("periodic: Only cron or crons may be used");
        if (p.Spec.Length == 0 && !hasSpecs) problems.Add("periodic: Must specify a spec");
        if (p.TimeZone.Length > 0 && FindZone(p.TimeZone, out var zoneError) is null)
            problems.Add($"periodic.time_zone: Invalid time zone \"{p.TimeZone}\": {zoneError}");
        if (p.SpecType != "cron")
        {
            problems.Add($"periodic: Unknown periodic specification type \"{p.SpecType}\"");
            return problems;
        }
        var field = p.Spec.Length > 0 ? "periodic.cron" : "periodic.crons";
        foreach (var spec in Specs(p))
            if (ParseCron(spec, out var error) is null) problems.Add($"{field}: Invalid cron spec \"{spec}\": {error}");
        return problems;
    }

    private static IEnumerable<string> Specs(PeriodicConfig p) => p.Spec.Length > 0 ? [p.Spec] : p.Specs ?? [];

    /// <summary>Go's time.LoadLocation: "" and "UTC" are UTC, "Local" the machine's zone, else an IANA name.</summary>
    public static TimeZoneInfo? FindZone(string name, out string? error)
    {
        error = null;
        if (name is "" or "UTC") return TimeZoneInfo.Utc;
        if (name == "Local") return TimeZoneInfo.Local;
        try
        {
            return TimeZoneInfo.FindSystemTimeZoneById(name);
        }
        catch (Exception e) when (e is TimeZoneNotFoundException or InvalidTimeZoneException or ArgumentException)
        {
            error = $"unknown time zone {name}";
            return null;
        }
    }

    private static readonly Dictionary<string, string> Aliases = new()
    {
        ["@yearly"] = "0 0 0 1 1 * *",
        ["@annually"] = "0 0 0 1 1 * *",
        ["@monthly"] = "0 0 0 1 * * *",
        ["@weekly"] = "0 0 0 * * 0 *",
        ["@daily"] = "0 0 0 * * * *",
        ["@hourly"] = "0 0 * * * * *",
    };

    /// <summary>A spec in cronexpr's layouts as a Cronos expression, or null with the reason.</summary>
    private static CronExpression? ParseCron(string spec, out string? error)
    {
        error = null;
        var text = spec.Trim();
        if (Aliases.TryGetValue(text, out var alias)) text = alias;
        var fields = text.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries);
        if (fields.Length < 5)
        {
            error = "missing field(s)";
            return null;
        }
        if (fields.Length > 7) fields = fields[..7];
        var withSeconds = fields.Length == 7;
        if (fields.Length > 5)
        {
            if (fields[^1] != "*")
            {
                error = $"a year field other than \"*\" is not supported (got \"{fields[^1]}\")";
                return null;
            }
            fields = fields[..^1];
        }
        try
        {
            return CronExpression.Parse(string.Join(' ', fields), withSeconds ? CronFormat.IncludeSeconds : CronFormat.Standard);
        }
        catch (CronFormatException e)
        {
            error = e.Message.TrimEnd('.');
            return null;
        }
    }
}
