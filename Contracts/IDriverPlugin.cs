namespace Nomad.Contracts;

/// <summary>
/// A task driver, following Nomad's driver plugin API. Every driver runs in its own process; the agent
/// calls these methods over JSON-RPC (see <see cref="PluginProtocol"/>). Implement it and serve it with
/// <see cref="DriverServer.RunAsync(IDriverPlugin)"/>.
/// </summary>
public interface IDriverPlugin
{
    /// <summary>The handshake: name, type (<c>driver</c>), version, protocol version.</summary>
    Task<PluginInfo> PluginInfoAsync(CancellationToken ct = default);

    /// <summary>Receives the agent's <c>plugin "NAME" { config {} }</c> block (JSON object; may be empty).</summary>
    Task<ValidationResult> SetConfigAsync(System.Text.Json.JsonElement config, CancellationToken ct = default);

    /// <summary>Validates a task's <c>config {}</c> block; errors name the field.</summary>
    Task<ValidationResult> ValidateTaskConfigAsync(System.Text.Json.JsonElement config, CancellationToken ct = default);

    /// <summary>What the driver can do.</summary>
    Task<DriverCapabilities> CapabilitiesAsync(CancellationToken ct = default);

    /// <summary>The current fingerprint. Later changes are pushed with <see cref="IDriverHost.PublishFingerprintAsync"/>.</summary>
    Task<DriverFingerprint> FingerprintAsync(CancellationToken ct = default);

    /// <summary>Starts a task and returns the handle the agent persists for recovery.</summary>
    Task<TaskHandle> StartTaskAsync(TaskConfig task, CancellationToken ct = default);

    /// <summary>Completes when the task exits (at once if it already has).</summary>
    Task<ExitResult> WaitTaskAsync(string taskId, CancellationToken ct = default);

    /// <summary>Sends <paramref name="signal"/> (e.g. <c>SIGTERM</c>), waits up to <paramref name="timeoutMs"/>, then kills every process of the task.</summary>
    Task StopTaskAsync(string taskId, long timeoutMs, string signal, CancellationToken ct = default);

    /// <summary>Forgets the task and cleans up after it; <paramref name="force"/> kills it first if it still runs.</summary>
    Task DestroyTaskAsync(string taskId, bool force, CancellationToken ct = default);

    /// <summary>The task's status now.</summary>
    Task<TaskStatus> InspectTaskAsync(string taskId, CancellationToken ct = default);

    /// <summary>Re-attaches to a task started before this driver process (or the agent) restarted.</summary>
    Task RecoverTaskAsync(TaskHandle handle, CancellationToken ct = default);

    /// <summary>Resource usage of the task.</summary>
    Task<TaskResourceUsage> TaskStatsAsync(string taskId, CancellationToken ct = default);

    /// <summary>Sends a signal to the task.</summary>
    Task SignalTaskAsync(string taskId, string signal, CancellationToken ct = default);

    /// <summary>Runs a command in the task's context and returns its output and exit code.</summary>
    Task<ExecResult> ExecTaskAsync(string taskId, string[] command, long timeoutMs, CancellationToken ct = default);

    /// <summary>
    /// Runs a command in the task's context (its namespaces, root, cgroups and user, as the driver isolates the task)
    /// with its stdin, stdout and stderr streamed through <paramref name="stream"/>, optionally on a terminal
    /// (<paramref name="tty"/>); returns the command's exit code once it has exited and all its output was written.
    /// Cancelling <paramref name="ct"/> kills the command. Drivers that stream say so with
    /// <see cref="DriverCapabilities.ExecStreaming"/>; this default runs <see cref="ExecTaskAsync"/> once (no stdin,
    /// no terminal) and writes its collected output.
    /// </summary>
    Task<int> ExecTaskStreamingAsync(string taskId, string[] command, bool tty, IExecStream stream, CancellationToken ct = default) =>
        ExecOnce.RunAsync(this, taskId, command, stream, ct);
}
