using Docker.DotNet;
using Nomad.Contracts;

namespace Nomad.Drivers.Docker;

/// <summary>
/// The driver's fingerprint from the daemon: <c>driver.docker</c>, its version, runtimes and OS type when the
/// daemon answers; otherwise undetected (never reached) or unhealthy (reached before), with the reason.
/// Polled every few seconds; a change is pushed to the agent.
/// </summary>
internal sealed class DaemonFingerprint(Func<DockerClient> docker, Func<DockerPluginConfig> config, IDriverHost host) : IDisposable
{
    public static readonly TimeSpan Period = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan CallTimeout = TimeSpan.FromSeconds(5);
    private readonly CancellationTokenSource _stop = new();
    private DriverFingerprint? _last;
    private bool _everDetected;
    private Task? _loop;
    private readonly SemaphoreSlim _checking = new(1, 1); // the poll and a failed call may refresh at once

    public async Task<DriverFingerprint> CheckAsync(CancellationToken ct = default)
    {
        var cfg = config();
        DriverFingerprint fp;
        try
        {
            using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
            cts.CancelAfter(CallTimeout);
            var client = docker();
            var version = await client.System.GetVersionAsync(cts.Token).ConfigureAwait(false);
            var info = await client.System.GetSystemInfoAsync(cts.Token).ConfigureAwait(false);
            var attrs = new Dictionary<string, string>
            {
                ["driver.docker"] = "1",
                ["driver.docker.version"] = version.Version ?? "",
                ["driver.docker.os_type"] = info.OSType ?? version.Os ?? "",
                ["driver.docker.runtimes"] = string.Join(",", (info.Runtimes?.Keys ?? []).Order(StringComparer.Ordinal)),
                ["driver.docker.api_version"] = version.APIVersion ?? "",
            };
            if (cfg.AllowPrivileged) attrs["driver.docker.privileged.enabled"] = "true";
            if (cfg.VolumesEnabled) attrs["driver.docker.volumes.enabled"] = "true";
            _everDetected = true;
            fp = new DriverFingerprint(DriverHealth.Healthy, "Healthy", attrs);
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            var why = e is OperationCanceledException or TimeoutException ? $"no answer within {CallTimeout.TotalSeconds:0}s" : Reason(e);
            fp = new DriverFingerprint(_everDetected ? DriverHealth.Unhealthy : DriverHealth.Undetected,
                $"Failed to connect to docker daemon at {cfg.Endpoint}: {why}", new());
        }
        return fp;
    }

    private static string Reason(Exception e)
    {
        while (e.InnerException is { } inner && (e is HttpRequestException || e.Message.Length == 0 || e is DockerApiException { ResponseBody: null })) e = inner;
        return e.Message;
    }

    /// <summary>
    /// The fingerprint for the handshake; starts the watch on first use. SetConfig has usually just checked the
    /// daemon, so that answer is reused rather than asking the daemon twice in a row.
    /// </summary>
    public async Task<DriverFingerprint> CurrentAsync(CancellationToken ct)
    {
        var fp = _last ?? await CheckAsync(ct).ConfigureAwait(false);
        _last = fp;
        _loop ??= Task.Run(WatchAsync);
        return fp;
    }

    /// <summary>Re-checks at once (the configuration changed, or a call failed as if the daemon were gone).</summary>
    public async Task RefreshAsync()
    {
        await _checking.WaitAsync(_stop.Token).ConfigureAwait(false);
        try
        {
            var fp = await CheckAsync(_stop.Token).ConfigureAwait(false);
            await PublishIfChanged(fp).ConfigureAwait(false);
        }
        finally { _checking.Release(); }
    }

    private async Task WatchAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Period, _stop.Token).ConfigureAwait(false);
                await RefreshAsync().ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (_stop.IsCancellationRequested) { return; }
            catch (Exception e) { Console.Error.WriteLine($"[WARN]  docker: fingerprint failed: {e.Message}"); }
        }
    }

    private async Task PublishIfChanged(DriverFingerprint fp)
    {
        var last = _last;
        _last = fp;
        if (last is not null && last.Health == fp.Health && last.HealthDescription == fp.HealthDescription
            && last.Attributes.Count == fp.Attributes.Count && !last.Attributes.Except(fp.Attributes).Any()) return;
        Console.Error.WriteLine($"[INFO]  docker: health={fp.Health} description=\"{fp.HealthDescription}\"");
        await host.PublishFingerprintAsync(fp).ConfigureAwait(false);
    }

    public void Dispose() => _stop.Cancel();
}
