using System.Text.Json;
using Nomad.Contracts;

namespace Nomad.Agent.Plugins;

/// <summary>
/// Finds plugins: every folder directly under a plugin directory that holds a plugin.json. A bad manifest
/// is reported (one line naming the file and the problem) and skipped; the others still load.
/// </summary>
public static class PluginDiscovery
{
    public sealed record Result(IReadOnlyList<DiscoveredPlugin> Plugins, IReadOnlyList<string> Errors);

    /// <summary>Scans <paramref name="roots"/> in order; a later root's plugin replaces an earlier one of the same name.</summary>
    public static Result Scan(IEnumerable<string> roots)
    {
        var found = new Dictionary<string, DiscoveredPlugin>(StringComparer.Ordinal);
        var errors = new List<string>();
        foreach (var root in roots.Where(Directory.Exists))
        {
            foreach (var dir in Directory.EnumerateDirectories(root).Order(StringComparer.Ordinal))
            {
                var manifestPath = Path.Combine(dir, PluginManifest.FileName);
                if (!File.Exists(manifestPath)) continue;
                var (plugin, error) = Read(manifestPath);
                if (error is not null) errors.Add(error);
                else found[plugin!.Manifest.Name] = plugin;
            }
        }
        return new Result(found.Values.OrderBy(p => p.Manifest.Name, StringComparer.Ordinal).ToList(), errors);
    }

    public static (DiscoveredPlugin? Plugin, string? Error) Read(string manifestPath)
    {
        PluginManifest? m;
        try
        {
            m = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(manifestPath));
        }
        catch (JsonException e)
        {
            return (null, $"{manifestPath}: invalid JSON: {e.Message.Split('\n')[0]}");
        }
        catch (IOException e)
        {
            return (null, $"{manifestPath}: {e.Message}");
        }
        if (m is null) return (null, $"{manifestPath}: empty manifest");
        if (string.IsNullOrWhiteSpace(m.Name)) return (null, $"{manifestPath}: name: required");
        if (m.Type is not (PluginTypes.Driver or PluginTypes.Fingerprint))
            return (null, $"{manifestPath}: type: must be \"driver\" or \"fingerprint\", got \"{m.Type}\"");
        if (string.IsNullOrWhiteSpace(m.Entry)) return (null, $"{manifestPath}: entry: required");
        var dir = Path.GetDirectoryName(manifestPath)!;
        var entry = Path.Combine(dir, m.Entry);
        if (!File.Exists(entry)) return (null, $"{manifestPath}: entry: \"{m.Entry}\" does not exist");
        var stamp = $"{File.GetLastWriteTimeUtc(manifestPath).Ticks}:{File.GetLastWriteTimeUtc(entry).Ticks}";
        return (new DiscoveredPlugin(m, dir, stamp), null);
    }
}
