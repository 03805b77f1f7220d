using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// One allocation on this client (Nomad's allocrunner): its directory, one <see cref="TaskLifecycle"/> per
/// task of its group started in their lifecycle order (<see cref="TaskHookCoordinator"/>), the client status
/// derived from the task states, and every change persisted under state_dir and queued for the servers.
/// Stopping waits out the group's shutdown_delay, kills the tasks in Nomad's order (leader, others, sidecars)
/// and lets the poststop tasks run; destroying also removes its directory.
/// </summary>
public sealed class AllocRunner
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, TaskLifecycle> _tasks = new();
    private AllocRecord _record;
    private AllocHealthWatcher? _health;
    private TaskHookCoordinator _coordinator = new([]);
    private Task? _killing;
    private int _killEventSent;

    private AllocRunner(AllocRunnerContext ctx, AllocRecord record)
    {
        Context = ctx;
        _record = record;
        Dir = new AllocDir(ctx.AllocDirRoot, record.Alloc.ID);
    }

    public AllocRunnerContext Context { get; }
    public AllocDir Dir { get; }
    public Allocation Alloc { get { lock (_lock) return _record.Alloc; } }
    public string ClientStatus { get { lock (_lock) return _record.ClientStatus; } }
    public long TerminalAt { get { lock (_lock) return _record.TerminalAt; } }
    public bool Destroyed { get; private set; }

    /// <summary>When each task may start, and when the death of some stops the others.</summary>
    public TaskHookCoordinator Coordinator { get { lock (_lock) return _coordinator; } }

    /// <summary>True when the servers want it stopped or every task is dead: nothing runs, it may be collected.</summary>
    public bool IsTerminal
    {
        get
        {
            lock (_lock)
                return _tasks.Values.All(t => t.IsDead) && (_record.Alloc.IsTerminal || _record.ClientStatus is AllocClientStatus.Complete or AllocClientStatus.Failed);
        }
    }

    public IReadOnlyList<TaskLifecycle> Tasks { get { lock (_lock) return _tasks.Values.ToList(); } }

    public Dictionary<string, TaskState> TaskStates()
    {
        lock (_lock) return _tasks.ToDictionary(kv => kv.Key, kv => kv.Value.State);
    }

    /// <summary>Starts a new allocation's tasks.</summary>
    public static AllocRunner Start(AllocRunnerContext ctx, Allocation alloc)
    {
        var runner = new AllocRunner(ctx, new AllocRecord { Alloc = alloc });
        runner.Dir.Build();
        runner.CreateTasks(null);
        runner.Persist();
        runner.Report();
        runner.WatchHealth();
        foreach (var t in runner.Tasks) t.Run(recovering: false);
        return runner;
    }

    /// <summary>Picks up an allocation from the state dir: running tasks are re-attached, nothing is restarted.</summary>
    public static AllocRunner Restore(AllocRunnerContext ctx, AllocRecord record)
    {
        var runner = new AllocRunner(ctx, record);
        runner.CreateTasks(record.Tasks);
        // What the servers last heard may predate a crash: tell them where things stand.
        runner.Report();
        runner.WatchHealth();
        foreach (var t in runner.Tasks) t.Run(recovering: true);
        // The agent may have stopped between a task's death and what it should have set off (sidecars killed, say).
        runner.Coordinate();
        // A stop that arrived while the agent was down (or was not finished) is carried out now.
        if (record.Alloc.DesiredStatus != AllocDesiredStatus.Run) _ = runner.StopAsync();
        return runner;
    }

    private void CreateTasks(Dictionary<string, TaskLifecycleRecord>? records)
    {
        var alloc = _record.Alloc;
        var job = alloc.Job;
        var group = job?.TaskGroups.FirstOrDefault(g => g.Name == alloc.TaskGroup);
        if (job is null || group is null)
        {
            Context.Log.Error($"allocation has no job or task group; cannot run it: alloc_id={alloc.ID} task_group={alloc.TaskGroup}");
            _record = _record with { ClientStatus = AllocClientStatus.Failed, ClientDescription = $"task group \"{alloc.TaskGroup}\" not found in the job", TerminalAt = UnixNanos.Now() };
            return;
        }
        var policy = group.RestartPolicy ?? RestartPolicy.ForJobType(job.Type);
        foreach (var task in group.Tasks)
            _tasks[task.Name] = new TaskLifecycle(this, task, policy, RestartTracker.RestartsOnSuccess(job.Type, task.Lifecycle), records?.GetValueOrDefault(task.Name));
        var coordinator = new TaskHookCoordinator(group.Tasks);
        // A restored allocation's gates open from the states it had: a prestart task that completed is not run again.
        coordinator.TaskStatesUpdated(TaskStates());
        lock (_lock) _coordinator = coordinator;
    }

    /// <summary>
    /// A service allocation's health is watched with its group's <c>migrate</c> settings (Nomad's health hook
    /// without a deployment), once: an allocation whose health is known is not watched again.
    /// </summary>
    private void WatchHealth()
    {
        var alloc = _record.Alloc;
        if (alloc.Job is not { Type: JobType.Service } job || _record.DeploymentStatus is not null || alloc.DeploymentStatus is { HasHealth: true }) return;
        if (alloc.IsTerminal || _tasks.Count == 0) return;
        var group = job.TaskGroups.First(g => g.Name == alloc.TaskGroup);
        var ignored = group.Tasks.Where(t => t.Lifecycle is { Sidecar: false }).Select(t => t.Name).ToHashSet();
        _health = new AllocHealthWatcher(HealthSettings.Of(group.Migrate ?? new MigrateStrategy()), ignored, UnixNanos.Now(), HealthDecided);
        _health.Observe(TaskStates());
    }

    private void HealthDecided(bool healthy, long at)
    {
        lock (_lock)
        {
            // A stopping allocation's tasks die on purpose: that is no verdict on its health (Nomad cancels the watch).
            if (Destroyed || _record.Alloc.DesiredStatus != AllocDesiredStatus.Run) return;
            _record = _record with { DeploymentStatus = new AllocDeploymentStatus { Healthy = healthy, Timestamp = at } };
        }
        Context.Log.Debug($"allocation health decided: alloc_id={Alloc.ID} healthy={healthy}");
        Persist();
        Report();
    }

    /// <summary>The servers changed the allocation: remember it, and stop the tasks if it is to stop.</summary>
    public void Update(Allocation alloc)
    {
        lock (_lock) _record = _record with { Alloc = alloc };
        if (alloc.DesiredStatus is AllocDesiredStatus.Stop or AllocDesiredStatus.Evict)
        {
            Context.Log.Info($"stopping allocation: alloc_id={alloc.ID} desired_status={alloc.DesiredStatus}");
            _ = StopAsync();
        }
        Persist();
    }

    /// <summary>
    /// Kills every task in Nomad's order and waits until all are dead, the poststop tasks included, which run once
    /// the others are dead (or until the agent stops following them).
    /// </summary>
    public async Task StopAsync()
    {
        await KillTasksAsync().ConfigureAwait(false);
        await Task.WhenAll(Tasks.Select(t => t.Done)).ConfigureAwait(false);
    }

    /// <summary>
    /// Nomad's killTasks, once however often asked: the group's shutdown_delay, then the leader, then every other task
    /// but the sidecars at once, then the sidecars. Poststop tasks are not killed: they run after.
    /// </summary>
    private Task KillTasksAsync(string reason = "")
    {
        lock (_lock) return _killing ??= Task.Run(() => KillInOrderAsync(reason));
    }

    private async Task KillInOrderAsync(string reason)
    {
        var alloc = Alloc;
        var delay = alloc.Job?.TaskGroups.FirstOrDefault(g => g.Name == alloc.TaskGroup)?.ShutdownDelay ?? 0;
        if (delay > 0 && Tasks.Any(t => t.State.State == TaskStateName.Running))
        {
            Context.Log.Debug($"delay before killing tasks: alloc_id={alloc.ID} group={alloc.TaskGroup} shutdown_delay={GoDuration.FormatNanoseconds(delay)}");
            try { await Task.Delay(TimeSpan.FromTicks(delay / 100), Context.Shutdown).ConfigureAwait(false); }
            catch (OperationCanceledException) { return; }
        }
        var byName = Tasks.ToDictionary(t => t.Name);
        foreach (var phase in Coordinator.KillPhases())
            await Task.WhenAll(phase.Select(n => byName[n].KillAsync(reason))).ConfigureAwait(false);
    }

    /// <summary>Stops the tasks, then removes the directory and everything the client remembered of it.</summary>
    public async Task DestroyAsync()
    {
        await StopAsync().ConfigureAwait(false);
        lock (_lock) Destroyed = true;
        _health?.Dispose();
        try { Dir.Destroy(); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            Context.Log.Warn($"failed to remove allocation directory: alloc_id={Alloc.ID} error=\"{e.Message}\"");
        }
        Context.AllocStore.Remove(Alloc.ID);
        foreach (var t in Tasks) Context.TaskStore.Remove(t.TaskId);
        Context.Log.Debug($"allocation destroyed: alloc_id={Alloc.ID}");
    }

    /// <summary>Called by a task whenever its state changed.</summary>
    internal void TaskChanged(TaskLifecycle task)
    {
        if (Destroyed) return;
        lock (_lock)
        {
            var (status, description) = ClientStatusOf(_tasks.Values.Select(t => t.State));
            var terminal = status is AllocClientStatus.Complete or AllocClientStatus.Failed;
            _record = _record with
            {
                ClientStatus = status,
                ClientDescription = description,
                TerminalAt = terminal ? (_record.TerminalAt == 0 ? UnixNanos.Now() : _record.TerminalAt) : 0,
            };
        }
        Persist();
        Report();
        _health?.Observe(TaskStates());
        Coordinate();
    }

    /// <summary>
    /// Opens the lifecycle gates the task states now allow and, when a task failed, the leader died or only sidecars
    /// are left, tells the live tasks why and kills them (once).
    /// </summary>
    private void Coordinate()
    {
        var states = TaskStates();
        var coordinator = Coordinator;
        coordinator.TaskStatesUpdated(states);
        if (coordinator.KillDecision(states) is not { } decision || Interlocked.Exchange(ref _killEventSent, 1) == 1) return;
        Context.Log.Debug($"killing tasks: alloc_id={Alloc.ID} reason=\"{decision.Event.DisplayMessage}\"");
        var byName = Tasks.ToDictionary(t => t.Name);
        foreach (var name in decision.Alive) byName[name].KillEvent(decision.Event);
        _ = KillTasksAsync(decision.Event.Type == TaskEventType.SiblingFailed ? $"Sibling task \"{decision.Event.FailedSibling}\" failed" : "");
    }

    /// <summary>Nomad's getClientStatus: any failed → failed; any running → running; any pending → pending; all dead → complete.</summary>
    public static (string Status, string Description) ClientStatusOf(IEnumerable<TaskState> states)
    {
        bool pending = false, running = false, dead = false, failed = false;
        foreach (var s in states)
        {
            switch (s.State)
            {
                case TaskStateName.Running: running = true; break;
                case TaskStateName.Pending: pending = true; break;
                case TaskStateName.Dead: if (s.Failed) failed = true; else dead = true; break;
            }
        }
        if (failed) return (AllocClientStatus.Failed, "Failed tasks");
        if (running) return (AllocClientStatus.Running, "Tasks are running");
        if (pending) return (AllocClientStatus.Pending, "No tasks have started");
        if (dead) return (AllocClientStatus.Complete, "All tasks have completed");
        return (AllocClientStatus.Pending, "");
    }

    /// <summary>The allocation's resource usage from its running tasks' drivers (Nomad's AllocResourceUsage).</summary>
    public async Task<AllocResourceUsage> StatsAsync(CancellationToken ct)
    {
        var tasks = new Dictionary<string, Structs.TaskResourceUsage>();
        foreach (var t in Tasks)
        {
            if (t.Runner is not { Handle: { } handle } runner || Context.Drivers.Get(runner.DriverName)?.Driver is not { } driver) continue;
            try
            {
                var u = await driver.TaskStatsAsync(handle.Config.ID, ct).ConfigureAwait(false);
                tasks[t.Name] = new Structs.TaskResourceUsage { ResourceUsage = Usage(u), Timestamp = u.Timestamp > 0 ? u.Timestamp : UnixNanos.Now() };
            }
            catch (Exception e) when (e is not OperationCanceledException)
            {
                Context.Log.Debug($"no stats for task: task_id={handle.Config.ID} error=\"{e.Message}\"");
            }
        }
        var total = new ResourceUsage
        {
            MemoryStats = new MemoryStats
            {
                RSS = Sum(tasks, u => u.MemoryStats.RSS), Cache = Sum(tasks, u => u.MemoryStats.Cache), Swap = Sum(tasks, u => u.MemoryStats.Swap),
                Usage = Sum(tasks, u => u.MemoryStats.Usage), MaxUsage = Sum(tasks, u => u.MemoryStats.MaxUsage),
                Measured = tasks.Values.FirstOrDefault()?.ResourceUsage.MemoryStats.Measured ?? [],
            },
            CpuStats = new CpuStats
            {
                SystemMode = tasks.Values.Sum(t => t.ResourceUsage.CpuStats.SystemMode), UserMode = tasks.Values.Sum(t => t.ResourceUsage.CpuStats.UserMode),
                TotalTicks = tasks.Values.Sum(t => t.ResourceUsage.CpuStats.TotalTicks), Percent = tasks.Values.Sum(t => t.ResourceUsage.CpuStats.Percent),
                ThrottledPeriods = (ulong)tasks.Values.Sum(t => (double)t.ResourceUsage.CpuStats.ThrottledPeriods),
                Measured = tasks.Values.FirstOrDefault()?.ResourceUsage.CpuStats.Measured ?? [],
            },
        };
        return new AllocResourceUsage { ResourceUsage = total, Tasks = tasks, Timestamp = UnixNanos.Now() };
    }

    private static ulong Sum(Dictionary<string, Structs.TaskResourceUsage> tasks, Func<ResourceUsage, ulong> f) =>
        tasks.Values.Aggregate(0UL, (acc, t) => acc + f(t.ResourceUsage));

    private static ResourceUsage Usage(Contracts.TaskResourceUsage u) => new()
    {
        MemoryStats = new MemoryStats
        {
            RSS = (ulong)Math.Max(0, u.MemoryRssBytes), Cache = (ulong)Math.Max(0, u.MemoryCacheBytes), Swap = (ulong)Math.Max(0, u.MemorySwapBytes),
            MaxUsage = (ulong)Math.Max(0, u.MemoryMaxUsageBytes),
            Measured = u.MemoryCacheBytes > 0 ? ["RSS", "Cache", "Swap", "Max Usage"] : ["RSS", "Swap"],
        },
        CpuStats = new CpuStats
        {
            SystemMode = u.CpuSystemMode, UserMode = u.CpuUserMode, TotalTicks = u.CpuTotalTicks, Percent = u.CpuPercent,
            ThrottledPeriods = (ulong)Math.Max(0, u.CpuThrottledPeriods),
            Measured = ["System Mode", "User Mode", "Percent"],
        },
    };

    private void Persist()
    {
        AllocRecord record;
        lock (_lock)
        {
            if (Destroyed) return;
            _record = _record with { Tasks = _tasks.ToDictionary(kv => kv.Key, kv => kv.Value.Record) };
            record = _record;
            // Written under the lock so that an older state never overwrites a newer one on disk.
            Context.AllocStore.Put(record);
        }
    }

    private void Report()
    {
        AllocClientUpdate update;
        lock (_lock)
            update = new AllocClientUpdate(_record.Alloc.ID, _record.ClientStatus, _record.ClientDescription, TaskStates())
            {
                DeploymentStatus = _record.DeploymentStatus,
            };
        Context.Updater.Queue(update);
    }
}
