using System.Collections.Concurrent;
using System.Diagnostics;
using System.Text.Json;
using Nomad.Contracts;
using TaskStatus = Nomad.Contracts.TaskStatus;

namespace Nomad.Drivers.Shared;

/// <summary>
/// The core shared by raw_exec and exec: runs a command under a per-task <c>nomad-executor</c> shim (a NativeAOT
/// program beside this one, or <c>$NOMAD_EXECUTOR_PATH</c>), which is the task's parent in a session of its own,
/// so tasks survive this process (or the agent) dying. The driver
/// talks to a shim only through files in the task's state directory, <c>TaskDir/.executor/ID/</c>:
/// <list type="bullet">
/// <item><c>spec.json</c>, written here: what to run, env, cwd, log paths and rotation;</item>
/// <item><c>started.json</c>, written by the shim: task and shim PIDs with start times (or the start error);</item>
/// <item><c>exit.json</c>, written by the shim when the task exits: the real exit code and signal;</item>
/// <item><c>executor.log</c>: the shim's own messages.</item>
/// </list>
/// </summary>
/// <remarks>Subclasses give the name, configuration, fingerprint and, for exec, the isolation the shim applies.</remarks>
public abstract partial class ShimDriver : IDriverPlugin, IDisposable
{
    /// <summary>The plugin's name, as jobs and the agent's <c>plugin</c> blocks refer to it.</summary>
    protected abstract string Name { get; }
    /// <summary>The plugin's version.</summary>
    protected virtual string Version => "0.1.0";
    /// <summary>Capabilities.FSIsolation: "none" or "chroot".</summary>
    protected abstract string FSIsolation { get; }
    /// <summary>Environment variable naming the shim, overriding the one beside the driver.</summary>
    public const string ExecutorPathEnv = "NOMAD_EXECUTOR_PATH";
    private const string DefaultPath = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan KillWait = TimeSpan.FromSeconds(10);

    private readonly IDriverHost _host;
    private readonly ConcurrentDictionary<string, ShimTask> _tasks = new();
    private readonly ExitWatcher _watcher = new();
    private readonly Lazy<double> _cpuMHz = new(ProcFs.CpuMHz);

    /// <summary>Creates the driver; <paramref name="host"/> receives fingerprint changes.</summary>
    protected ShimDriver(IDriverHost host) => _host = host;

    /// <summary>Parses and applies the plugin's <c>config {}</c>; the errors when it is invalid (nothing applied).</summary>
    protected abstract List<string> ApplyConfig(JsonElement config);

    /// <summary>The driver's health and attributes under its current configuration.</summary>
    protected abstract DriverFingerprint Fingerprint();

    /// <summary>Why tasks cannot start now (disabled, not root, ...), or null.</summary>
    protected abstract string? CannotStart();

    /// <summary>Kill what the task's main process leaves behind when it exits (spec <c>KillOrphans</c>).</summary>
    protected virtual bool KillOrphans => true;

    /// <summary>
    /// Prepares the task's isolation before its shim starts (exec: cgroups, chroot layout). Returns the spec's
    /// <c>Isolation</c> object (null: none) and the cgroup directories to remember in the handle.
    /// </summary>
    protected virtual (object? Spec, string[] Cgroups) PrepareIsolation(TaskConfig task, string stateDir) => (null, []);

    /// <summary>The task ended, or is being killed: kill whatever else is left of it (exec: everything in its cgroups).</summary>
    protected virtual void KillRemains(ShimTaskState state) { }

    /// <summary>The task is destroyed: release what <see cref="PrepareIsolation"/> made (exec: remove the cgroups).</summary>
    protected virtual void ReleaseIsolation(ShimTaskState state) { }

    /// <summary>Memory and CPU usage from a better source than /proc (exec: the cgroups), or null for the /proc sums.</summary>
    protected virtual TaskResourceUsage? CgroupStats(ShimTaskState state, ref (DateTime At, ulong User, ulong Sys)? last) => null;

    /// <summary>
    /// How ExecTask runs <paramref name="command"/> for this task: null to run it on the host in the task's directory
    /// (raw_exec), or the program and arguments that run it inside the task's isolation (exec: nsenter).
    /// </summary>
    protected virtual (string File, List<string> Args)? ExecInside(ShimTaskState state, TaskConfig task, string[] command) => null;

    /// <summary>
    /// Where a streaming exec with a tty takes its terminal from: a root whose <c>/dev/pts</c> is the task's own devpts
    /// instance (exec: <c>/proc/TASKPID/root</c>), so the terminal has a name inside the task; null for the host's.
    /// </summary>
    protected virtual string? PtyRoot(ShimTaskState state) => null;

    private static readonly JsonSerializerOptions Json = new() { PropertyNamingPolicy = null };

    /// <summary>The shim's path: <c>$NOMAD_EXECUTOR_PATH</c>, else <c>nomad-executor</c> beside the driver.</summary>
    public static string ExecutorPath =>
        Environment.GetEnvironmentVariable(ExecutorPathEnv) is { Length: > 0 } p ? p : Path.Combine(AppContext.BaseDirectory, "nomad-executor");

    // ---- plugin ----

    /// <inheritdoc />
    public Task<PluginInfo> PluginInfoAsync(CancellationToken ct = default) =>
        Task.FromResult(new PluginInfo(Name, PluginTypes.Driver, Version, PluginProtocol.Version));

    /// <inheritdoc />
    public async Task<ValidationResult> SetConfigAsync(JsonElement config, CancellationToken ct = default)
    {
        var before = Fingerprint();
        var errors = ApplyConfig(config);
        if (errors.Count > 0) return new ValidationResult(errors);
        var after = Fingerprint();
        if (before.Health != after.Health || before.HealthDescription != after.HealthDescription)
            await _host.PublishFingerprintAsync(after).ConfigureAwait(false);
        return ValidationResult.Ok;
    }

    /// <inheritdoc />
    public Task<ValidationResult> ValidateTaskConfigAsync(JsonElement config, CancellationToken ct = default) =>
        Task.FromResult(new ValidationResult(CommandTaskConfig.Parse(config).Errors));

    /// <inheritdoc />
    public Task<DriverCapabilities> CapabilitiesAsync(CancellationToken ct = default) =>
        Task.FromResult(new DriverCapabilities(SendSignals: true, Exec: true, FSIsolation: FSIsolation) { ExecStreaming = true });

    /// <inheritdoc />
    public Task<DriverFingerprint> FingerprintAsync(CancellationToken ct = default) => Task.FromResult(Fingerprint());

    /// <summary>Unhealthy without the shim, else healthy with <c>driver.NAME = "1"</c>.</summary>
    protected DriverFingerprint ShimFingerprint()
    {
        if (!File.Exists(ExecutorPath)) return new(DriverHealth.Unhealthy, $"nomad-executor not found at {ExecutorPath}", new());
        return new(DriverHealth.Healthy, "Healthy", new() { [$"driver.{Name}"] = "1" });
    }

    // ---- tasks ----

    /// <inheritdoc />
    public async Task<TaskHandle> StartTaskAsync(TaskConfig task, CancellationToken ct = default)
    {
        if (CannotStart() is { } why) throw new InvalidOperationException(why);
        var (cfg, errors) = CommandTaskConfig.Parse(task.DriverConfig);
        if (cfg is null) throw new ArgumentException(string.Join("; ", errors));
        if (_tasks.ContainsKey(task.ID)) throw new InvalidOperationException($"task {task.ID} already started");
        var shim = ExecutorPath;
        if (!File.Exists(shim)) throw new FileNotFoundException($"nomad-executor not found at {shim} (set {ExecutorPathEnv})");

        var cwd = task.TaskDir.Length > 0 ? task.TaskDir : Environment.CurrentDirectory;
        var stateDir = StateDirFor(task);
        Directory.CreateDirectory(cwd);
        Directory.CreateDirectory(stateDir);
        var paths = new ShimTaskState
        {
            StateDir = stateDir,
            SpecPath = Path.Combine(stateDir, "spec.json"),
            StartedPath = Path.Combine(stateDir, "started.json"),
            ExitStatusPath = Path.Combine(stateDir, "exit.json"),
            ExecutorLogPath = Path.Combine(stateDir, "executor.log"),
            StdoutPath = task.StdoutPath.Length > 0 ? task.StdoutPath : DefaultLogPath(task, stateDir, "stdout"),
            StderrPath = task.StderrPath.Length > 0 ? task.StderrPath : DefaultLogPath(task, stateDir, "stderr"),
            Cwd = cwd,
        };
        // A previous run of this very ID (an agent restarted before it persisted the handle) must not answer for this one.
        File.Delete(paths.StartedPath);
        File.Delete(paths.ExitStatusPath);

        var (isolation, cgroups) = PrepareIsolation(task, stateDir);
        paths = paths with { Cgroups = cgroups };
        var env = TaskEnv(task);
        var spec = new
        {
            Version = 1,
            TaskName = task.Name,
            Command = cfg.Command,
            Args = cfg.Args,
            Env = env,
            Cwd = cwd,
            task.User,
            paths.StdoutPath,
            paths.StderrPath,
            LogMaxFiles = Math.Max(1, task.LogMaxFiles),
            LogMaxFileSizeBytes = Math.Max(1, task.LogMaxFileSizeMB) * 1024L * 1024L,
            paths.StartedPath,
            paths.ExitStatusPath,
            KillOrphans,
            Isolation = isolation,
        };
        var tmp = paths.SpecPath + ".tmp";
        await File.WriteAllBytesAsync(tmp, JsonSerializer.SerializeToUtf8Bytes(spec, Json), ct).ConfigureAwait(false);
        File.Move(tmp, paths.SpecPath, overwrite: true);

        var psi = new ProcessStartInfo(shim)
        {
            UseShellExecute = false,
            // Our stdout is the JSON-RPC channel: the shim gets pipes of its own (and moves to executor.log at once).
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = stateDir,
        };
        psi.ArgumentList.Add(paths.SpecPath);
        Process proc;
        try { proc = Process.Start(psi) ?? throw new IOException($"could not start {shim}"); }
        catch { ReleaseIsolation(paths); throw; }
        proc.StandardInput.Close();
        string? line;
        try { line = await proc.StandardOutput.ReadLineAsync(ct).AsTask().WaitAsync(StartTimeout, ct).ConfigureAwait(false); }
        catch (TimeoutException)
        {
            proc.Kill();
            throw new TimeoutException($"nomad-executor did not start the task within {StartTimeout.TotalSeconds:0} s");
        }
        if (line is null || !line.StartsWith("started ", StringComparison.Ordinal))
        {
            var err = ReadStartError(paths.StartedPath) ?? line?.Replace("error: ", "") ?? "";
            if (err.Length == 0)
            {
                var stderr = await proc.StandardError.ReadToEndAsync(ct).WaitAsync(TimeSpan.FromSeconds(2), ct).ConfigureAwait(false);
                err = $"nomad-executor exited before starting the task: {stderr.Trim()}";
            }
            proc.Dispose();
            KillRemains(paths);
            ReleaseIsolation(paths);
            throw new InvalidOperationException(err);
        }
        proc.StandardOutput.Close();
        proc.StandardError.Close();

        using var started = JsonDocument.Parse(await File.ReadAllBytesAsync(paths.StartedPath, ct).ConfigureAwait(false));
        var r = started.RootElement;
        var state = paths with
        {
            Pid = r.GetProperty("Pid").GetInt32(),
            StartTime = r.GetProperty("StartTime").GetUInt64(),
            ExecutorPid = r.GetProperty("ExecutorPid").GetInt32(),
            ExecutorStartTime = r.GetProperty("ExecutorStartTime").GetUInt64(),
            StartedAt = r.GetProperty("StartedAt").GetDateTime().ToUniversalTime(),
        };
        var rt = new ShimTask(task with { Env = env }, state) { Shim = proc };
        _tasks[task.ID] = rt;
        Watch(rt);
        return new TaskHandle(rt.Config, TaskStates.Running, JsonSerializer.SerializeToElement(state, Json));
    }

    /// <inheritdoc />
    public async Task<ExitResult> WaitTaskAsync(string taskId, CancellationToken ct = default) =>
        await Get(taskId).Exit.Task.WaitAsync(ct).ConfigureAwait(false);

    /// <inheritdoc />
    public async Task StopTaskAsync(string taskId, long timeoutMs, string signal, CancellationToken ct = default)
    {
        var t = Get(taskId);
        if (t.Exited) return;
        // Nomad's default kill_signal is SIGINT; the agent normally passes the task's own.
        SignalGroup(t, Signals.Parse(signal, fallback: Native.SIGINT));
        if (timeoutMs > 0)
            await Task.WhenAny(t.Exit.Task, Task.Delay(TimeSpan.FromMilliseconds(timeoutMs), ct)).ConfigureAwait(false);
        if (!t.Exited) await KillAsync(t, ct).ConfigureAwait(false);
    }

    /// <inheritdoc />
    public async Task DestroyTaskAsync(string taskId, bool force, CancellationToken ct = default)
    {
        if (!_tasks.TryGetValue(taskId, out var t)) return;
        if (!t.Exited)
        {
            if (!force) throw new InvalidOperationException($"task {taskId} is still running; stop it first or destroy with force");
            await KillAsync(t, ct).ConfigureAwait(false);
        }
        _tasks.TryRemove(taskId, out _);
        t.Shim?.Dispose();
        KillRemains(t.State);
        ReleaseIsolation(t.State);
        try { Directory.Delete(t.State.StateDir, recursive: true); } catch (IOException) { } catch (UnauthorizedAccessException) { }
    }

    /// <inheritdoc />
    public Task<TaskStatus> InspectTaskAsync(string taskId, CancellationToken ct = default)
    {
        var t = Get(taskId);
        var exit = t.Exited ? t.Exit.Task.Result : null;
        return Task.FromResult(new TaskStatus(t.Config.ID, t.Config.Name, exit is null ? TaskStates.Running : TaskStates.Exited,
            t.State.StartedAt, t.CompletedAt, exit));
    }

    /// <inheritdoc />
    public Task RecoverTaskAsync(TaskHandle handle, CancellationToken ct = default)
    {
        if (_tasks.ContainsKey(handle.Config.ID)) return Task.CompletedTask;
        ShimTaskState state;
        try { state = handle.DriverState.Deserialize<ShimTaskState>(Json) ?? throw new JsonException("empty"); }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        { throw new ArgumentException($"{Name}: cannot recover task {handle.Config.ID}: bad driver state: {e.Message}"); }
        if (state.ExecutorPid <= 0 || state.Pid <= 0 || state.ExitStatusPath.Length == 0)
            throw new ArgumentException($"{Name}: cannot recover task {handle.Config.ID}: driver state lacks PIDs or paths");
        var t = new ShimTask(handle.Config, state);
        if (!_tasks.TryAdd(handle.Config.ID, t)) return Task.CompletedTask;
        Watch(t);
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public Task<TaskResourceUsage> TaskStatsAsync(string taskId, CancellationToken ct = default)
    {
        var t = Get(taskId);
        lock (t)
        {
            var last = t.LastCpu;
            if (CgroupStats(t.State, ref last) is { } fromCgroups) { t.LastCpu = last; return Task.FromResult(fromCgroups); }
        }
        var stats = TaskProcesses(t).Select(ProcFs.Stat).OfType<ProcStat>().Where(s => !s.IsDead).ToList();
        long rss = stats.Sum(s => s.RssPages) * ProcFs.PageSize;
        long swap = stats.Sum(s => ProcFs.SwapBytes(s.Pid));
        ulong user = 0, sys = 0;
        foreach (var s in stats) { user += s.UTime; sys += s.STime; }
        var now = DateTime.UtcNow;
        double pctUser, pctSys;
        lock (t)
        {
            var (prevAt, prevUser, prevSys) = t.LastCpu ?? (t.State.StartedAt, 0UL, 0UL);
            var secs = Math.Max(1e-3, (now - prevAt).TotalSeconds);
            pctUser = (user >= prevUser ? user - prevUser : 0) / (double)ProcFs.ClockTicks / secs * 100;
            pctSys = (sys >= prevSys ? sys - prevSys : 0) / (double)ProcFs.ClockTicks / secs * 100;
            t.LastCpu = (now, user, sys);
            t.MaxRss = Math.Max(t.MaxRss, rss);
        }
        double pct = pctUser + pctSys;
        return Task.FromResult(new TaskResourceUsage(rss, 0, swap, t.MaxRss, pct, pctUser, pctSys,
            pct / 100 * _cpuMHz.Value, 0, (now - DateTime.UnixEpoch).Ticks * 100));
    }

    /// <inheritdoc />
    public Task SignalTaskAsync(string taskId, string signal, CancellationToken ct = default)
    {
        var t = Get(taskId);
        if (t.Exited) throw new InvalidOperationException($"task {taskId} is not running");
        if (string.IsNullOrWhiteSpace(signal)) throw new ArgumentException("signal: required");
        SignalGroup(t, Signals.Parse(signal, fallback: 0));
        return Task.CompletedTask;
    }

    /// <inheritdoc />
    public async Task<ExecResult> ExecTaskAsync(string taskId, string[] command, long timeoutMs, CancellationToken ct = default)
    {
        var (t, exe, args, cwd) = ExecCommand(taskId, command);
        var psi = new ProcessStartInfo(exe)
        {
            UseShellExecute = false,
            RedirectStandardInput = true, // never our stdin: it is the RPC channel
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            WorkingDirectory = cwd,
        };
        foreach (var a in args) psi.ArgumentList.Add(a);
        psi.Environment.Clear();
        foreach (var (k, v) in t.Config.Env) psi.Environment[k] = v;
        using var p = Process.Start(psi) ?? throw new IOException($"exec: could not start {exe}");
        p.StandardInput.Close();
        var stdout = p.StandardOutput.ReadToEndAsync(ct);
        var stderr = p.StandardError.ReadToEndAsync(ct);
        using var cts = CancellationTokenSource.CreateLinkedTokenSource(ct);
        if (timeoutMs > 0) cts.CancelAfter(TimeSpan.FromMilliseconds(timeoutMs));
        try { await p.WaitForExitAsync(cts.Token).ConfigureAwait(false); }
        catch (OperationCanceledException)
        {
            try { p.Kill(entireProcessTree: true); } catch (InvalidOperationException) { }
            if (ct.IsCancellationRequested) throw;
            throw new TimeoutException($"exec: {command[0]} did not finish within {timeoutMs} ms");
        }
        return new ExecResult(p.ExitCode, await stdout.ConfigureAwait(false), await stderr.ConfigureAwait(false));
    }

    // ---- internals ----

    /// <summary>
    /// What an exec into running task <paramref name="taskId"/> runs: the driver's way into the task (exec: nsenter
    /// into its namespaces, chroot and cgroups as its user) or the command resolved on the task's PATH, and where.
    /// </summary>
    private (ShimTask Task, string Exe, List<string> Args, string Cwd) ExecCommand(string taskId, string[] command)
    {
        var t = Get(taskId);
        if (command.Length == 0 || command[0].Length == 0) throw new ArgumentException("exec: command is empty");
        if (t.Exited) throw new InvalidOperationException($"task {taskId} is not running");
        var inside = ExecInside(t.State, t.Config, command);
        var exe = inside?.File ?? ResolveCommand(command[0], t.State.Cwd, t.Config.Env.GetValueOrDefault("PATH"))
            ?? throw new FileNotFoundException($"exec: {command[0]}: executable file not found");
        var args = (inside?.Args ?? command.Skip(1)).ToList();
        return (t, exe, args, Directory.Exists(t.State.Cwd) ? t.State.Cwd : "/");
    }

    private ShimTask Get(string id) =>
        _tasks.TryGetValue(id, out var t) ? t : throw new KeyNotFoundException($"{Name}: unknown task {id}");

    /// <summary><c>TaskDir/.executor/ID</c>; a temp folder named after the driver for a task without a directory.</summary>
    internal string StateDirFor(TaskConfig task) =>
        task.TaskDir.Length > 0 ? TaskStateDir.For(task, "executor") : TaskStateDir.For(task, Name);

    private static string DefaultLogPath(TaskConfig task, string stateDir, string stream) =>
        task.AllocDir.Length > 0
            ? Path.Combine(task.AllocDir, "alloc", "logs", $"{task.Name}.{stream}")
            : Path.Combine(stateDir, $"{task.Name}.{stream}");

    /// <summary>The task's environment as given, plus a PATH (ours, or the usual one) if it has none.</summary>
    private static Dictionary<string, string> TaskEnv(TaskConfig task)
    {
        var env = new Dictionary<string, string>(task.Env);
        if (!env.ContainsKey("PATH"))
            env["PATH"] = Environment.GetEnvironmentVariable("PATH") is { Length: > 0 } p ? p : DefaultPath;
        return env;
    }

    private static string? ResolveCommand(string command, string cwd, string? taskPath)
    {
        if (command.Contains('/'))
        {
            var p = Path.IsPathRooted(command) ? command : Path.GetFullPath(Path.Combine(cwd, command));
            return File.Exists(p) ? p : null;
        }
        var dirs = new List<string> { Path.Combine(cwd, "local"), cwd };
        foreach (var path in new[] { taskPath, Environment.GetEnvironmentVariable("PATH") })
            if (!string.IsNullOrEmpty(path)) dirs.AddRange(path.Split(':', StringSplitOptions.RemoveEmptyEntries));
        return dirs.Select(d => Path.Combine(d, command)).FirstOrDefault(File.Exists);
    }

    private static string? ReadStartError(string startedPath)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(startedPath));
            return doc.RootElement.TryGetProperty("Error", out var e) ? e.GetString() : null;
        }
        catch (Exception e) when (e is IOException or JsonException or UnauthorizedAccessException) { return null; }
    }

    /// <summary>Completes the task's exit when its shim exits (at once if it already has, or the PID is not its shim any more).</summary>
    private void Watch(ShimTask t)
    {
        Task shimGone;
        try { shimGone = _watcher.WhenExited(t.State.ExecutorPid, t.State.ExecutorStartTime); }
        catch (IOException e) { t.Complete(new ExitResult(-1, Err: $"{Name}: cannot watch the executor: {e.Message}")); return; }
        shimGone.ContinueWith(_ => OnShimExited(t), TaskScheduler.Default);
    }

    /// <summary>The shim is gone: its exit.json has the task's real end; without one the shim died, and we say so.</summary>
    private void OnShimExited(ShimTask t)
    {
        if (ReadExitStatus(t.State.ExitStatusPath) is { } done) { t.Complete(done.Result, done.At); return; }
        bool reused = ProcFs.Stat(t.State.ExecutorPid) is { } st && st.StartTime != t.State.ExecutorStartTime;
        var why = reused
            ? $"nomad-executor (pid {t.State.ExecutorPid}) is gone (the PID now belongs to another process) and left no exit status"
            : $"nomad-executor (pid {t.State.ExecutorPid}) exited without recording the task's exit status";
        if (ProcFs.IsAlive(t.State.Pid, t.State.StartTime))
        {
            // Nobody would reap it or copy its output any more: end it, so a restart does not run two copies.
            KillEverything(t);
            why += $"; the task (pid {t.State.Pid}) was still running and has been killed";
        }
        Console.Error.WriteLine($"[WARN]  {Name}: task {t.Config.ID}: {why}");
        t.Complete(new ExitResult(-1, 0, false, why));
    }

    private static (ExitResult Result, DateTime At)? ReadExitStatus(string path)
    {
        try
        {
            using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
            var r = doc.RootElement;
            var at = r.TryGetProperty("ExitedAt", out var e) && e.TryGetDateTime(out var d) ? d.ToUniversalTime() : DateTime.UtcNow;
            return (new ExitResult(r.GetProperty("ExitCode").GetInt32(), r.GetProperty("Signal").GetInt32(),
                r.TryGetProperty("OOMKilled", out var o) && o.ValueKind == JsonValueKind.True), at);
        }
        catch (Exception e) when (e is IOException or JsonException or KeyNotFoundException or InvalidOperationException or UnauthorizedAccessException)
        { return null; }
    }

    /// <summary>Sends <paramref name="sig"/> to the task's process group, if the group is still the task's.</summary>
    private static void SignalGroup(ShimTask t, int sig)
    {
        // While the shim lives it has not yet reaped the task, so the group ID cannot have been reused.
        if (ProcFs.IsAlive(t.State.ExecutorPid, t.State.ExecutorStartTime) || ProcFs.IsSame(t.State.Pid, t.State.StartTime))
            Native.Kill(-t.State.Pid, sig);
    }

    /// <summary>
    /// SIGKILL to the task's group and to every process of the task we can find: the shim's descendants (the shim
    /// is the task's child subreaper, so even what the task daemonized or moved to another session stays below
    /// it), or the task's own descendants when the shim is gone.
    /// </summary>
    private void KillEverything(ShimTask t)
    {
        var s = t.State;
        bool shimAlive = ProcFs.IsAlive(s.ExecutorPid, s.ExecutorStartTime);
        bool taskSame = ProcFs.IsSame(s.Pid, s.StartTime);
        var victims = new HashSet<int>();
        if (shimAlive) victims.UnionWith(ProcFs.Descendants(s.ExecutorPid));
        if (taskSame) victims.UnionWith(ProcFs.Descendants(s.Pid));
        if (shimAlive || taskSame) Native.Kill(-s.Pid, Native.SIGKILL);
        foreach (var pid in victims) Native.Kill(pid, Native.SIGKILL);
        KillRemains(s);
    }

    /// <summary>Kills the task and waits for its shim to record the exit; kills the shim too if it does not.</summary>
    private async Task KillAsync(ShimTask t, CancellationToken ct)
    {
        KillEverything(t);
        if (await Finished(t, KillWait, ct).ConfigureAwait(false)) return;
        Console.Error.WriteLine($"[WARN]  {Name}: task {t.Config.ID}: the executor did not finish {KillWait.TotalSeconds:0} s after SIGKILL; killing it");
        if (ProcFs.IsAlive(t.State.ExecutorPid, t.State.ExecutorStartTime)) Native.Kill(t.State.ExecutorPid, Native.SIGKILL);
        KillEverything(t);
        if (!await Finished(t, KillWait, ct).ConfigureAwait(false))
            throw new TimeoutException($"{Name}: task {t.Config.ID} did not exit after SIGKILL");
    }

    private static async Task<bool> Finished(ShimTask t, TimeSpan wait, CancellationToken ct) =>
        await Task.WhenAny(t.Exit.Task, Task.Delay(wait, ct)).ConfigureAwait(false) == t.Exit.Task;

    /// <summary>The shim's descendants (the task and what it forked); the task's own if the shim is gone.</summary>
    private static IEnumerable<int> TaskProcesses(ShimTask t)
    {
        var s = t.State;
        if (ProcFs.IsAlive(s.ExecutorPid, s.ExecutorStartTime)) return ProcFs.Descendants(s.ExecutorPid);
        if (ProcFs.IsAlive(s.Pid, s.StartTime)) return ProcFs.Descendants(s.Pid).Prepend(s.Pid);
        return [];
    }

    /// <inheritdoc />
    public void Dispose() { _watcher.Dispose(); GC.SuppressFinalize(this); }

    private sealed class ShimTask(TaskConfig config, ShimTaskState state)
    {
        public TaskConfig Config { get; } = config;
        public ShimTaskState State { get; } = state;
        public TaskCompletionSource<ExitResult> Exit { get; } = new(TaskCreationOptions.RunContinuationsAsynchronously);
        public bool Exited => Exit.Task.IsCompleted;
        public DateTime? CompletedAt { get; private set; }
        /// <summary>The shim, when this driver process started it (it is then our child, and .NET reaps it).</summary>
        public Process? Shim { get; init; }
        public (DateTime At, ulong User, ulong Sys)? LastCpu { get; set; }
        public long MaxRss { get; set; }

        public void Complete(ExitResult r, DateTime? at = null)
        {
            CompletedAt ??= at ?? DateTime.UtcNow;
            if (Exit.TrySetResult(r)) Shim?.Dispose();
        }
    }
}
