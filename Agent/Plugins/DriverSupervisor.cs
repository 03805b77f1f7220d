using System.Text.Json;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;
using Nomad.Contracts;

namespace Nomad.Agent.Plugins;

/// <summary>
/// Keeps one driver plugin process alive: starts it, checks the handshake, hands it its config, follows its
/// fingerprint, pings it, and when it dies, hangs or writes garbage, kills it and starts it again with
/// backoff (5 s doubling to 2 min, as Nomad's). Meanwhile the driver shows unhealthy with the reason.
/// Tasks live on under their shims; <see cref="Restarted"/> tells the client to re-attach them.
/// </summary>
public sealed class DriverSupervisor : IAsyncDisposable
{
    private readonly DiscoveredPlugin _plugin;
    private readonly JsonElement _config;
    private readonly Logger _log;
    private readonly Logger _pluginLog;
    private readonly DriverSupervisorOptions _options;
    private readonly CancellationTokenSource _stop = new();
    private readonly TaskCompletionSource _firstFingerprint = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private DriverProcess? _process;
    private Task _loop = Task.CompletedTask;
    private int _starts;

    public DriverSupervisor(DiscoveredPlugin plugin, JsonElement config, DriverSupervisorOptions options, Logger log)
    {
        _plugin = plugin;
        _config = config;
        _options = options;
        _log = log;
        _pluginLog = log.Sink.For($"plugin.{plugin.Manifest.Name}");
        Info = new DriverInfo { Detected = false, Healthy = false, HealthDescription = "starting", UpdateTime = DateTime.UtcNow };
    }

    public string Name => _plugin.Manifest.Name;
    public DiscoveredPlugin Plugin => _plugin;

    /// <summary>The driver's state as the node reports it.</summary>
    public DriverInfo Info { get; private set; }

    /// <summary>The driver while its process is up and past the handshake; null otherwise.</summary>
    public IDriverPlugin? Driver { get; private set; }

    /// <summary>Raised whenever <see cref="Info"/> changes.</summary>
    public event Action<DriverSupervisor>? Changed;

    /// <summary>Raised after a restarted process passed its handshake (not on the first start): re-attach tasks now.</summary>
    public event Func<DriverSupervisor, Task>? Restarted;

    /// <summary>Raised when the driver reports progress on one of its tasks (plugin → agent <c>TaskEvent</c>).</summary>
    public event Action<DriverTaskEvent>? TaskEvent;

    /// <summary>Completes once the driver reported its first fingerprint or failed to start the first time.</summary>
    public Task FirstFingerprint => _firstFingerprint.Task;

    public int Pid => _process?.Pid ?? 0;

    public void Start() => _loop = Task.Run(() => SuperviseAsync(_stop.Token));

    private async Task SuperviseAsync(CancellationToken ct)
    {
        var backoff = _options.InitialBackoff;
        while (!ct.IsCancellationRequested)
        {
            var started = DateTime.UtcNow;
            var reason = await RunOnceAsync(ct).ConfigureAwait(false);
            if (ct.IsCancellationRequested) return;
            // A plugin that ran well for a while before failing starts the backoff over.
            if (DateTime.UtcNow - started > _options.MaxBackoff) backoff = _options.InitialBackoff;
            _log.Error($"plugin failed: plugin={Name} reason=\"{reason}\"; restarting in {backoff.TotalSeconds:0.#}s");
            SetInfo(unhealthy: reason, detected: Info.Detected);
            _firstFingerprint.TrySetResult();
            try { await Task.Delay(backoff, ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            backoff = TimeSpan.FromTicks(Math.Min(backoff.Ticks * 2, _options.MaxBackoff.Ticks));
        }
    }

    /// <summary>One life of the process; returns why it ended.</summary>
    private async Task<string> RunOnceAsync(CancellationToken ct)
    {
        DriverProcess process;
        RemoteDriver? remote = null;
        try
        {
            process = DriverProcess.Start(_plugin, _options.DllHost, _pluginLog, rpc =>
            {
                rpc.AddLocalRpcMethod(PluginProtocol.Methods.FingerprintChanged, new Action<DriverFingerprint>(OnFingerprint));
                rpc.AddLocalRpcMethod(PluginProtocol.Methods.TaskEvent, new Action<DriverTaskEvent>(e => TaskEvent?.Invoke(e)));
                remote = RemoteDriver.Attach(rpc);
            });
        }
        catch (Exception e)
        {
            return $"cannot start plugin: {e.Message}";
        }
        _process = process;
        var driver = remote!;
        try
        {
            // A JSON-RPC call's own cancellation waits for the plugin to answer the cancel, which a hung
            // plugin never does: the deadline is on our side of the wait instead.
            var deadline = DateTime.UtcNow + _options.HandshakeTimeout;
            var info = await Within(driver.PluginInfoAsync(ct), deadline, ct).ConfigureAwait(false);
            if (info.ProtocolVersion != PluginProtocol.Version)
                return $"protocol version mismatch: plugin {Name} speaks {info.ProtocolVersion}, agent speaks {PluginProtocol.Version}";
            var config = await Within(driver.SetConfigAsync(_config, ct), deadline, ct).ConfigureAwait(false);
            if (config.Errors.Count > 0) return $"invalid plugin config: {string.Join("; ", config.Errors)}";
            OnFingerprint(await Within(driver.FingerprintAsync(ct), deadline, ct).ConfigureAwait(false));
            Driver = driver;
            if (Interlocked.Increment(ref _starts) > 1 && Restarted is { } restarted) await restarted(this).ConfigureAwait(false);
            return await PingUntilEndAsync(process, driver, ct).ConfigureAwait(false);
        }
        catch (Exception e) when (!ct.IsCancellationRequested)
        {
            // A call fails as soon as the pipe breaks; the process's own ending says more, if it comes.
            if (e is not TimeoutException) await Task.WhenAny(process.Ended, Task.Delay(TimeSpan.FromSeconds(2), CancellationToken.None)).ConfigureAwait(false);
            return process.Ended.IsCompleted ? await process.Ended.ConfigureAwait(false) : $"handshake failed: {e.Message.Split('\n')[0]}";
        }
        catch (OperationCanceledException)
        {
            return "agent stopping";
        }
        finally
        {
            Driver = null;
            _process = null;
            await process.DisposeAsync().ConfigureAwait(false);
        }
    }

    /// <summary>Pings the plugin until its session ends or a ping goes unanswered (a hung plugin).</summary>
    private async Task<string> PingUntilEndAsync(DriverProcess process, IDriverPlugin driver, CancellationToken ct)
    {
        while (true)
        {
            var tick = Task.Delay(_options.PingInterval, ct);
            var done = await Task.WhenAny(process.Ended, tick).ConfigureAwait(false);
            if (done == process.Ended) return await process.Ended.ConfigureAwait(false);
            ct.ThrowIfCancellationRequested();
            try { await driver.PluginInfoAsync(ct).WaitAsync(_options.PingTimeout, ct).ConfigureAwait(false); }
            catch (TimeoutException)
            {
                return $"plugin did not answer a health check within {_options.PingTimeout.TotalSeconds:0.#}s";
            }
        }
    }

    private static Task<T> Within<T>(Task<T> call, DateTime deadline, CancellationToken ct) =>
        call.WaitAsync(deadline - DateTime.UtcNow is var left && left > TimeSpan.Zero ? left : TimeSpan.Zero, ct);

    private void OnFingerprint(DriverFingerprint fp)
    {
        var detected = fp.Health != DriverHealth.Undetected;
        var healthy = fp.Health == DriverHealth.Healthy;
        var description = string.IsNullOrEmpty(fp.HealthDescription) ? (healthy ? "Healthy" : "") : fp.HealthDescription;
        if (Info.Detected == detected && Info.Healthy == healthy && Info.HealthDescription == description && SameAttributes(Info.Attributes, fp.Attributes)) 
        {
            _firstFingerprint.TrySetResult();
            return;
        }
        Info = new DriverInfo { Detected = detected, Healthy = healthy, HealthDescription = description, Attributes = detected ? fp.Attributes : null, UpdateTime = DateTime.UtcNow };
        _log.Debug($"driver fingerprint: driver={Name} health={fp.Health} description=\"{description}\"");
        _firstFingerprint.TrySetResult();
        Changed?.Invoke(this);
    }

    private void SetInfo(string unhealthy, bool detected)
    {
        Info = new DriverInfo { Detected = detected, Healthy = false, HealthDescription = unhealthy, Attributes = Info.Attributes, UpdateTime = DateTime.UtcNow };
        Changed?.Invoke(this);
    }

    private static bool SameAttributes(Dictionary<string, string>? a, Dictionary<string, string>? b) =>
        (a is null || a.Count == 0) && (b is null || b.Count == 0) || a is not null && b is not null && a.Count == b.Count && !a.Except(b).Any();

    /// <summary>Marks the driver undetected (its plugin was removed) and stops its process.</summary>
    public async Task RemoveAsync()
    {
        await DisposeAsync().ConfigureAwait(false);
        Info = new DriverInfo { Detected = false, Healthy = false, HealthDescription = "plugin removed", UpdateTime = DateTime.UtcNow };
        Changed?.Invoke(this);
    }

    public async ValueTask DisposeAsync()
    {
        if (_stop.IsCancellationRequested) return;
        _stop.Cancel();
        try { await _loop.ConfigureAwait(false); } catch (OperationCanceledException) { }
        _stop.Dispose();
    }
}

/// <summary>Timings and how to host a .dll driver.</summary>
public sealed record DriverSupervisorOptions
{
    /// <summary>The command that hosts a .dll driver: the agent's own executable with `plugin-host` (the .dll path is appended).</summary>
    public required string[] DllHost { get; init; }
    public TimeSpan HandshakeTimeout { get; init; } = TimeSpan.FromSeconds(10);
    public TimeSpan PingInterval { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan PingTimeout { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan InitialBackoff { get; init; } = TimeSpan.FromSeconds(5);
    public TimeSpan MaxBackoff { get; init; } = TimeSpan.FromMinutes(2);
}
