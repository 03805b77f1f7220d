using System.Text.Json;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// Compares two JSON documents structurally: object key order is ignored and numbers are compared
/// by value as doubles (1000 == 1e3 == 1000.0). Returns a description of the first difference, or null.
/// </summary>
internal static class JsonComparer
{
    public static string? FirstDifference(JsonElement expected, JsonElement actual, string path = "$")
    {
        if (expected.ValueKind != actual.ValueKind)
            return $"{path}: expected {Show(expected)}, got {Show(actual)}";
        switch (expected.ValueKind)
        {
            case JsonValueKind.Object:
                var exp = expected.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                var act = actual.EnumerateObject().ToDictionary(p => p.Name, p => p.Value);
                foreach (var key in exp.Keys.Order(StringComparer.Ordinal))
                {
                    if (!act.TryGetValue(key, out var a)) return $"{path}: missing key \"{key}\"";
                    var diff = FirstDifference(exp[key], a, $"{path}.{key}");
                    if (diff != null) return diff;
                }
                var extra = act.Keys.Except(exp.Keys).Order(StringComparer.Ordinal).FirstOrDefault();
                return extra == null ? null : $"{path}: unexpected key \"{extra}\"";
            case JsonValueKind.Array:
                int n = expected.GetArrayLength(), m = actual.GetArrayLength();
                if (n != m) return $"{path}: expected {n} items, got {m}";
                for (int i = 0; i < n; i++)
                {
                    var diff = FirstDifference(expected[i], actual[i], $"{path}[{i}]");
                    if (diff != null) return diff;
                }
                return null;
            case JsonValueKind.Number:
                // As doubles: the oracle goes through float64, so 2^53+1 comes back as 2^53.
                bool same = expected.GetDouble().Equals(actual.GetDouble());
                return same ? null : $"{path}: expected {expected.GetRawText()}, got {actual.GetRawText()}";
            case JsonValueKind.String:
                return expected.GetString() == actual.GetString() ? null : $"{path}: expected {Show(expected)}, got {Show(actual)}";
            default:
                return null; // true, false, null: same kind is same value
        }
    }

    private static string Show(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => "an object",
        JsonValueKind.Array => "an array",
        _ => e.GetRawText(),
    };
}
