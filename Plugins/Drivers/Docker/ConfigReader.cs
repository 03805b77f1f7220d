using System.Globalization;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Nomad.Drivers.Docker;

/// <summary>
/// Reads values out of a <c>config {}</c> block as the agent delivers it (HCL turned to JSON: blocks arrive as
/// lists of objects, numbers sometimes as strings). Every problem is one line naming the field, added to <see cref="Errors"/>.
/// </summary>
internal sealed partial class ConfigReader(string prefix)
{
    public List<string> Errors { get; } = new();

    public void Error(string field, string problem) => Errors.Add($"{prefix}.{field}: {problem}");

    public string? String(JsonProperty p)
    {
        switch (p.Value.ValueKind)
        {
            case JsonValueKind.String: return p.Value.GetString();
            case JsonValueKind.Null: return null;
            case JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False: return p.Value.GetRawText();
        }
        Error(p.Name, "must be a string");
        return null;
    }

    public bool Bool(JsonProperty p) => Bool(p.Name, p.Value);

    public bool Bool(string field, JsonElement v)
    {
        switch (v.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False or JsonValueKind.Null: return false;
            case JsonValueKind.String when v.GetString() is "true" or "1": return true;
            case JsonValueKind.String when v.GetString() is "false" or "0": return false;
        }
        Error(field, "must be a bool");
        return false;
    }

    public long Long(JsonProperty p) => Long(p.Name, p.Value);

    public long Long(string field, JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Null) return 0;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetInt64(out var n) && n >= 0) return n;
        if (v.ValueKind == JsonValueKind.String && long.TryParse(v.GetString(), NumberStyles.None, CultureInfo.InvariantCulture, out n)) return n;
        Error(field, "must be a non-negative integer");
        return 0;
    }

    public List<string> Strings(JsonProperty p)
    {
        if (p.Value.ValueKind == JsonValueKind.Null) return [];
        if (p.Value.ValueKind == JsonValueKind.String) return [p.Value.GetString()!];
        if (p.Value.ValueKind != JsonValueKind.Array || p.Value.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
        {
            Error(p.Name, "must be a list of strings");
            return [];
        }
        return p.Value.EnumerateArray().Select(a => a.GetString()!).ToList();
    }

    /// <summary>The objects of a block (<c>x { }</c> arrives as <c>[{...}]</c>, repeated blocks as several) or of an attribute.</summary>
    public List<JsonElement> Objects(JsonProperty p)
    {
        if (p.Value.ValueKind == JsonValueKind.Null) return [];
        if (p.Value.ValueKind == JsonValueKind.Object) return [p.Value];
        if (p.Value.ValueKind == JsonValueKind.Array && p.Value.EnumerateArray().All(a => a.ValueKind == JsonValueKind.Object))
            return p.Value.EnumerateArray().ToList();
        Error(p.Name, "must be a block or an object");
        return [];
    }

    /// <summary>A map of strings, given as an attribute (<c>labels = {...}</c>) or block(s) (<c>labels { ... }</c>).</summary>
    public Dictionary<string, string> Map(JsonProperty p)
    {
        var map = new Dictionary<string, string>();
        foreach (var o in Objects(p))
            foreach (var kv in o.EnumerateObject())
            {
                if (kv.Value.ValueKind is JsonValueKind.String) map[kv.Name] = kv.Value.GetString()!;
                else if (kv.Value.ValueKind is JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False) map[kv.Name] = kv.Value.GetRawText();
                else Error($"{p.Name}.{kv.Name}", "must be a string");
            }
        return map;
    }

    /// <summary>A Go duration (<c>"5m"</c>, <c>"1m30s"</c>, <c>"500ms"</c>) or a number of seconds.</summary>
    public TimeSpan? Duration(JsonProperty p) => Duration(p.Name, p.Value);

    public TimeSpan? Duration(string field, JsonElement v)
    {
        if (v.ValueKind == JsonValueKind.Null) return null;
        if (v.ValueKind == JsonValueKind.Number && v.TryGetDouble(out var secs) && secs >= 0) return TimeSpan.FromSeconds(secs);
        if (v.ValueKind == JsonValueKind.String && ParseDuration(v.GetString()!) is { } d) return d;
        Error(field, "must be a duration such as \"30s\" or \"5m\"");
        return null;
    }

    /// <summary>Go's time.ParseDuration for non-negative values: a sequence of number+unit (h, m, s, ms, us, µs, ns).</summary>
    public static TimeSpan? ParseDuration(string s)
    {
        s = s.Trim();
        if (s == "0") return TimeSpan.Zero;
        var matches = DurationPart().Matches(s);
        if (matches.Count == 0 || string.Concat(matches.Select(m => m.Value)) != s) return null;
        double ticks = 0;
        foreach (Match m in matches)
        {
            var n = double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture);
            ticks += n * m.Groups[2].Value switch
            {
                "h" => TimeSpan.TicksPerHour, "m" => TimeSpan.TicksPerMinute, "s" => TimeSpan.TicksPerSecond,
                "ms" => TimeSpan.TicksPerMillisecond, "us" or "µs" => 10, _ => 0.01,
            };
        }
        return TimeSpan.FromTicks((long)ticks);
    }

    [GeneratedRegex(@"(\d+(?:\.\d+)?)(h|ms|m|s|us|µs|ns)")]
    private static partial Regex DurationPart();
}
