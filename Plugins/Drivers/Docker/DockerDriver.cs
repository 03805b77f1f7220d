using System.Collections.Concurrent;
using System.Net;
using System.Text.Json;
using Docker.DotNet;
using Docker.DotNet.Models;
using Nomad.Contracts;
using Nomad.Drivers.Shared;
using TaskStatus = Nomad.Contracts.TaskStatus;

namespace Nomad.Drivers.Docker;

/// <summary>
/// Nomad's docker driver over the Docker Engine API (Docker.DotNet, API version negotiated with the daemon).
/// The daemon, not this process, keeps the containers: a driver that dies leaves them running, and the next
/// one finds them by ID (RecoverTask) and follows their logs from where the last one stopped. Containers carry
/// labels naming allocation and task, and those no task owns are removed (see <see cref="DanglingContainers"/>).
/// </summary>
public sealed class DockerDriver : IDriverPlugin, IDisposable
{
    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(15);

    private readonly IDriverHost _host;
    private readonly ConcurrentDictionary<string, ContainerTask> _tasks = new();
    private readonly object _clientLock = new();
    private DockerPluginConfig _config = DockerPluginConfig.Default;
    private DockerClient? _client;
    private string _clientEndpoint = "";
    private readonly DaemonFingerprint _fingerprint;
    private readonly Images _images;
    private readonly DanglingContainers _dangling;

    public DockerDriver(IDriverHost host)
    {
        _host = host;
        _fingerprint = new DaemonFingerprint(Client, () => _config, host);
        _images = new Images(Client, () => _config, Event);
        _dangling = new DanglingContainers(Client, () => _config, id => _tasks.Values.Any(t => t.Id == id));
    }

    /// <summary>The client for the configured endpoint; no pinned API version, so it speaks what the daemon speaks.</summary>
    private DockerClient Client()
    {
        lock (_clientLock)
        {
            if (_client is not null && _clientEndpoint == _config.Endpoint) return _client;
            _client?.Dispose();
            _clientEndpoint = _config.Endpoint;
            return _client = new DockerClientConfiguration(new Uri(_config.Endpoint)).CreateClient();
        }
    }

    /// <summary>A task event: to the agent (shown among the task's events) and to our log.</summary>
    private void Event(string taskId, string message)
    {
        Console.Error.WriteLine($"[INFO]  docker: task={taskId} event=\"{message}\"");
        try { _ = _host.PublishTaskEventAsync(new DriverTaskEvent(taskId, message, DateTime.UtcNow)); }
        catch (Exception e) when (e is ObjectDisposedException or InvalidOperationException) { }
    }

    // ---- plugin ----

    public Task<PluginInfo> PluginInfoAsync(CancellationToken ct = default) =>
        Task.FromResult(new PluginInfo("docker", PluginTypes.Driver, "0.1.0", PluginProtocol.Version));

    public async Task<ValidationResult> SetConfigAsync(JsonElement config, CancellationToken ct = default)
    {
        var (parsed, errors) = DockerPluginConfig.Parse(config);
        if (parsed is null) return new ValidationResult(errors);
        _config = parsed;
        _dangling.Start();
        await _fingerprint.RefreshAsync().ConfigureAwait(false);
        return ValidationResult.Ok;
    }

    public Task<ValidationResult> ValidateTaskConfigAsync(JsonElement config, CancellationToken ct = default)
    {
        var (cfg, errors) = DockerTaskConfig.Parse(config);
        if (cfg is not null) errors.AddRange(ContainerSpec.PolicyErrors(cfg, _config));
        return Task.FromResult(new ValidationResult(errors));
    }

    public Task<DriverCapabilities> CapabilitiesAsync(CancellationToken ct = default) =>
        Task.FromResult(new DriverCapabilities(SendSignals: true, Exec: true, FSIsolation: "image"));

    public Task<DriverFingerprint> FingerprintAsync(CancellationToken ct = default) => _fingerprint.CurrentAsync(ct);

    // ---- tasks ----

    public async Task<TaskHandle> StartTaskAsync(TaskConfig task, CancellationToken ct = default)
    {
        var (cfg, errors) = DockerTaskConfig.Parse(task.DriverConfig);
        if (cfg is null) throw new ArgumentException(string.Join("; ", errors));
        if (_tasks.ContainsKey(task.ID)) throw new InvalidOperationException($"task {task.ID} already started");
        var client = Client();
        var imageId = await _images.EnsureAsync(task.ID, cfg, ct).ConfigureAwait(false);
        var spec = ContainerSpec.Build(task, cfg, _config);

        var id = await CreateAsync(client, task, spec, ct).ConfigureAwait(false);
        ContainerInspectResponse inspect;
        try
        {
            await client.Containers.StartContainerAsync(id, new ContainerStartParameters(), ct).ConfigureAwait(false);
            inspect = await client.Containers.InspectContainerAsync(id, ct).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            await RemoveQuietly(client, id).ConfigureAwait(false); // no dangling container, ever
            throw new InvalidOperationException($"Failed to start container {spec.Name}: {(e is DockerApiException api ? Images.ApiMessage(api) : e.Message)}");
        }
        var stateDir = StateDir(task);
        Directory.CreateDirectory(stateDir);
        var cursor = Path.Combine(stateDir, "logs.cursor");
        File.Delete(cursor);
        var state = new DockerTaskState
        {
            ContainerID = id,
            ContainerName = spec.Name,
            Image = cfg.Image,
            ImageID = imageId,
            LogCursorPath = cursor,
            StartedAt = ParseTime(inspect.State?.StartedAt) ?? DateTime.UtcNow,
        };
        var t = new ContainerTask(task, state);
        _tasks[task.ID] = t;
        _images.Use(imageId);
        Attach(t);
        return new TaskHandle(task, TaskStates.Running, JsonSerializer.SerializeToElement(state, Json));
    }

    /// <summary>Creates the container; one left by an earlier attempt under the same name is removed first.</summary>
    private static async Task<string> CreateAsync(DockerClient client, TaskConfig task, CreateContainerParameters spec, CancellationToken ct)
    {
        for (var attempt = 0; ; attempt++)
        {
            try
            {
                var r = await client.Containers.CreateContainerAsync(spec, ct).ConfigureAwait(false);
                return r.ID;
            }
            catch (DockerApiException e) when (e.StatusCode == HttpStatusCode.Conflict && attempt == 0)
            {
                Console.Error.WriteLine($"[INFO]  docker: task={task.ID} removing the existing container {spec.Name} before creating it again");
                await RemoveQuietly(client, spec.Name).ConfigureAwait(false);
            }
            catch (DockerApiException e)
            {
                throw new InvalidOperationException($"Failed to create container {spec.Name} from {spec.Image}: {Images.ApiMessage(e)}");
            }
        }
    }

    /// <summary>Follows the container's logs and waits for it to exit, riding out daemon restarts.</summary>
    private void Attach(ContainerTask t)
    {
        var client = Client();
        t.Logs = new ContainerLogs(client, t.Id, StdoutPath(t.Config), StderrPath(t.Config),
            Math.Max(1, t.Config.LogMaxFiles), Math.Max(1, t.Config.LogMaxFileSizeMB) * 1024L * 1024L, t.State.LogCursorPath);
        _ = Task.Run(() => WatchAsync(t));
    }

    private async Task WatchAsync(ContainerTask t)
    {
        var ct = t.Forget.Token;
        var warned = false;
        while (!ct.IsCancellationRequested)
        {
            try
            {
                var client = Client();
                await client.Containers.WaitContainerAsync(t.Id, ct).ConfigureAwait(false);
                var inspect = await client.Containers.InspectContainerAsync(t.Id, ct).ConfigureAwait(false);
                if (inspect.State?.Running == true) continue; // the wait ended early (daemon restarting); wait again
                if (t.Logs is { } logs) await Task.WhenAny(logs.Done, Task.Delay(TimeSpan.FromSeconds(5), ct)).ConfigureAwait(false);
                var s = inspect.State!;
                t.Complete(new ExitResult((int)s.ExitCode, 0, s.OOMKilled, s.OOMKilled ? "OOM Killed" : null), ParseTime(s.FinishedAt));
                return;
            }
            catch (OperationCanceledException) when (ct.IsCancellationRequested) { return; }
            catch (DockerContainerNotFoundException)
            {
                t.Complete(new ExitResult(-1, Err: $"docker: container {t.State.ContainerName} ({Short(t.Id)}) no longer exists"));
                return;
            }
            catch (Exception e)
            {
                // The daemon is down or restarting: the container's fate is known once it answers again.
                if (!warned)
                {
                    Console.Error.WriteLine($"[WARN]  docker: task={t.Config.ID} lost the daemon while waiting ({e.Message}); retrying");
                    _ = _fingerprint.RefreshAsync(); // tell the agent now, not at the next poll
                }
                warned = true;
                try { await Task.Delay(TimeSpan.FromSeconds(1), ct).ConfigureAwait(false); } catch (OperationCanceledException) { return; }
            }
        }
    }

    public async Task<ExitResult> WaitTaskAsync(string taskId, CancellationToken ct = default) =>
        await Get(taskId).Exit.Task.WaitAsync(ct).ConfigureAwait(false);

    public async Task StopTaskAsync(string taskId, long timeoutMs, string signal, CancellationToken ct = default)
    {
        var t = Get(taskId);
        if (t.Exited) return;
        var client = Client();
        var sig = string.IsNullOrWhiteSpace(signal) ? "SIGTERM" : signal.Trim();
        Signals.Parse(sig, fallback: 15); // an unknown name fails here, with its name
        await KillQuietly(client, t, sig, ct).ConfigureAwait(false);
        if (timeoutMs > 0) await Task.WhenAny(t.Exit.Task, Task.Delay(TimeSpan.FromMilliseconds(timeoutMs), ct)).ConfigureAwait(false);
        if (t.Exited) return;
        await KillQuietly(client, t, "SIGKILL", ct).ConfigureAwait(false);
        if (await Task.WhenAny(t.Exit.Task, Task.Delay(KillWait, ct)).ConfigureAwait(false) != t.Exit.Task)
            throw new TimeoutException($"docker: task {taskId} did not exit {KillWait.TotalSeconds:0} s after SIGKILL");
    }

    private static async Task KillQuietly(DockerClient client, ContainerTask t, string signal, CancellationToken ct)
    {
        try { await client.Containers.KillContainerAsync(t.Id, new ContainerKillParameters { Signal = signal }, ct).ConfigureAwait(false); }
        catch (DockerApiException e) when (e.StatusCode is HttpStatusCode.Conflict or HttpStatusCode.NotFound) { } // not running any more
    }

    public async Task DestroyTaskAsync(string taskId, bool force, CancellationToken ct = default)
    {
        if (!_tasks.TryGetValue(taskId, out var t)) return;
        if (!t.Exited)
        {
            if (!force) throw new InvalidOperationException($"task {taskId} is still running; stop it first or destroy with force");
            await KillQuietly(Client(), t, "SIGKILL", ct).ConfigureAwait(false);
        }
        _tasks.TryRemove(taskId, out _);
        t.Forget.Cancel();
        t.Logs?.Stop();
        if (_config.GcContainer)
        {
            try { await Client().Containers.RemoveContainerAsync(t.Id, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }, ct).ConfigureAwait(false); }
            catch (DockerContainerNotFoundException) { }
            // The daemon is away: the dangling-container check removes it once it is back.
            catch (Exception e) when (e is not OperationCanceledException) { Console.Error.WriteLine($"[WARN]  docker: task={taskId} cannot remove container {Short(t.Id)}: {e.Message}"); }
        }
        t.Complete(new ExitResult(-1, Err: "docker: task destroyed"));
        _images.Release(t.State.ImageID);
        try { Directory.Delete(Path.GetDirectoryName(t.State.LogCursorPath)!, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    public Task<TaskStatus> InspectTaskAsync(string taskId, CancellationToken ct = default)
    {
        var t = Get(taskId);
        var exit = t.Exited ? t.Exit.Task.Result : null;
        return Task.FromResult(new TaskStatus(t.Config.ID, t.Config.Name, exit is null ? TaskStates.Running : TaskStates.Exited,
            t.State.StartedAt, t.CompletedAt, exit));
    }

    public Task RecoverTaskAsync(TaskHandle handle, CancellationToken ct = default)
    {
        if (_tasks.ContainsKey(handle.Config.ID)) return Task.CompletedTask;
        DockerTaskState state;
        try { state = handle.DriverState.Deserialize<DockerTaskState>(Json) ?? throw new JsonException("empty"); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        { throw new ArgumentException($"docker: cannot recover task {handle.Config.ID}: bad driver state: {e.Message}"); }
        if (state.ContainerID.Length == 0) throw new ArgumentException($"docker: cannot recover task {handle.Config.ID}: driver state has no container ID");
        var t = new ContainerTask(handle.Config, state);
        if (!_tasks.TryAdd(handle.Config.ID, t)) return Task.CompletedTask;
        _images.Use(state.ImageID);
        Attach(t); // a container that is gone answers WaitTask with an error, never a fake exit
        return Task.CompletedTask;
    }

    public async Task<TaskResourceUsage> TaskStatsAsync(string taskId, CancellationToken ct = default)
    {
        var t = Get(taskId);
        ContainerStatsResponse? stats = null;
        await Client().Containers.GetContainerStatsAsync(t.Id, new ContainerStatsParameters { Stream = false },
            new Progress(r => stats = r), ct).ConfigureAwait(false);
        return ContainerStats.From(stats ?? throw new InvalidOperationException($"docker: no stats for container {Short(t.Id)}"));
    }

    private sealed class Progress(Action<ContainerStatsResponse> on) : IProgress<ContainerStatsResponse>
    {
        public void Report(ContainerStatsResponse value) => on(value);
    }

    public async Task SignalTaskAsync(string taskId, string signal, CancellationToken ct = default)
    {
        var t = Get(taskId);
        if (t.Exited) throw new InvalidOperationException($"task {taskId} is not running");
        if (string.IsNullOrWhiteSpace(signal)) throw new ArgumentException("signal: required");
        Signals.Parse(signal, fallback: 0);
        await Client().Containers.KillContainerAsync(t.Id, new ContainerKillParameters { Signal = signal.Trim() }, ct).ConfigureAwait(false);
    }

    public async Task<ExecResult> ExecTaskAsync(string taskId, string[] command, long timeoutMs, CancellationToken ct = default)
    {
        var t = Get(taskId);
        if (command.Length == 0 || command[0].Length == 0) throw new ArgumentException("exec: command is empty");
        if (t.Exited) throw new InvalidOperationException($"task {taskId} is not running");
        var client = Client();
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeoutMs > 0) cts.CancelAfter(TimeSpan.FromMilliseconds(timeoutMs));
        try
        {
            var exec = await client.Exec.ExecCreateContainerAsync(t.Id, new ContainerExecCreateParameters
            {
                Cmd = command, AttachStdout = true, AttachStderr = true, AttachStdin = false, Tty = false,
            }, cts.Token).ConfigureAwait(false);
            using var stream = await client.Exec.StartAndAttachContainerExecAsync(exec.ID, false, cts.Token).ConfigureAwait(false);
            var (stdout, stderr) = await stream.ReadOutputToEndAsync(cts.Token).ConfigureAwait(false);
            var result = await client.Exec.InspectContainerExecAsync(exec.ID, cts.Token).ConfigureAwait(false);
            return new ExecResult((int)result.ExitCode, stdout, stderr);
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            throw new TimeoutException($"exec: {command[0]} did not finish within {timeoutMs} ms");
        }
        catch (DockerApiException e) { throw new InvalidOperationException($"exec: {Images.ApiMessage(e)}"); }
    }

    // ---- internals ----

    private ContainerTask Get(string id) =>
        _tasks.TryGetValue(id, out var t) ? t : throw new KeyNotFoundException($"docker: unknown task {id}");

    private static async Task RemoveQuietly(DockerClient client, string idOrName)
    {
        try { await client.Containers.RemoveContainerAsync(idOrName, new ContainerRemoveParameters { Force = true, RemoveVolumes = true }).ConfigureAwait(false); }
        catch (Exception e) when (e is DockerApiException or HttpRequestException or IOException) { }
    }

    /// <summary><c>TaskDir/.docker/ID</c>: where the log cursor lives (a temp folder for a task without a directory).</summary>
    private static string StateDir(TaskConfig task) => TaskStateDir.For(task, "docker");

    private static string StdoutPath(TaskConfig t) => t.StdoutPath.Length > 0 ? t.StdoutPath : Path.Combine(StateDir(t), $"{t.Name}.stdout");
    private static string StderrPath(TaskConfig t) => t.StderrPath.Length > 0 ? t.StderrPath : Path.Combine(StateDir(t), $"{t.Name}.stderr");

    private static DateTime? ParseTime(string? s) =>
        DateTime.TryParse(s, null, System.Globalization.DateTimeStyles.AdjustToUniversal, out var d) && d.Year > 1 ? d : null;

    private static string Short(string id) => id.Length > 12 ? id[..12] : id;

    public void Dispose()
    {
        _fingerprint.Dispose();
        _dangling.Dispose();
        _client?.Dispose();
    }
}
