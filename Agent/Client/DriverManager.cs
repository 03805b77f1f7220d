using System.Collections.Concurrent;
using System.Text.Json;
using Nomad.Agent.Logging;
using Nomad.Agent.Plugins;
using Nomad.Agent.Structs;
using Nomad.Contracts;

namespace Nomad.Agent.Client;

/// <summary>
/// The client's drivers: one <see cref="DriverSupervisor"/> per driver plugin found, their health for the
/// node, and the attributes they contribute. Drivers come and go as plugins are added and removed.
/// </summary>
public sealed class DriverManager(Func<string, JsonElement> configFor, DriverSupervisorOptions options, Logger log) : IAsyncDisposable
{
    private readonly ConcurrentDictionary<string, DriverSupervisor> _drivers = new();
    private readonly ConcurrentDictionary<string, DriverInfo> _removed = new();

    /// <summary>Raised when any driver's health or attributes change.</summary>
    public event Action? Changed;

    /// <summary>Raised when a driver process was restarted and its tasks must be re-attached.</summary>
    public event Func<DriverSupervisor, Task>? Restarted;

    /// <summary>Raised when any driver reports progress on one of its tasks.</summary>
    public event Action<DriverTaskEvent>? TaskEvent;

    public DriverSupervisor? Get(string name) => _drivers.TryGetValue(name, out var d) ? d : null;

    public IReadOnlyCollection<DriverSupervisor> All => _drivers.Values.ToList();

    /// <summary>Starts a supervisor for <paramref name="plugin"/> (replacing one of the same name) and waits for its first fingerprint.</summary>
    public async Task AddAsync(DiscoveredPlugin plugin, TimeSpan firstFingerprintTimeout)
    {
        var name = plugin.Manifest.Name;
        if (_drivers.TryRemove(name, out var old)) await old.DisposeAsync().ConfigureAwait(false);
        _removed.TryRemove(name, out _);
        var supervisor = new DriverSupervisor(plugin, configFor(name), options, log);
        supervisor.Changed += _ => Changed?.Invoke();
        supervisor.Restarted += s => Restarted?.Invoke(s) ?? Task.CompletedTask;
        supervisor.TaskEvent += e => TaskEvent?.Invoke(e);
        _drivers[name] = supervisor;
        supervisor.Start();
        await Task.WhenAny(supervisor.FirstFingerprint, Task.Delay(firstFingerprintTimeout)).ConfigureAwait(false);
        var info = supervisor.Info;
        log.Debug($"initial driver fingerprint: driver={name} health={(info.Healthy ? "healthy" : info.Detected ? "unhealthy" : "undetected")} description=\"{info.HealthDescription}\"");
    }

    /// <summary>Stops the driver of a removed plugin; it stays listed as undetected.</summary>
    public async Task RemoveAsync(string name)
    {
        if (!_drivers.TryRemove(name, out var supervisor)) return;
        await supervisor.DisposeAsync().ConfigureAwait(false);
        _removed[name] = new DriverInfo { Detected = false, Healthy = false, HealthDescription = "plugin removed", UpdateTime = DateTime.UtcNow };
        log.Info($"driver plugin removed: driver={name}");
        Changed?.Invoke();
    }

    /// <summary>
    /// Waits until driver <paramref name="name"/> is connected through a process other than the one behind
    /// <paramref name="previous"/> (null: any). Restarts are rare and back off for seconds, so a short poll is enough.
    /// </summary>
    public async Task WaitForRestartAsync(string name, IDriverPlugin? previous, CancellationToken ct)
    {
        while (!(Get(name)?.Driver is { } d && !ReferenceEquals(d, previous)))
            await Task.Delay(50, ct).ConfigureAwait(false);
    }

    /// <summary>Every driver's info, as Node.Drivers.</summary>
    public Dictionary<string, DriverInfo> Infos()
    {
        var infos = _removed.ToDictionary(kv => kv.Key, kv => kv.Value);
        foreach (var (name, d) in _drivers) infos[name] = d.Info;
        return infos;
    }

    /// <summary>Attributes detected drivers add to the node: whatever each driver reports (by convention `driver.NAME`).</summary>
    public Dictionary<string, string> Attributes()
    {
        var attrs = new Dictionary<string, string>();
        foreach (var (name, d) in _drivers)
        {
            if (!d.Info.Detected) continue;
            foreach (var (k, v) in d.Info.Attributes ?? []) attrs[k] = v;
        }
        return attrs;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var d in _drivers.Values) await d.DisposeAsync().ConfigureAwait(false);
        _drivers.Clear();
    }
}
