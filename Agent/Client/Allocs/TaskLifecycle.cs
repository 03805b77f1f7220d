using Nomad.Agent.Client.Dispatch;
using Nomad.Agent.Client.Artifacts;
using Nomad.Agent.Structs;
using Nomad.Agent.Templates;
using Nomad.Contracts;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// One task of an allocation from receipt to death (Nomad's client TaskRunner): builds its directory and
/// environment, runs each attempt through a <see cref="TaskRunner"/> (task ID <c>ALLOC/TASK/ATTEMPT</c>),
/// applies the restart policy when an attempt ends, and kills it with its kill_timeout and kill_signal.
/// Every change of its state goes to the owning <see cref="AllocRunner"/>, which persists and reports it.
/// </summary>
public sealed class TaskLifecycle
{
    private readonly AllocRunner _alloc;
    private readonly JobTask _task;
    private readonly RestartTracker _restarts;
    private readonly CancellationTokenSource _kill = new();
    private readonly Lock _lock = new();
    private TaskRunner? _runner;
    private string _killReason = "";
    private int _killingSent;
    private Task? _stopping;
    private readonly HashSet<int> _artifactsFetched = new();
    private Task _loop = Task.CompletedTask;

    public TaskLifecycle(AllocRunner alloc, JobTask task, RestartPolicy policy, bool restartOnSuccess, TaskLifecycleRecord? record)
    {
        _alloc = alloc;
        _task = task;
        _restarts = new RestartTracker(policy, restartOnSuccess);
        State = record?.State ?? new TaskState();
        Attempt = record?.Attempt ?? 0;
        _restarts.Count = record?.RestartCount ?? 0;
        _restarts.IntervalStart = record?.IntervalStart ?? 0;
    }

    public string Name => _task.Name;
    /// <summary>The task as the job defines it.</summary>
    public JobTask Definition => _task;
    public TaskState State { get; private set; }
    public int Attempt { get; private set; }
    public string TaskId => $"{_alloc.Alloc.ID}/{_task.Name}/{Attempt}";
    public bool IsDead => State.State == TaskStateName.Dead;

    /// <summary>The attempt that runs now, if any (for stats).</summary>
    public TaskRunner? Runner => _runner;

    /// <summary>Completes when the task is dead, or when the agent stops following it.</summary>
    public Task Done => _loop;

    public TaskLifecycleRecord Record
    {
        get { lock (_lock) return new(State, Attempt, _restarts.Count, _restarts.IntervalStart); }
    }

    private AllocRunnerContext Ctx => _alloc.Context;

    /// <summary>Starts a new task (emits Received) or, with <paramref name="recovering"/>, picks up where the last agent left it.</summary>
    public void Run(bool recovering) => _loop = Task.Run(() => RunAsync(recovering));

    private async Task RunAsync(bool recovering)
    {
        var ct = Ctx.Shutdown;
        try
        {
            if (IsDead) return;
            if (!recovering) Change(s => s, TaskEvents.Received());
            TaskRunner? runner = null;
            if (recovering && Ctx.TaskStore.Get(TaskId) is { } record)
            {
                Ctx.Log.Info($"recovering task: task_id={TaskId} driver={record.Driver}");
                runner = TaskRunner.Recover(Ctx.Drivers, Ctx.TaskStore, record, Ctx.Log, ct);
            }
            // A task that has not run yet waits for its turn in the group's lifecycle (a recovered one has had it).
            if (runner is null && !await WaitForStartConditionAsync(ct).ConfigureAwait(false))
            {
                Die(failed: false, null);
                return;
            }
            while (!ct.IsCancellationRequested)
            {
                string? startError = null;
                TaskEvent? startEvent = null;
                if (runner is null)
                {
                    if (_kill.IsCancellationRequested) { Die(failed: false, null); return; }
                    (runner, startError, var fatal, startEvent) = await StartAttemptAsync(ct).ConfigureAwait(false);
                    if (fatal) return;
                }

                ExitResult exit;
                var ran = false;
                if (runner is not null)
                {
                    _runner = runner;
                    ran = await runner.Started.WaitAsync(ct).ConfigureAwait(false);
                    if (ran && State.State != TaskStateName.Running)
                        Change(s => s with { State = TaskStateName.Running, StartedAt = DateTime.UtcNow }, TaskEvents.Started());
                    if (ran && _kill.IsCancellationRequested) _ = StopRunnerAsync(runner);
                    exit = await runner.Exited.WaitAsync(ct).ConfigureAwait(false);
                    _runner = null;
                    if (!ran && exit.Err is not null) startError = exit.Err;
                }
                else exit = new ExitResult(-1, Err: startError);

                var endedId = TaskId;
                if (startError is not null) Change(s => s, startEvent ?? TaskEvents.DriverFailure(startError));
                else Change(s => s, TaskEvents.Terminated(exit.ExitCode, exit.Signal, exit.OOMKilled, exit.Err));

                if (_kill.IsCancellationRequested)
                {
                    Die(failed: false, TaskEvents.Killed(null));
                    await ForgetAttemptAsync(endedId).ConfigureAwait(false);
                    return;
                }
                var decision = _restarts.OnExit(exit.Successful && startError is null, startFailed: startError is not null);
                if (!decision.Restart)
                {
                    Die(decision.Failed, decision.Reason == RestartTracker.ReasonSucceeded ? null : TaskEvents.NotRestarting(decision.Reason, decision.Failed));
                    await ForgetAttemptAsync(endedId).ConfigureAwait(false);
                    return;
                }
                lock (_lock) Attempt++;
                Change(s => s with { State = TaskStateName.Pending, Restarts = s.Restarts + 1, LastRestart = DateTime.UtcNow },
                    TaskEvents.Restarting(decision.Delay, decision.Reason));
                await ForgetAttemptAsync(endedId).ConfigureAwait(false);
                runner = null;
                using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, _kill.Token);
                try { await Task.Delay(decision.Delay, wait.Token).ConfigureAwait(false); }
                catch (OperationCanceledException) when (!ct.IsCancellationRequested) { }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            // The agent is stopping: the task keeps running under its shim, for the next agent to recover.
        }
        catch (Exception e)
        {
            Ctx.Log.Error($"task runner failed: task_id={TaskId} error=\"{e.Message}\"");
            Die(failed: true, TaskEvents.DriverFailure(e.Message));
        }
    }

    /// <summary>True once the task may start; false when it is killed first.</summary>
    private async Task<bool> WaitForStartConditionAsync(CancellationToken ct)
    {
        var condition = _alloc.Coordinator.StartCondition(_task);
        if (condition.IsCompleted) return !_kill.IsCancellationRequested;
        using var wait = CancellationTokenSource.CreateLinkedTokenSource(ct, _kill.Token);
        try
        {
            await condition.WaitAsync(wait.Token).ConfigureAwait(false);
            return !_kill.IsCancellationRequested;
        }
        catch (OperationCanceledException) when (!ct.IsCancellationRequested)
        {
            return false;
        }
    }

    /// <summary>
    /// Drops the ended attempt's task record, but only once the allocation record saying how it ended is on disk:
    /// after a crash in between, a running-looking task with no task record would be started again.
    /// </summary>
    private async Task ForgetAttemptAsync(string endedId)
    {
        try { await Ctx.AllocStore.FlushAsync().ConfigureAwait(false); }
        catch (Exception e)
        {
            // Keep the task record: a recovering agent then reads the exit from it instead of running the task again.
            Ctx.Log.Warn($"keeping task record, allocation state not written: task_id={endedId} error=\"{e.Message}\"");
            return;
        }
        Ctx.TaskStore.Remove(endedId);
    }

    /// <summary>Builds the task's directory, environment and config and starts it; a bad config fails the task for good.</summary>
    private async Task<(TaskRunner? Runner, string? StartError, bool Fatal, TaskEvent? FailEvent)> StartAttemptAsync(CancellationToken ct)
    {
        Change(s => s, TaskEvents.Setup());
        var dir = _alloc.Dir;
        dir.Build();
        dir.BuildTask(_task.Name);
        // Only before the first attempt, as Nomad's hook: a restarted task keeps what it made of its local/ dir.
        if (Attempt == 0 && DispatchPayloadFile.Write(_alloc.Alloc.Job, _task, dir.TaskLocalDir(_task.Name)) is { } payloadError)
        {
            Die(failed: true, DispatchPayloadFile.HookFailed(payloadError));
            return (null, null, true, null);
        }
        if (Ctx.Drivers.Get(_task.Driver)?.Driver is not { } driver)
            return (null, $"failed to start task: driver \"{_task.Driver}\" is not available on this node", false, null);

        var caps = await driver.CapabilitiesAsync(ct).ConfigureAwait(false);
        var env = TaskEnvironment.Build(_alloc.Alloc, _task, Ctx.Node(), dir, Ctx.Region, isolated: caps.FSIsolation != "none");
        List<TaskMount> mounts;
        try { mounts = TaskMounts.Resolve(_alloc.Alloc, _task, Ctx.Node()); }
        catch (InvalidOperationException e)
        {
            Die(failed: true, TaskEvents.SetupFailure(e.Message));
            return (null, null, true, null);
        }
        if (await FetchArtifactsAsync(env, dir, ct).ConfigureAwait(false) is { } artifactError)
            return (null, artifactError, false, TaskEvents.ArtifactDownloadFailed(artifactError));
        // After the artifacts, as Nomad's hooks run: a template may render a file an artifact brought.
        var templates = TaskTemplateHook.Render(_task.Templates, dir.TaskDir(_task.Name), env.Variables, env.Interpolate);
        if (templates.Error is not null)
        {
            Die(failed: true, TaskEvents.TemplateFailed(templates.Error));
            return (null, null, true, null);
        }
        // As Nomad's runDriver: the driver config is interpolated after the hooks, so env = true templates reach it.
        if (templates.Env.Count > 0) env = env.With(templates.Env);
        var config = env.InterpolateConfig(_task.Config);
        var validation = await driver.ValidateTaskConfigAsync(config, ct).ConfigureAwait(false);
        if (validation.Errors.Count > 0)
        {
            Die(failed: true, TaskEvents.FailedValidation(string.Join("; ", validation.Errors)));
            return (null, null, true, null);
        }
        var resources = _alloc.Alloc.AllocatedResources.Tasks.GetValueOrDefault(_task.Name);
        var task = new TaskConfig
        {
            ID = TaskId,
            Name = _task.Name,
            AllocID = _alloc.Alloc.ID,
            JobName = _alloc.Alloc.Job?.Name ?? _alloc.Alloc.JobID,
            TaskGroupName = _alloc.Alloc.TaskGroup,
            Env = new Dictionary<string, string>(env.Variables),
            Resources = new TaskResources(resources?.Cpu.CpuShares ?? _task.Resources.CPU, resources?.Memory.MemoryMB ?? _task.Resources.MemoryMB),
            User = _task.User,
            AllocDir = dir.Root,
            TaskDir = dir.TaskDir(_task.Name),
            StdoutPath = dir.LogBase(_task.Name, "stdout"),
            StderrPath = dir.LogBase(_task.Name, "stderr"),
            LogMaxFiles = _task.LogConfig.MaxFiles,
            LogMaxFileSizeMB = _task.LogConfig.MaxFileSizeMB,
            DriverConfig = config,
            Mounts = mounts,
        };
        return (TaskRunner.Start(Ctx.Drivers, Ctx.TaskStore, _task.Driver, task, Ctx.Log, ct), null, false, null);
    }

    /// <summary>
    /// Nomad's artifact hook: fetches the artifacts not fetched by an earlier attempt into the task dir
    /// ("Downloading Artifacts"); returns why one failed, which fails this attempt as a start failure.
    /// </summary>
    private async Task<string?> FetchArtifactsAsync(TaskEnvironment env, AllocDir dir, CancellationToken ct)
    {
        if (_task.Artifacts is not { Count: > 0 } artifacts || _artifactsFetched.Count == artifacts.Count) return null;
        Change(s => s, TaskEvents.DownloadingArtifacts());
        // The destination is a host path: interpolated with the task's directories as the client sees them.
        var hostEnv = TaskEnvironment.Build(_alloc.Alloc, _task, Ctx.Node(), dir, Ctx.Region, isolated: false);
        var task = new ArtifactTask
        {
            AllocDir = dir.Root,
            TaskDir = dir.TaskDir(_task.Name),
            SharedDir = dir.SharedDir,
            Interpolate = env.Interpolate,
            InterpolateClientPath = hostEnv.Interpolate,
        };
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(ct, _kill.Token);
        try
        {
            await Ctx.Artifacts.FetchAllAsync(artifacts, task, _artifactsFetched, stop.Token).ConfigureAwait(false);
            return null;
        }
        catch (ArtifactException e)
        {
            Ctx.Log.Error($"failed to download artifacts: task_id={TaskId} error=\"{e.Message}\"");
            return e.Message;
        }
        catch (OperationCanceledException) when (_kill.IsCancellationRequested && !ct.IsCancellationRequested)
        {
            return "artifact download canceled: the task is being killed";
        }
    }

    /// <summary>Kills the task (Killing, then Killed once it has exited) and waits until it is dead.</summary>
    public async Task KillAsync(string reason = "")
    {
        if (IsDead) return;
        lock (_lock) if (_killReason.Length == 0) _killReason = reason;
        _kill.Cancel();
        if (_runner is { Started.IsCompletedSuccessfully: true } r && r.Started.Result) await StopRunnerAsync(r).ConfigureAwait(false);
        await _loop.ConfigureAwait(false);
    }

    /// <summary>Records why the allocation is about to kill this task (a sibling failed, the leader or the main tasks died).</summary>
    public void KillEvent(TaskEvent e)
    {
        if (!IsDead) Change(s => s, e);
    }

    /// <summary>The longest a task may take to stop before it is force killed: Nomad's client max_kill_timeout default.</summary>
    public static readonly long MaxKillTimeoutNs = (long)TimeSpan.FromSeconds(30).TotalNanoseconds;

    /// <summary>Stops the attempt once, however many callers ask: Killing, the task's shutdown_delay, then the kill signal.</summary>
    private Task StopRunnerAsync(TaskRunner runner)
    {
        lock (_lock) return _stopping ??= Task.Run(() => StopOnceAsync(runner));
    }

    private async Task StopOnceAsync(TaskRunner runner)
    {
        if (runner.Exited.IsCompleted) return;
        var killTimeout = Math.Min(_task.KillTimeout, MaxKillTimeoutNs);
        if (Interlocked.Exchange(ref _killingSent, 1) == 0) Change(s => s, TaskEvents.Killing(killTimeout, _killReason));
        if (_task.ShutdownDelay > 0)
        {
            // As Nomad: the task keeps running through its shutdown_delay (unless it exits by itself meanwhile).
            Change(s => s, TaskEvents.WaitingShutdownDelay(_task.ShutdownDelay));
            var delay = Task.Delay(TimeSpan.FromTicks(_task.ShutdownDelay / 100), Ctx.Shutdown);
            await Task.WhenAny(delay, runner.Exited).ConfigureAwait(false);
            if (runner.Exited.IsCompleted || Ctx.Shutdown.IsCancellationRequested) return;
        }
        try
        {
            var driver = Ctx.Drivers.Get(runner.DriverName)?.Driver ?? throw new InvalidOperationException($"driver {runner.DriverName} is not running");
            var signal = _task.KillSignal.Length > 0 ? _task.KillSignal : "SIGINT";
            await driver.StopTaskAsync(runner.Handle!.Config.ID, killTimeout / 1_000_000, signal).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            Ctx.Log.Warn($"failed to stop task: task_id={TaskId} error=\"{e.Message}\"");
        }
    }

    private void Die(bool failed, TaskEvent? e) =>
        Change(s => s with { State = TaskStateName.Dead, Failed = failed, FinishedAt = DateTime.UtcNow }, e);

    /// <summary>Records what the driver reported about the current attempt (image pulls and the like).</summary>
    public void DriverReported(string message) => Change(s => s, TaskEvents.Driver(message));

    private void Change(Func<TaskState, TaskState> change, TaskEvent? e)
    {
        lock (_lock)
        {
            var s = change(State);
            State = e is null ? s : TaskEvents.Append(s, e);
        }
        _alloc.TaskChanged(this);
    }
}
