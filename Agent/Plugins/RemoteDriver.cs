using System.Text.Json;
using Nomad.Contracts;
using StreamJsonRpc;
using M = Nomad.Contracts.PluginProtocol.Methods;

namespace Nomad.Agent.Plugins;

/// <summary>An <see cref="IDriverPlugin"/> in another process, called over JSON-RPC by the protocol's method names.</summary>
public sealed class RemoteDriver(JsonRpc rpc) : IDriverPlugin
{
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

    private Task<T> Call<T>(string method, object?[] args, CancellationToken ct) => rpc.InvokeWithCancellationAsync<T>(method, args, ct);
    private Task Call(string method, object?[] args, CancellationToken ct) => rpc.InvokeWithCancellationAsync(method, args, ct);
}
