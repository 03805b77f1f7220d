using McMaster.NETCore.Plugins;
using Nomad.Contracts;

namespace Nomad.Agent.Plugins;

/// <summary>
/// Loads a fingerprint plugin's assembly in its own load context (Contracts shared, so the interface
/// types match) and makes one instance of every public <see cref="IFingerprintPlugin"/> in it.
/// </summary>
public static class FingerprintPluginLoader
{
    public static IReadOnlyList<IFingerprintPlugin> Load(DiscoveredPlugin plugin)
    {
        var loader = PluginLoader.CreateFromAssemblyFile(plugin.EntryPath, sharedTypes: [typeof(IFingerprintPlugin)], config => config.PreferSharedTypes = true);
        var assembly = loader.LoadDefaultAssembly();
        return assembly.GetExportedTypes()
            .Where(t => typeof(IFingerprintPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false } && t.GetConstructor(Type.EmptyTypes) is not null)
            .OrderBy(t => t.FullName, StringComparer.Ordinal)
            .Select(t => (IFingerprintPlugin)Activator.CreateInstance(t)!)
            .ToList();
    }
}
