using System.Text.Json;
using McMaster.NETCore.Plugins;

namespace Nomad.Fingerprints.Tests;

/// <summary>The built plugin folder loads as the agent loads it: plugin.json, McMaster, shared contract types.</summary>
public sealed class PluginLoadTests
{
    /// <summary>The plugin project's own output folder (same configuration and framework as this test build).</summary>
    private static string PluginDir()
    {
        // .../Plugins/Fingerprints/Builtin.Tests/bin/<Configuration>/<tfm>/
        var testDir = new DirectoryInfo(AppContext.BaseDirectory.TrimEnd('/'));
        var tfm = testDir.Name;
        var configuration = testDir.Parent!.Name;
        var fingerprints = testDir.Parent.Parent!.Parent!.Parent!.FullName;
        return Path.Combine(fingerprints, "Builtin", "bin", configuration, tfm);
    }

    [Test]
    public async Task The_plugin_folder_loads_with_McMaster_and_every_fingerprinter_runs()
    {
        var dir = PluginDir();
        var manifest = JsonSerializer.Deserialize<PluginManifest>(File.ReadAllText(Path.Combine(dir, PluginManifest.FileName)))!;
        Assert.That(manifest, Is.EqualTo(new PluginManifest
        {
            Name = "builtin-fingerprints", Type = "fingerprint", Version = "0.1.0", Entry = "Nomad.Fingerprints.Builtin.dll",
        }).Using<PluginManifest>((a, b) => a.Name == b.Name && a.Type == b.Type && a.Version == b.Version && a.Entry == b.Entry));
        Assert.That(File.Exists(Path.Combine(dir, "Nomad.Contracts.dll")), Is.False, "the plugin must not ship its own contracts");

        using var loader = PluginLoader.CreateFromAssemblyFile(Path.Combine(dir, manifest.Entry),
            sharedTypes: [typeof(IFingerprintPlugin), typeof(FingerprintRequest), typeof(FingerprintResponse)]);
        var assembly = loader.LoadDefaultAssembly();
        var plugins = assembly.GetTypes()
            .Where(t => typeof(IFingerprintPlugin).IsAssignableFrom(t) && !t.IsAbstract && t.GetConstructor(Type.EmptyTypes) is not null)
            .Select(t => (IFingerprintPlugin)Activator.CreateInstance(t)!)
            .ToList();

        Assert.That(plugins.Select(p => p.Name), Is.EquivalentTo(new[]
        {
            "arch", "cgroup", "cpu", "env_aws", "env_gce", "host", "memory", "network", "nomad", "signal", "storage",
        }));
        Assert.That(plugins.Single(p => p.Name == "cgroup").Period, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(plugins.Where(p => p.Name != "cgroup").Select(p => p.Period), Is.All.Null);

        // Every fingerprinter answers on this machine; print what this node would report.
        var attrs = new SortedDictionary<string, string?>(StringComparer.Ordinal);
        var logs = new List<string>();
        var request = new FingerprintRequest
        {
            AllocDir = Path.GetTempPath(),
            NetworkInterface = "lo",
            AgentVersion = "0.1.0",
            AgentRevision = "dev",
            HttpAdvertise = "127.0.0.1:4646",
            Log = (level, msg) => { lock (logs) logs.Add($"[{level}] {msg}"); },
        };
        foreach (var p in plugins.OrderBy(p => p.Name))
        {
            var r = await p.FingerprintAsync(request);
            if (p.Name is "env_aws" or "env_gce") { Assert.That(r.Detected, Is.False, p.Name); continue; }
            Assert.That(r.Detected, Is.True, p.Name);
            foreach (var (k, v) in r.Attributes) attrs[k] = v;
            if (r.Resources is { } res) TestContext.Out.WriteLine($"{p.Name} resources: {JsonSerializer.Serialize(res)}");
        }
        foreach (var (k, v) in attrs) TestContext.Out.WriteLine($"{k,-30} = {v}");
        foreach (var line in logs) TestContext.Out.WriteLine(line);
    }
}
