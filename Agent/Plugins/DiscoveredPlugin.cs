using Nomad.Contracts;

namespace Nomad.Agent.Plugins;

/// <summary>A plugin folder with a readable manifest.</summary>
/// <param name="Manifest">What plugin.json says.</param>
/// <param name="Directory">The plugin's folder.</param>
/// <param name="Stamp">Changes when the plugin's files change (manifest and entry write times), for hot-plug.</param>
public sealed record DiscoveredPlugin(PluginManifest Manifest, string Directory, string Stamp)
{
    public string EntryPath => Path.GetFullPath(Path.Combine(Directory, Manifest.Entry));
    public bool IsDriver => Manifest.Type == PluginTypes.Driver;
    public bool IsFingerprint => Manifest.Type == PluginTypes.Fingerprint;
}
