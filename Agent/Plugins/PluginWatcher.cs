using Nomad.Agent.Logging;

namespace Nomad.Agent.Plugins;

/// <summary>
/// Scans the plugin directories at start and then every <c>interval</c>, and reports plugins that appeared,
/// changed (new files) or disappeared, so plugins are picked up and dropped without restarting the agent.
/// </summary>
public sealed class PluginWatcher(IReadOnlyList<string> roots, TimeSpan interval, Logger log) : IAsyncDisposable
{
    private readonly Dictionary<string, DiscoveredPlugin> _known = new(StringComparer.Ordinal);
    private readonly HashSet<string> _reportedErrors = new(StringComparer.Ordinal);
    private readonly CancellationTokenSource _stop = new();
    private Task _loop = Task.CompletedTask;

    /// <summary>Called for each new or changed plugin, in name order.</summary>
    public Func<DiscoveredPlugin, Task> Added { get; set; } = _ => Task.CompletedTask;

    /// <summary>Called with the name of each plugin whose folder or manifest is gone.</summary>
    public Func<string, Task> Removed { get; set; } = _ => Task.CompletedTask;

    public IReadOnlyList<string> Roots => roots;

    /// <summary>Runs the first scan (waiting for its callbacks), then keeps watching in the background.</summary>
    public async Task StartAsync()
    {
        await ScanAsync().ConfigureAwait(false);
        _loop = Task.Run(WatchAsync);
    }

    private async Task WatchAsync()
    {
        using var timer = new PeriodicTimer(interval);
        try
        {
            while (await timer.WaitForNextTickAsync(_stop.Token).ConfigureAwait(false))
                await ScanAsync().ConfigureAwait(false);
        }
        catch (OperationCanceledException) { }
    }

    /// <summary>One scan: reports what changed since the last one.</summary>
    public async Task ScanAsync()
    {
        var result = PluginDiscovery.Scan(roots);
        foreach (var error in result.Errors.Where(_reportedErrors.Add))
            log.Error($"skipping plugin: {error}");
        var seen = result.Plugins.ToDictionary(p => p.Manifest.Name, StringComparer.Ordinal);
        var fresh = new List<DiscoveredPlugin>();
        foreach (var plugin in result.Plugins)
        {
            if (_known.TryGetValue(plugin.Manifest.Name, out var old) && old.Stamp == plugin.Stamp && old.Directory == plugin.Directory) continue;
            _known[plugin.Manifest.Name] = plugin;
            log.Info($"detected plugin: name={plugin.Manifest.Name} type={plugin.Manifest.Type} plugin_version={plugin.Manifest.Version}");
            fresh.Add(plugin);
        }
        // Plugins start side by side: each driver's start-up is a process launch worth overlapping.
        await Task.WhenAll(fresh.Select(p => Safe(() => Added(p), p.Manifest.Name))).ConfigureAwait(false);
        foreach (var gone in _known.Keys.Where(k => !seen.ContainsKey(k)).ToList())
        {
            _known.Remove(gone);
            log.Info($"plugin removed: name={gone}");
            await Safe(() => Removed(gone), gone).ConfigureAwait(false);
        }
    }

    private async Task Safe(Func<Task> action, string name)
    {
        try { await action().ConfigureAwait(false); }
        catch (Exception e) { log.Error($"failed to load plugin: name={name} error=\"{e.Message}\""); }
    }

    public async ValueTask DisposeAsync()
    {
        _stop.Cancel();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}
