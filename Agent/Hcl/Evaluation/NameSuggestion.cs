namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// HCL's "Did you mean ...?": the first candidate within an edit distance of 2 of what was written, or null.
/// </summary>
public static class NameSuggestion
{
    public static string? For(string given, IEnumerable<string> candidates) =>
        candidates.Order(StringComparer.Ordinal).FirstOrDefault(c => Distance(given, c) < 3);

    /// <summary>" Did you mean "x"?" or "" (to append to a detail sentence).</summary>
    public static string Sentence(string given, IEnumerable<string> candidates) =>
        For(given, candidates) is { } s ? $" Did you mean \"{s}\"?" : "";

    private static int Distance(string a, string b)
    {
        var previous = new int[b.Length + 1];
        var current = new int[b.Length + 1];
        for (var j = 0; j <= b.Length; j++) previous[j] = j;
        for (var i = 1; i <= a.Length; i++)
        {
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
            {
                var cost = a[i - 1] == b[j - 1] ? 0 : 1;
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + cost);
            }
            (previous, current) = (current, previous);
        }
        return previous[b.Length];
    }
}
