using System.Collections;
using System.Reflection;
using System.Text;
using System.Text.Json;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Templates;

/// <summary>
/// Go's encoding/json as consul-template's toJSON/toJSONPretty/parseJSON use it: maps with sorted keys, HTML-safe
/// string escapes, float64 numbers written the way Go writes them, and parsed numbers as float64.
/// </summary>
public static class GoJson
{
    public static string Marshal(object? v, bool pretty)
    {
        var sb = new StringBuilder();
        Write(sb, v, pretty, 0);
        return sb.ToString();
    }

    private static void Write(StringBuilder sb, object? v, bool pretty, int depth)
    {
        v = GoValues.Normalize(v);
        switch (v)
        {
            case null or NoValue: sb.Append("null"); return;
            case bool b: sb.Append(b ? "true" : "false"); return;
            case long l: sb.Append(l); return;
            case double d: sb.Append(Float(d)); return;
            case string s: GoJsonString.Append(sb, s); return;
            case IDictionary map:
            {
                var keys = GoValues.SortedKeys(map);
                if (keys.Count == 0) { sb.Append("{}"); return; }
                sb.Append('{');
                for (var i = 0; i < keys.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Indent(sb, pretty, depth + 1);
                    GoJsonString.Append(sb, keys[i].ToString()!);
                    sb.Append(pretty ? ": " : ":");
                    Write(sb, map[keys[i]], pretty, depth + 1);
                }
                Indent(sb, pretty, depth);
                sb.Append('}');
                return;
            }
            case IList list:
            {
                if (list.Count == 0) { sb.Append("[]"); return; }
                sb.Append('[');
                for (var i = 0; i < list.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Indent(sb, pretty, depth + 1);
                    Write(sb, list[i], pretty, depth + 1);
                }
                Indent(sb, pretty, depth);
                sb.Append(']');
                return;
            }
            case TemplateFunction or Delegate:
                throw new TemplateFunctionException($"json: unsupported type: {GoValues.TypeName(v)}");
            default:
            {
                var props = v.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance)
                    .ToDictionary(p => p.Name, p => p.GetValue(v));
                Write(sb, props.Count == 0 ? v.ToString() : props, pretty, depth);
                return;
            }
        }
    }

    private static void Indent(StringBuilder sb, bool pretty, int depth)
    {
        if (!pretty) return;
        sb.Append('\n').Append(' ', depth * 2);
    }

    /// <summary>Go writes float64 in plain decimal unless it is below 1e-6 or at least 1e21, then as 1e-07 → 1e-7.</summary>
    private static string Float(double d)
    {
        if (double.IsNaN(d) || double.IsInfinity(d)) throw new TemplateFunctionException($"json: unsupported value: {GoFmt.FormatFloat(d, 'g', -1)}");
        var abs = Math.Abs(d);
        if (abs != 0 && (abs < 1e-6 || abs >= 1e21))
        {
            var s = GoFmt.FormatFloat(d, 'e', -1);
            var n = s.Length;
            if (n >= 4 && s[n - 4] == 'e' && s[n - 3] == '-' && s[n - 2] == '0') s = s[..(n - 2)] + s[(n - 1)..];
            return s;
        }
        return GoFmt.FormatFloat(d, 'f', -1);
    }

    /// <summary>Parses JSON into template values: maps, lists, strings, bools, nil, and numbers as float64.</summary>
    public static object? Parse(string json)
    {
        try
        {
            using var doc = JsonDocument.Parse(json);
            return Convert(doc.RootElement);
        }
        catch (JsonException e)
        {
            throw new TemplateFunctionException(e.Message.Split('.')[0]);
        }
    }

    private static object? Convert(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => e.EnumerateObject().Aggregate(new Dictionary<string, object?>(), (d, p) => { d[p.Name] = Convert(p.Value); return d; }),
        JsonValueKind.Array => e.EnumerateArray().Select(Convert).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
