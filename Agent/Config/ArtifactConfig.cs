using System.Globalization;
using System.Text.RegularExpressions;
using static Nomad.Agent.Config.ConfigValues;

namespace Nomad.Agent.Config;

/// <summary>
/// The client's <c>artifact { }</c> block (Nomad's ArtifactConfig): bounds on artifact downloads and which host
/// paths local sources may be read from. Sizes are written as Nomad's (go-humanize): "100GB", "512MiB", "1024".
/// The getters this client does not have (gcs, git, hg, s3) have their timeouts checked and reported as not
/// acted on, as is set_environment_variables (there is no getter process to pass them to).
/// </summary>
public sealed partial record ArtifactConfig
{
    public TimeSpan? HttpReadTimeout { get; init; }                   // http_read_timeout
    public long? HttpMaxBytes { get; init; }                          // http_max_size
    public int? DecompressionFileCountLimit { get; init; }            // decompression_file_count_limit
    public long? DecompressionSizeLimit { get; init; }                // decompression_size_limit
    public bool? DisableFilesystemIsolation { get; init; }            // disable_filesystem_isolation
    public List<string>? FilesystemIsolationExtraPaths { get; init; } // filesystem_isolation_extra_paths

    public ArtifactConfig Merge(ArtifactConfig later) => new()
    {
        HttpReadTimeout = AgentConfig.NonZero(HttpReadTimeout, later.HttpReadTimeout),
        HttpMaxBytes = AgentConfig.NonZero(HttpMaxBytes, later.HttpMaxBytes),
        DecompressionFileCountLimit = AgentConfig.NonZero(DecompressionFileCountLimit, later.DecompressionFileCountLimit),
        DecompressionSizeLimit = AgentConfig.NonZero(DecompressionSizeLimit, later.DecompressionSizeLimit),
        // As Nomad: a later file may turn it off again (it decides whether artifacts may read anywhere on the host).
        DisableFilesystemIsolation = later.DisableFilesystemIsolation ?? DisableFilesystemIsolation,
        FilesystemIsolationExtraPaths = AgentConfig.Append(FilesystemIsolationExtraPaths, later.FilesystemIsolationExtraPaths),
    };

    internal static ArtifactConfig Decode(ConfigObject o, ArtifactConfig a, List<string> unsupported)
    {
        foreach (var e in o.Entries)
        {
            string p = "client.artifact." + e.Key;
            switch (e.Key)
            {
                case "http_read_timeout": a = a with { HttpReadTimeout = Duration(e, p) }; break;
                case "http_max_size": a = a with { HttpMaxBytes = Size(e, p) }; break;
                case "decompression_file_count_limit": a = a with { DecompressionFileCountLimit = Int(e, p, min: 0) }; break;
                case "decompression_size_limit": a = a with { DecompressionSizeLimit = Size(e, p) }; break;
                case "disable_filesystem_isolation": a = a with { DisableFilesystemIsolation = Bool(e, p) }; break;
                case "filesystem_isolation_extra_paths":
                    var paths = StringList(e, p);
                    if (paths.FirstOrDefault(x => !IsLockdownPath(x)) is { } bad)
                        throw Fail(e.Value, p, $"contains invalid lockdown path \"{bad}\" (want kind:mode:path, e.g. \"d:r:/srv/artifacts\")");
                    a = a with { FilesystemIsolationExtraPaths = AgentConfig.Append(a.FilesystemIsolationExtraPaths, paths) };
                    break;
                case "gcs_timeout" or "git_timeout" or "hg_timeout" or "s3_timeout":
                    Duration(e, p);
                    unsupported.Add($"{e.KeyPosition}: {p}");
                    break;
                case "set_environment_variables":
                    String(e, p);
                    unsupported.Add($"{e.KeyPosition}: {p}");
                    break;
                case "disable_artifact_inspection":
                    Bool(e, p);
                    unsupported.Add($"{e.KeyPosition}: {p}");
                    break;
                default:
                    throw Unknown(e, "client.artifact");
            }
        }
        return a;
    }

    /// <summary>Nomad's <c>[kind]:[mode]:[path]</c>: kind f or d, mode of r, w, c, x, an absolute path.</summary>
    internal static bool IsLockdownPath(string s)
    {
        var parts = s.Split(':', 3);
        return parts.Length == 3 && parts[0] is "f" or "d" && parts[1].All(c => c is 'r' or 'w' or 'c' or 'x') && parts[2].StartsWith('/');
    }

    /// <summary>A size as go-humanize's ParseBytes reads it: a number and an optional SI (kB, MB, GB...) or IEC (KiB, MiB...) unit.</summary>
    private static long Size(ConfigEntry e, string path)
    {
        var v = (e.Value as ConfigScalar)?.Value;
        if (v is long n && n >= 0) return n;
        if (v is string s && ParseSize(s) is { } bytes) return bytes;
        throw Fail(e.Value, path, $"invalid size {(v is string t ? $"\"{t}\"" : "value")} (want e.g. \"100GB\", \"512MiB\")");
    }

    internal static long? ParseSize(string s)
    {
        var m = SizePattern().Match(s.Trim());
        if (!m.Success || !double.TryParse(m.Groups[1].Value, NumberStyles.Float, CultureInfo.InvariantCulture, out double number)) return null;
        string unit = m.Groups[2].Value.ToLowerInvariant().TrimEnd('b');
        double scale = unit switch
        {
            "" => 1,
            "k" => 1e3, "m" => 1e6, "g" => 1e9, "t" => 1e12, "p" => 1e15, "e" => 1e18,
            "ki" => 1L << 10, "mi" => 1L << 20, "gi" => 1L << 30, "ti" => 1L << 40, "pi" => 1L << 50, "ei" => 1L << 60,
            _ => -1,
        };
        double bytes = number * scale;
        return scale < 0 || bytes < 0 || bytes >= long.MaxValue ? null : (long)bytes;
    }

    [GeneratedRegex(@"^([0-9]+(?:\.[0-9]+)?)\s*([a-zA-Z]*)$")]
    private static partial Regex SizePattern();
}
