using System.Collections;
using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Nomad.Agent.Templates;

/// <summary>What consul-template's functions may read on this client: the task's environment and its directory.</summary>
public sealed record TemplateContext(IReadOnlyDictionary<string, string> Env, string SandboxDir, Func<DateTimeOffset>? Clock = null);

/// <summary>
/// consul-template's functions that make sense on our client, with its names, argument order (the piped value
/// last) and error words. The Nomad catalog functions are declared but fail with a one-line "not available" error
/// until Variables and the service catalog exist.
/// </summary>
public static class ConsulTemplateFunctions
{
    /// <summary>Functions that need Nomad Variables or the built-in service catalog, which this agent does not have yet.</summary>
    public static readonly IReadOnlyDictionary<string, string> NotYetAvailable = new Dictionary<string, string>
    {
        ["nomadVar"] = "Nomad Variables",
        ["nomadVarList"] = "Nomad Variables",
        ["nomadVarListSafe"] = "Nomad Variables",
        ["nomadVarExists"] = "Nomad Variables",
        ["nomadService"] = "the Nomad service catalog",
        ["nomadServices"] = "the Nomad service catalog",
    };

    public static Dictionary<string, TemplateFunction> For(TemplateContext ctx)
    {
        var clock = ctx.Clock ?? (() => DateTimeOffset.UtcNow);
        var fns = new List<TemplateFunction>
        {
            // The task's environment only, never the agent's (as Nomad does).
            TemplateFunction.Fixed("env", 1, a => ctx.Env.GetValueOrDefault(Args.String(a, 0), "")),
            TemplateFunction.Fixed("mustEnv", 1, a => ctx.Env.TryGetValue(Args.String(a, 0), out var v) ? v
                : throw new TemplateFunctionException($"environment variable {GoFmt.Quote(Args.String(a, 0))} not set")),
            TemplateFunction.Fixed("envOrDefault", 2, a => ctx.Env.TryGetValue(Args.String(a, 0), out var v) && v.Length > 0 ? v : Args.String(a, 1)),
            TemplateFunction.Fixed("file", 1, a => ReadFile(ctx.SandboxDir, Args.String(a, 0))),
            TemplateFunction.Varargs("timestamp", 0, a => Timestamp(clock(), a)),
            TemplateFunction.Fixed("toJSON", 1, a => GoJson.Marshal(a[0], pretty: false)),
            TemplateFunction.Fixed("toJSONPretty", 1, a => GoJson.Marshal(a[0], pretty: true)),
            TemplateFunction.Fixed("parseJSON", 1, a => Args.String(a, 0) is { Length: > 0 } s ? GoJson.Parse(s) : new Dictionary<string, object?>()),
            TemplateFunction.Fixed("split", 2, a => Args.String(a, 1).Trim() is { Length: > 0 } s
                ? s.Split(Args.String(a, 0)).Cast<object?>().ToList() : new List<object?>()),
            TemplateFunction.Fixed("join", 2, a => string.Join(Args.String(a, 0), Args.Strings(a, 1))),
            TemplateFunction.Fixed("replaceAll", 3, a => Args.String(a, 2).Replace(Args.String(a, 0), Args.String(a, 1), StringComparison.Ordinal)),
            TemplateFunction.Fixed("toLower", 1, a => Args.String(a, 0).ToLowerInvariant()),
            TemplateFunction.Fixed("toUpper", 1, a => Args.String(a, 0).ToUpperInvariant()),
            TemplateFunction.Fixed("toTitle", 1, a => Title(Args.String(a, 0))),
            TemplateFunction.Fixed("trimSpace", 1, a => Args.String(a, 0).Trim(' ', '\t', '\n', '\r', '\v', '\f')),
            TemplateFunction.Fixed("trim", 2, a => Args.String(a, 1).Trim(Args.String(a, 0).ToCharArray())),
            TemplateFunction.Fixed("trimPrefix", 2, a => Args.String(a, 1) is var s && s.StartsWith(Args.String(a, 0), StringComparison.Ordinal) ? s[Args.String(a, 0).Length..] : s),
            TemplateFunction.Fixed("trimSuffix", 2, a => Args.String(a, 1) is var s && s.EndsWith(Args.String(a, 0), StringComparison.Ordinal) ? s[..^Args.String(a, 0).Length] : s),
            TemplateFunction.Fixed("indent", 2, a => Indent((int)Args.Int(a, 0), Args.String(a, 1))),
            TemplateFunction.Fixed("contains", 2, a => In(a[1], a[0])),
            TemplateFunction.Fixed("in", 2, a => In(a[0], a[1])),
            TemplateFunction.Fixed("containsAll", 2, a => ContainsSome(a[0], a[1], all: true, negate: false)),
            TemplateFunction.Fixed("containsAny", 2, a => ContainsSome(a[0], a[1], all: false, negate: false)),
            TemplateFunction.Fixed("containsNone", 2, a => ContainsSome(a[0], a[1], all: false, negate: true)),
            TemplateFunction.Fixed("containsNotAll", 2, a => ContainsSome(a[0], a[1], all: true, negate: true)),
            TemplateFunction.Fixed("base64Encode", 1, a => Convert.ToBase64String(Encoding.UTF8.GetBytes(Args.String(a, 0)))),
            TemplateFunction.Fixed("base64Decode", 1, a => Base64Decode(Args.String(a, 0), url: false)),
            TemplateFunction.Fixed("base64URLEncode", 1, a => Convert.ToBase64String(Encoding.UTF8.GetBytes(Args.String(a, 0))).Replace('+', '-').Replace('/', '_')),
            TemplateFunction.Fixed("base64URLDecode", 1, a => Base64Decode(Args.String(a, 0), url: true)),
            TemplateFunction.Fixed("parseInt", 1, a => ParseInt(Args.String(a, 0))),
            TemplateFunction.Fixed("parseUint", 1, a => ParseUint(Args.String(a, 0))),
            TemplateFunction.Fixed("parseFloat", 1, a => ParseFloat(Args.String(a, 0))),
            TemplateFunction.Fixed("parseBool", 1, a => ParseBool(Args.String(a, 0))),
            TemplateFunction.Fixed("add", 2, a => Arith("add", a[1], a[0], (x, y) => x + y, (x, y) => x + y)),
            TemplateFunction.Fixed("subtract", 2, a => Arith("subtract", a[1], a[0], (x, y) => x - y, (x, y) => x - y)),
            TemplateFunction.Fixed("multiply", 2, a => Arith("multiply", a[1], a[0], (x, y) => x * y, (x, y) => x * y)),
            TemplateFunction.Fixed("divide", 2, a => Arith("divide", a[1], a[0],
                (x, y) => y == 0 ? throw new TemplateFunctionException("divide: division by 0") : x / y, (x, y) => x / y)),
            TemplateFunction.Fixed("modulo", 2, a => Arith("modulo", a[1], a[0],
                (x, y) => y == 0 ? throw new TemplateFunctionException("modulo: division by 0") : x % y, Math.IEEERemainder)),
            TemplateFunction.Fixed("minimum", 2, a => Arith("minimum", a[1], a[0], Math.Min, Math.Min)),
            TemplateFunction.Fixed("maximum", 2, a => Arith("maximum", a[1], a[0], Math.Max, Math.Max)),
            TemplateFunction.Varargs("loop", 1, Loop),
            TemplateFunction.Fixed("regexMatch", 2, a => Regex.IsMatch(Args.String(a, 1), Args.String(a, 0))),
            TemplateFunction.Fixed("regexReplaceAll", 3, a => Regex.Replace(Args.String(a, 2), Args.String(a, 0), Args.String(a, 1))),
            TemplateFunction.Fixed("sha256Hex", 1, a => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Args.String(a, 0))))),
            SockaddrFunctions.Sockaddr,
            TemplateFunction.Fixed("md5sum", 1, a => Convert.ToHexStringLower(MD5.HashData(Encoding.UTF8.GetBytes(Args.String(a, 0))))),
        };
        foreach (var (name, what) in NotYetAvailable)
            fns.Add(TemplateFunction.Varargs(name, 0, _ => throw new TemplateFunctionException(
                $"the {GoFmt.Quote(name)} function is not available yet: this agent does not have {what}")));
        return fns.ToDictionary(f => f.Name);
    }

    /// <summary>Reads a file inside the sandbox (the task dir): relative and absolute paths both resolve under it.</summary>
    private static string ReadFile(string sandbox, string path)
    {
        var root = Path.GetFullPath(sandbox);
        var full = Path.GetFullPath(Path.Join(root, path));
        if (!IsInside(root, full)) throw new TemplateFunctionException($"'{path}' is outside of sandbox");
        // A link inside the sandbox may not lead out of it.
        var resolved = File.Exists(full) && new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true) is { } target ? target.FullName : full;
        if (!IsInside(root, resolved)) throw new TemplateFunctionException($"'{path}' is outside of sandbox");
        if (!File.Exists(resolved)) throw new TemplateFunctionException($"open {path}: no such file or directory");
        return File.ReadAllText(resolved);
    }

    private static bool IsInside(string root, string path) =>
        path == root || path.StartsWith(root.TrimEnd('/') + "/", StringComparison.Ordinal);

    private static string Timestamp(DateTimeOffset now, object?[] a)
    {
        if (a.Length > 1) throw new TemplateFunctionException($"timestamp: too many arguments, expected 0 or 1, but got {a.Length}");
        if (a.Length == 0) return GoTimeLayout.Format(now.ToUniversalTime(), GoTimeLayout.RFC3339);
        var layout = Args.String(a, 0);
        if (layout == "unix") return now.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);
        return GoTimeLayout.Format(now.ToUniversalTime(), layout);
    }

    private static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var prev = ' ';
        foreach (var c in s)
        {
            sb.Append(char.IsLetter(prev) || char.IsDigit(prev) || prev == '_' || prev == '\'' ? c : char.ToUpperInvariant(c));
            prev = c;
        }
        return sb.ToString();
    }

    private static string Indent(int spaces, string s)
    {
        if (spaces < 0) throw new TemplateFunctionException("indent value must be a positive integer");
        var pad = new string(' ', spaces);
        return pad + s.Replace("\n", "\n" + pad);
    }

    /// <summary>consul-template's in: a list holds the value, or a string holds the substring.</summary>
    private static bool In(object? list, object? v)
    {
        v = GoValues.Normalize(v);
        switch (GoValues.Normalize(list))
        {
            case string s: return v is string sub && s.Contains(sub, StringComparison.Ordinal);
            case IList l:
                foreach (var e in l) if (Equals(GoValues.Normalize(e), v)) return true;
                return false;
            case null or NoValue: return false;
            case var other: throw new TemplateFunctionException($"in: invalid type {GoValues.TypeName(other)}");
        }
    }

    private static bool ContainsSome(object? values, object? list, bool all, bool negate)
    {
        if (values is not IList vs) throw new TemplateFunctionException($"wrong type for value; expected a list; got {GoValues.TypeName(values)}");
        foreach (var v in vs)
        {
            var found = In(list, v);
            if (all && !found) return negate;
            if (!all && found) return !negate;
        }
        return all ? !negate : negate;
    }

    private static string Base64Decode(string s, bool url)
    {
        try
        {
            if (url) s = s.Replace('-', '+').Replace('_', '/');
            return Encoding.UTF8.GetString(Convert.FromBase64String(s));
        }
        catch (FormatException)
        {
            throw new TemplateFunctionException("illegal base64 data at input byte 0");
        }
    }

    private static long ParseInt(string s)
    {
        if (s.Length > 0 && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var v)) return v;
        throw new TemplateFunctionException($"strconv.ParseInt: parsing {GoFmt.Quote(s)}: invalid syntax");
    }

    private static long ParseUint(string s)
    {
        if (s.Length > 0 && s.All(char.IsAsciiDigit) && long.TryParse(s, NumberStyles.None, CultureInfo.InvariantCulture, out var v)) return v;
        throw new TemplateFunctionException($"strconv.ParseUint: parsing {GoFmt.Quote(s)}: invalid syntax");
    }

    private static double ParseFloat(string s)
    {
        if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var v)) return v;
        throw new TemplateFunctionException($"strconv.ParseFloat: parsing {GoFmt.Quote(s)}: invalid syntax");
    }

    private static bool ParseBool(string s) => s switch
    {
        "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
        "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
        _ => throw new TemplateFunctionException($"strconv.ParseBool: parsing {GoFmt.Quote(s)}: invalid syntax"),
    };

    /// <summary>consul-template's math: ints stay ints, a float on either side makes a float.</summary>
    private static object Arith(string name, object? a, object? b, Func<long, long, long> ints, Func<double, double, double> floats)
    {
        a = GoValues.Normalize(a);
        b = GoValues.Normalize(b);
        static string Unknown(string name, object? v) => $"{name}: unknown type for {GoFmt.Quote(GoFmt.ToText(v))} ({GoValues.TypeName(v)})";
        if (a is not (long or double)) throw new TemplateFunctionException(Unknown(name, a));
        if (b is not (long or double)) throw new TemplateFunctionException(Unknown(name, b));
        if (a is long x && b is long y) return ints(x, y);
        var fx = a is long la ? la : (double)a;
        var fy = b is long lb ? lb : (double)b;
        if (name == "divide" && fy == 0) throw new TemplateFunctionException("divide: division by 0");
        return floats(fx, fy);
    }

    /// <summary>loop N → 0..N-1; loop START STOP → START..STOP-1.</summary>
    private static object Loop(object?[] a)
    {
        if (a.Length > 2) throw new TemplateFunctionException($"loop: wrong number of arguments, expected 1 or 2, but got {a.Length}");
        var start = a.Length == 2 ? Args.Int(a, 0) : 0;
        var stop = Args.Int(a, a.Length - 1);
        var list = new List<object?>();
        for (var i = start; i < stop; i++) list.Add(i);
        return list;
    }
}
