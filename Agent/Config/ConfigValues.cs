using System.Globalization;
using System.Net;
using System.Text.RegularExpressions;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Config;

/// <summary>
/// Typed reads of config values. Each failure is a one-line <see cref="ConfigException"/>
/// <c>FILE:LINE:COL: path: problem</c>. Like Nomad's decoder, numbers and bools may also be given as
/// strings ("4646", "true"), which JSON configs often do; strings must be strings.
/// </summary>
internal static partial class ConfigValues
{
    public static ConfigException Fail(ConfigNode at, string path, string problem) =>
        new($"{at.Position}: {path}: {problem}");

    public static ConfigException Unknown(ConfigEntry e, string section) =>
        new($"{e.KeyPosition}: unknown key \"{e.Key}\"" + (section.Length == 0 ? "" : $" in {section}"));

    public static string String(ConfigEntry e, string path) =>
        e.Value is ConfigScalar { Value: string s } ? s : throw Fail(e.Value, path, "must be a string");

    public static bool Bool(ConfigEntry e, string path)
    {
        switch ((e.Value as ConfigScalar)?.Value)
        {
            case bool b: return b;
            case string s when s is "true" or "1" or "t" or "T" or "TRUE" or "True": return true;
            case string s when s is "false" or "0" or "f" or "F" or "FALSE" or "False": return false;
            default: throw Fail(e.Value, path, "must be true or false");
        }
    }

    /// <summary>A whole number in [min, max]; the message says which range.</summary>
    public static int Int(ConfigEntry e, string path, int min = 0, int max = int.MaxValue)
    {
        string want = max == int.MaxValue ? $"must be a whole number >= {min}" : $"must be a number between {min} and {max}";
        object? v = (e.Value as ConfigScalar)?.Value;
        long n;
        switch (v)
        {
            case long l: n = l; break;
            case double d when d == Math.Floor(d) && Math.Abs(d) < long.MaxValue: n = (long)d; break;
            case string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p): n = p; break;
            default: throw Fail(e.Value, path, want);
        }
        if (n < min || n > max) throw Fail(e.Value, path, want);
        return (int)n;
    }

    /// <summary>A number greater than zero.</summary>
    public static double Positive(ConfigEntry e, string path)
    {
        double d = Number(e);
        if (!(d > 0) || double.IsInfinity(d)) throw Fail(e.Value, path, "must be a number > 0");
        return d;
    }

    /// <summary>A number greater than zero, or 0 for unset (null), as Nomad takes its zero values.</summary>
    public static double? PositiveOrUnset(ConfigEntry e, string path)
    {
        double d = Number(e);
        if (!(d >= 0) || double.IsInfinity(d)) throw Fail(e.Value, path, "must be a number >= 0");
        return d == 0 ? null : d;
    }

    /// <summary>The entry's number (NaN when it is not one).</summary>
    private static double Number(ConfigEntry e) => (e.Value as ConfigScalar)?.Value switch
    {
        long l => l,
        double x => x,
        string s when double.TryParse(s.Trim(), NumberStyles.Float, CultureInfo.InvariantCulture, out var p) => p,
        _ => double.NaN,
    };

    /// <summary>A Go duration string such as "10s" or "1m30s"; not negative.</summary>
    public static TimeSpan Duration(ConfigEntry e, string path)
    {
        object? v = (e.Value as ConfigScalar)?.Value;
        string shown = v is string s0 ? $"\"{s0}\"" : Describe(e.Value);
        if (v is not string s || !GoDuration.TryParse(s, out var d))
            throw Fail(e.Value, path, $"invalid duration {shown} (want e.g. \"10s\", \"1m30s\", \"500ms\")");
        if (d < TimeSpan.Zero) throw Fail(e.Value, path, $"must not be negative (got \"{s}\")");
        return d;
    }

    public static List<string> StringList(ConfigEntry e, string path)
    {
        if (e.Value is ConfigList list && list.Items.All(i => i is ConfigScalar { Value: string }))
            return list.Items.Select(i => (string)((ConfigScalar)i).Value!).ToList();
        throw Fail(e.Value, path, "must be a list of strings");
    }

    /// <summary>A block or map of scalar values (numbers and bools become their text, as Nomad's meta does).</summary>
    public static Dictionary<string, string> StringMap(ConfigEntry e, string path)
    {
        var map = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var obj in Blocks(e, path))
        {
            foreach (var item in obj.Entries)
            {
                map[item.Key] = (item.Value as ConfigScalar)?.Value switch
                {
                    string s => s,
                    long l => l.ToString(CultureInfo.InvariantCulture),
                    double d => d.ToString(CultureInfo.InvariantCulture),
                    bool b => b ? "true" : "false",
                    _ => throw Fail(item.Value, $"{path}.{item.Key}", "must be a string"),
                };
            }
        }
        return map;
    }

    /// <summary>A block: an object (HCL block, HCL1 <c>key = { }</c>, JSON object) or a JSON array of objects.</summary>
    public static IEnumerable<ConfigObject> Blocks(ConfigEntry e, string path)
    {
        switch (e.Value)
        {
            case ConfigObject o:
                return [o];
            case ConfigList l when l.Items.All(i => i is ConfigObject):
                return l.Items.Cast<ConfigObject>();
            default:
                throw Fail(e.Value, path, "must be a block");
        }
    }

    /// <summary>One of <paramref name="allowed"/>, compared ignoring case; returns the allowed spelling.</summary>
    public static string OneOf(ConfigEntry e, string path, params string[] allowed)
    {
        string s = String(e, path);
        return allowed.FirstOrDefault(a => a.Equals(s.Trim(), StringComparison.OrdinalIgnoreCase))
            ?? throw Fail(e.Value, path, $"invalid value \"{s}\" (want {string.Join(", ", allowed)})");
    }

    /// <summary>
    /// An address to bind to: an IP or host name, or a go-sockaddr template like "{{ GetPrivateIP }}"
    /// (resolved at start-up, not here). <paramref name="allowPort"/> permits "host:port" (advertise);
    /// <paramref name="allowMany"/> permits several, space-separated (addresses.http).
    /// </summary>
    public static string Address(ConfigEntry e, string path, bool allowPort = false, bool allowMany = false)
    {
        string s = String(e, path);
        if (s.Contains("{{")) return s;
        var parts = s.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        bool ok = parts.Length == 1 || (allowMany && parts.Length > 1);
        ok = ok && parts.All(p => IsHost(p) || (allowPort && IsHostPort(p)));
        if (ok) return s;
        string want = allowPort ? "an IP address or host name, optionally with :port" : "an IP address or host name";
        throw Fail(e.Value, path, $"invalid address \"{s}\" (want {want}, or a go-sockaddr template)");
    }

    private static bool IsHost(string s) =>
        IPAddress.TryParse(s.Trim('[', ']'), out _) || HostName().IsMatch(s);

    private static bool IsHostPort(string s)
    {
        int colon = s.LastIndexOf(':');
        if (colon <= 0) return false;
        string host = s[..colon], port = s[(colon + 1)..];
        if (host.Contains(':') && !(host.StartsWith('[') && host.EndsWith(']'))) return false; // bare IPv6 has no port
        return IsHost(host) && int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is >= 1 and <= 65535;
    }

    [GeneratedRegex(@"^(?=.{1,253}$)[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?(\.[A-Za-z0-9]([A-Za-z0-9-]{0,61}[A-Za-z0-9])?)*$")]
    private static partial Regex HostName();

    /// <summary>Nomad's reserved_ports syntax: "22,80,8000-8100".</summary>
    public static string PortRanges(ConfigEntry e, string path)
    {
        string s = String(e, path);
        foreach (var raw in s.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            var bounds = raw.Trim().Split('-');
            bool ok = bounds.Length is 1 or 2 && bounds.All(b =>
                int.TryParse(b.Trim(), NumberStyles.None, CultureInfo.InvariantCulture, out int p) && p is >= 1 and <= 65535);
            if (ok && bounds.Length == 2) ok = int.Parse(bounds[0].Trim(), CultureInfo.InvariantCulture) <= int.Parse(bounds[1].Trim(), CultureInfo.InvariantCulture);
            if (!ok) throw Fail(e.Value, path, $"invalid port range \"{raw.Trim()}\" (want e.g. \"22,80,8000-8100\")");
        }
        return s;
    }

    /// <summary>A config subtree as plain values: string, long, double, bool, null, List&lt;object?&gt;, Dictionary&lt;string, object?&gt;.</summary>
    public static object? Plain(ConfigNode node) => node switch
    {
        ConfigScalar s => s.Value,
        ConfigList l => l.Items.Select(Plain).ToList(),
        ConfigObject o => PlainObject(o),
        _ => throw new ArgumentOutOfRangeException(nameof(node)),
    };

    /// <summary>Repeated keys (repeated blocks) become a list of their values, in order.</summary>
    public static Dictionary<string, object?> PlainObject(ConfigObject o)
    {
        var dict = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var group in o.Entries.GroupBy(e => e.Key))
        {
            var values = group.Select(e => Plain(e.Value)).ToList();
            dict[group.Key] = values.Count == 1 ? values[0] : values;
        }
        return dict;
    }

    private static string Describe(ConfigNode n) => n switch
    {
        ConfigScalar { Value: null } => "null",
        ConfigScalar { Value: bool b } => b ? "true" : "false",
        ConfigScalar { Value: IFormattable f } => f.ToString(null, CultureInfo.InvariantCulture),
        ConfigList => "a list",
        ConfigObject => "a block",
        _ => "value",
    };
}
