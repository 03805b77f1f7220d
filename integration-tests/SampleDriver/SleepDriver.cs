using System.Collections.Concurrent;
using System.Text.Json;
using Nomad.Contracts;

namespace Nomad.SampleDriver;

/// <summary>
/// The smallest useful driver: a task "runs" for <c>config.ms</c> milliseconds and exits 0. It shows the
/// SDK's shape; a real driver keeps its tasks alive outside its own process (see raw_exec's shim).
/// </summary>
public sealed class SleepDriver(IDriverHost host) : IDriverPlugin
{
    private readonly ConcurrentDictionary<string, (DateTime Started, Task<ExitResult> Exit)> _tasks = new();

    public IDriverHost Host { get; } = host;

    public Task<PluginInfo> PluginInfoAsync(CancellationToken ct = default) => Task.FromResult(new PluginInfo("sleep", PluginTypes.Driver, "0.1.0", PluginProtocol.Version));
    public Task<ValidationResult> SetConfigAsync(JsonElement config, CancellationToken ct = default) => Task.FromResult(ValidationResult.Ok);
    public Task<ValidationResult> ValidateTaskConfigAsync(JsonElement config, CancellationToken ct = default) =>
        Task.FromResult(config.TryGetProperty("ms", out var ms) && ms.ValueKind == JsonValueKind.Number ? ValidationResult.Ok : new ValidationResult(["config.ms: required number"]));
    public Task<DriverCapabilities> CapabilitiesAsync(CancellationToken ct = default) => Task.FromResult(new DriverCapabilities(false, false, "none"));
    public Task<DriverFingerprint> FingerprintAsync(CancellationToken ct = default) => Task.FromResult(new DriverFingerprint(DriverHealth.Healthy, "Healthy", new() { ["driver.sleep"] = "1" }));

    public Task<TaskHandle> StartTaskAsync(TaskConfig task, CancellationToken ct = default)
    {
        var ms = task.DriverConfig.GetProperty("ms").GetInt32();
        _tasks[task.ID] = (DateTime.UtcNow, Task.Delay(ms).ContinueWith(_ => new ExitResult(0)));
        return Task.FromResult(new TaskHandle(task, TaskStates.Running, JsonSerializer.SerializeToElement(new { ms })));
    }

    public Task<ExitResult> WaitTaskAsync(string taskId, CancellationToken ct = default) => _tasks[taskId].Exit.WaitAsync(ct);
    public Task StopTaskAsync(string taskId, long timeoutMs, string signal, CancellationToken ct = default) => Task.CompletedTask;
    public Task DestroyTaskAsync(string taskId, bool force, CancellationToken ct = default) { _tasks.TryRemove(taskId, out _); return Task.CompletedTask; }
    public Task<Contracts.TaskStatus> InspectTaskAsync(string taskId, CancellationToken ct = default)
    {
        var (started, exit) = _tasks[taskId];
        return Task.FromResult(new Contracts.TaskStatus(taskId, taskId, exit.IsCompleted ? TaskStates.Exited : TaskStates.Running, started, null, exit.IsCompleted ? exit.Result : null));
    }
    public Task RecoverTaskAsync(TaskHandle handle, CancellationToken ct = default) => throw new NotSupportedException("sleep tasks do not survive their driver");
    public Task<TaskResourceUsage> TaskStatsAsync(string taskId, CancellationToken ct = default) => Task.FromResult(new TaskResourceUsage(0, 0, 0, 0, 0, 0, 0, 0, 0, DateTime.UtcNow.Ticks));
    public Task SignalTaskAsync(string taskId, string signal, CancellationToken ct = default) => throw new NotSupportedException();
    public Task<ExecResult> ExecTaskAsync(string taskId, string[] command, long timeoutMs, CancellationToken ct = default) => throw new NotSupportedException();
}
