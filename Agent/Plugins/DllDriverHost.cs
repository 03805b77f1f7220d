using McMaster.NETCore.Plugins;
using Nomad.Contracts;

namespace Nomad.Agent.Plugins;

/// <summary>
/// Serves a driver that ships as a .dll: loads it in its own load context (Contracts shared), makes the one
/// public <see cref="IDriverPlugin"/> type it holds (constructor taking <see cref="IDriverHost"/>, or none)
/// and serves it on this process's stdio. This runs in a process of its own (`nomad plugin-host`), never
/// in the agent, so a crashing driver stays isolated.
/// </summary>
public static class DllDriverHost
{
    public static async Task<int> RunAsync(string dllPath)
    {
        if (!File.Exists(dllPath))
        {
            await Console.Error.WriteLineAsync($"[ERROR] plugin-host: no such file: {dllPath}").ConfigureAwait(false);
            return 1;
        }
        var loader = PluginLoader.CreateFromAssemblyFile(Path.GetFullPath(dllPath), sharedTypes: [typeof(IDriverPlugin)], c => c.PreferSharedTypes = true);
        var types = loader.LoadDefaultAssembly().GetExportedTypes()
            .Where(t => typeof(IDriverPlugin).IsAssignableFrom(t) && t is { IsAbstract: false, IsInterface: false })
            .ToList();
        if (types.Count != 1)
        {
            await Console.Error.WriteLineAsync($"[ERROR] plugin-host: {dllPath} must export exactly one IDriverPlugin type, found {types.Count}").ConfigureAwait(false);
            return 1;
        }
        var type = types[0];
        var withHost = type.GetConstructor([typeof(IDriverHost)]);
        var plain = type.GetConstructor(Type.EmptyTypes);
        if (withHost is null && plain is null)
        {
            await Console.Error.WriteLineAsync($"[ERROR] plugin-host: {type.FullName} needs a constructor taking IDriverHost or none").ConfigureAwait(false);
            return 1;
        }
        return await DriverServer.RunAsync(host => (IDriverPlugin)(withHost is not null ? withHost.Invoke([host]) : plain!.Invoke([]))).ConfigureAwait(false);
    }
}
