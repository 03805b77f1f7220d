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
            while (!ct.IsCancellationRequested)
            {
                string? startError = null;
                if (runner is null)
                {
                    if (_kill.IsCancellationRequested) { Die(failed: false, null); return; }
                    (runner, startError, var fatal) = await StartAttemptAsync(ct).ConfigureAwait(false);
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
                if (startError is not null) Change(s => s, TaskEvents.DriverFailure(startError));
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
    private async Task<(TaskRunner? Runner, string? StartError, bool Fatal)> StartAttemptAsync(CancellationToken ct)
    {
        Change(s => s, TaskEvents.Setup());
        var dir = _alloc.Dir;
        dir.Build();
        dir.BuildTask(_task.Name);
        if (Ctx.Drivers.Get(_task.Driver)?.Driver is not { } driver)
            return (null, $"failed to start task: driver \"{_task.Driver}\" is not available on this node", false);

        var caps = await driver.CapabilitiesAsync(ct).ConfigureAwait(false);
        var env = TaskEnvironment.Build(_alloc.Alloc, _task, Ctx.Node(), dir, Ctx.Region, isolated: caps.FSIsolation != "none");
        var templates = TaskTemplateHook.Render(_task.Templates, dir.TaskDir(_task.Name), env.Variables, env.Interpolate);
        if (templates.Error is not null)
        {
            Die(failed: true, TaskEvents.TemplateFailed(templates.Error));
            return (null, null, true);
        }
        var config = env.InterpolateConfig(_task.Config);
        var validation = await driver.ValidateTaskConfigAsync(config, ct).ConfigureAwait(false);
        if (validation.Errors.Count > 0)
        {
            Die(failed: true, TaskEvents.FailedValidation(string.Join("; ", validation.Errors)));
            return (null, null, true);
        }
        var resources = _alloc.Alloc.AllocatedResources.Tasks.GetValueOrDefault(_task.Name);
        var task = new TaskConfig
        {
            ID = TaskId,
            Name = _task.Name,
            AllocID = _alloc.Alloc.ID,
            JobName = _alloc.Alloc.Job?.Name ?? _alloc.Alloc.JobID,
            TaskGroupName = _alloc.Alloc.TaskGroup,
            Env = env.Variables.Concat(templates.Env).GroupBy(kv => kv.Key).ToDictionary(g => g.Key, g => g.Last().Value),
            Resources = new TaskResources(resources?.Cpu.CpuShares ?? _task.Resources.CPU, resources?.Memory.MemoryMB ?? _task.Resources.MemoryMB),
            User = _task.User,
            AllocDir = dir.Root,
            TaskDir = dir.TaskDir(_task.Name),
            StdoutPath = dir.LogBase(_task.Name, "stdout"),
            StderrPath = dir.LogBase(_task.Name, "stderr"),
            LogMaxFiles = _task.LogConfig.MaxFiles,
            LogMaxFileSizeMB = _task.LogConfig.MaxFileSizeMB,
            DriverConfig = config,
        };
        return (TaskRunner.Start(Ctx.Drivers, Ctx.TaskStore, _task.Driver, task, Ctx.Log, ct), null, false);
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

    /// <summary>Records a sibling's failure before the allocation kills this task.</summary>
    public void SiblingFailed(string sibling)
    {
        if (!IsDead) Change(s => s, TaskEvents.SiblingFailed(sibling));
    }

    /// <summary>The longest a task may take to stop before it is force killed: Nomad's client max_kill_timeout default.</summary>
    public static readonly long MaxKillTimeoutNs = (long)TimeSpan.FromSeconds(30).TotalNanoseconds;

    private async Task StopRunnerAsync(TaskRunner runner)
    {
        if (runner.Exited.IsCompleted) return;
        var killTimeout = Math.Min(_task.KillTimeout, MaxKillTimeoutNs);
        if (Interlocked.Exchange(ref _killingSent, 1) == 0) Change(s => s, TaskEvents.Killing(killTimeout, _killReason));
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
