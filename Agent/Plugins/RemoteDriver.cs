using System.Collections.Concurrent;
using System.Text.Json;
using Nomad.Contracts;
using StreamJsonRpc;
using M = Nomad.Contracts.PluginProtocol.Methods;

namespace Nomad.Agent.Plugins;

/// <summary>An <see cref="IDriverPlugin"/> in another process, called over JSON-RPC by the protocol's method names.</summary>
public sealed class RemoteDriver(JsonRpc rpc) : IDriverPlugin
{
    private readonly ConcurrentDictionary<string, ExecStreamRelay<ExecOutput>> _execs = new();

    /// <summary>A proxy that also takes the plugin's streaming-exec output; call before <paramref name="rpc"/> starts listening.</summary>
    public static RemoteDriver Attach(JsonRpc rpc)
    {
        var driver = new RemoteDriver(rpc);
        rpc.AddLocalRpcMethod(M.ExecStreamOutput, new Action<string, long, ExecOutput>(driver.OnExecOutput));
        return driver;
    }

    public Task<PluginInfo> PluginInfoAsync(CancellationToken ct = default) => Call<PluginInfo>(M.PluginInfo, [], ct);
    public Task<ValidationResult> SetConfigAsync(JsonElement config, CancellationToken ct = default) => Call<ValidationResult>(M.SetConfig, [config], ct);
    public Task<ValidationResult> ValidateTaskConfigAsync(JsonElement config, CancellationToken ct = default) => Call<ValidationResult>(M.ValidateTaskConfig, [config], ct);
    public Task<DriverCapabilities> CapabilitiesAsync(CancellationToken ct = default) => Call<DriverCapabilities>(M.Capabilities, [], ct);
    public Task<DriverFingerprint> FingerprintAsync(CancellationToken ct = default) => Call<DriverFingerprint>(M.Fingerprint, [], ct);
    public Task<TaskHandle> StartTaskAsync(TaskConfig task, CancellationToken ct = default) => Call<TaskHandle>(M.StartTask, [task], ct);
    public Task<ExitResult> WaitTaskAsync(string taskId, CancellationToken ct = default) => Call<ExitResult>(M.WaitTask, [taskId], ct);
    public Task StopTaskAsync(string taskId, long timeoutMs, string signal, CancellationToken ct = default) => Call(M.StopTask, [taskId, timeoutMs, signal], ct);
    public Task DestroyTaskAsync(string taskId, bool force, CancellationToken ct = default) => Call(M.DestroyTask, [taskId, force], ct);
    public Task<Contracts.TaskStatus> InspectTaskAsync(string taskId, CancellationToken ct = default) => Call<Contracts.TaskStatus>(M.InspectTask, [taskId], ct);
    public Task RecoverTaskAsync(TaskHandle handle, CancellationToken ct = default) => Call(M.RecoverTask, [handle], ct);
    public Task<TaskResourceUsage> TaskStatsAsync(string taskId, CancellationToken ct = default) => Call<TaskResourceUsage>(M.TaskStats, [taskId], ct);
    public Task SignalTaskAsync(string taskId, string signal, CancellationToken ct = default) => Call(M.SignalTask, [taskId, signal], ct);
    public Task<ExecResult> ExecTaskAsync(string taskId, string[] command, long timeoutMs, CancellationToken ct = default) => Call<ExecResult>(M.ExecTask, [taskId, command, timeoutMs], ct);


    /// <summary>
    /// ExecTaskStreaming: the user's input goes out as numbered ExecStreamInput notifications, the plugin's numbered
    /// ExecStreamOutput notifications come back in order; the exit code is returned once every output frame the
    /// plugin counted in its answer was written.
    /// </summary>
    public async Task<int> ExecTaskStreamingAsync(string taskId, string[] command, bool tty, IExecStream stream, CancellationToken ct = default)
    {
        var execId = Guid.NewGuid().ToString("N");
        var relay = new ExecStreamRelay<ExecOutput>();
        _execs[execId] = relay;
        using var session = CancellationTokenSource.CreateLinkedTokenSource(ct);
        try
        {
            var call = rpc.InvokeWithCancellationAsync<ExecStreamResult>(M.ExecTaskStreaming, [taskId, execId, command, tty], session.Token);
            _ = ForwardInputAsync(execId, relay, stream, session.Token);
            var output = ForwardOutputAsync(relay, stream, session.Token);
            var result = await call.ConfigureAwait(false);
            relay.ExpectTotal(result.OutputFrames);
            await output.ConfigureAwait(false);
            return result.ExitCode;
        }
        finally
        {
            session.Cancel();
            relay.Complete();
            _execs.TryRemove(execId, out _);
        }
    }

    private void OnExecOutput(string execId, long seq, ExecOutput output)
    {
        if (_execs.TryGetValue(execId, out var relay)) relay.Deliver(seq, output);
    }

    private async Task ForwardInputAsync(string execId, ExecStreamRelay<ExecOutput> relay, IExecStream stream, CancellationToken ct)
    {
        try
        {
            while (await stream.ReadInputAsync(ct).ConfigureAwait(false) is { } input)
                await rpc.NotifyAsync(M.ExecStreamInput, execId, relay.NextSendSeq(), input).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ConnectionLostException or ObjectDisposedException) { }
    }

    private static async Task ForwardOutputAsync(ExecStreamRelay<ExecOutput> relay, IExecStream stream, CancellationToken ct)
    {
        while (await relay.ReadAsync(ct).ConfigureAwait(false) is { } output)
            await stream.WriteOutputAsync(output, ct).ConfigureAwait(false);
    }

    private Task<T> Call<T>(string method, object?[] args, CancellationToken ct) => rpc.InvokeWithCancellationAsync<T>(method, args, ct);
    private Task Call(string method, object?[] args, CancellationToken ct) => rpc.InvokeWithCancellationAsync(method, args, ct);
}
