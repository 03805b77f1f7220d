namespace Nomad.Fingerprints;

/// <summary>Reads the agent's string options the way Nomad's config does.</summary>
internal static class Options
{
    /// <summary>Go's strconv.ParseBool spellings; anything else (or absent) is <paramref name="fallback"/>.</summary>
    public static bool Bool(IReadOnlyDictionary<string, string> options, string key, bool fallback) =>
        options.TryGetValue(key, out var v)
            ? v switch
            {
                "1" or "t" or "T" or "TRUE" or "true" or "True" => true,
                "0" or "f" or "F" or "FALSE" or "false" or "False" => false,
                _ => fallback,
            }
            : fallback;

    /// <summary>The option's value when set and not blank.</summary>
    public static string? String(IReadOnlyDictionary<string, string> options, string key) =>
        options.TryGetValue(key, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
}
