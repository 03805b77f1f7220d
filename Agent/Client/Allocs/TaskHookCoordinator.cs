using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// The order of an allocation's tasks by their <c>lifecycle</c> hooks (Nomad's taskHookCoordinator and the ordering
/// parts of its allocrunner): prestart tasks start at once; main tasks (no hook) once every prestart sidecar has
/// started and every other prestart task has completed successfully; poststart tasks once every main task has
/// started; poststop tasks once every other task is dead. A gate, once open, stays open. It also decides when the
/// death of some tasks stops the others (a failed task, the leader, or only sidecars left) and in which order
/// tasks are killed: the leader, then the other tasks, then the sidecars; poststop tasks are never killed by it.
/// Pure logic over task states: the <see cref="AllocRunner"/> feeds it every change.
/// </summary>
public sealed class TaskHookCoordinator
{
    private readonly Lock _lock = new();
    private readonly Dictionary<string, JobTask> _tasks;
    private readonly HashSet<string> _prestartSidecars = new(), _prestartEphemeral = new(), _mainNotStarted = new(), _notPoststopAlive = new();
    private readonly TaskCompletionSource _main = Gate(), _poststart = Gate(), _poststop = Gate();

    public TaskHookCoordinator(IEnumerable<JobTask> tasks)
    {
        _tasks = tasks.ToDictionary(t => t.Name);
        foreach (var t in _tasks.Values)
        {
            switch (KindOf(t))
            {
                case TaskKind.PrestartSidecar: _prestartSidecars.Add(t.Name); break;
                case TaskKind.PrestartEphemeral: _prestartEphemeral.Add(t.Name); break;
                case TaskKind.Main: _mainNotStarted.Add(t.Name); break;
            }
            if (KindOf(t) != TaskKind.Poststop) _notPoststopAlive.Add(t.Name);
        }
        Open();
    }

    /// <summary>Completes when <paramref name="task"/> may start.</summary>
    public Task StartCondition(JobTask task) => KindOf(task) switch
    {
        TaskKind.PrestartEphemeral or TaskKind.PrestartSidecar => Task.CompletedTask,
        TaskKind.PoststartEphemeral or TaskKind.PoststartSidecar => _poststart.Task,
        TaskKind.Poststop => _poststop.Task,
        _ => _main.Task,
    };

    /// <summary>Takes the tasks' current states into account; gates whose condition now holds open.</summary>
    public void TaskStatesUpdated(IReadOnlyDictionary<string, TaskState> states)
    {
        lock (_lock)
        {
            // Before the main tasks start, a prestart sidecar counts once it has started, another prestart task once it succeeded.
            if (!_main.Task.IsCompleted)
            {
                _prestartSidecars.RemoveWhere(n => states.GetValueOrDefault(n) is { StartedAt: not null });
                _prestartEphemeral.RemoveWhere(n => states.GetValueOrDefault(n) is { State: TaskStateName.Dead, Failed: false });
            }
            _mainNotStarted.RemoveWhere(n => states.GetValueOrDefault(n) is { StartedAt: not null });
            _notPoststopAlive.RemoveWhere(n => states.GetValueOrDefault(n) is { State: TaskStateName.Dead });
            Open();
        }
    }

    private void Open()
    {
        if (_prestartSidecars.Count == 0 && _prestartEphemeral.Count == 0) _main.TrySetResult();
        if (_mainNotStarted.Count == 0) _poststart.TrySetResult();
        if (_notPoststopAlive.Count == 0) _poststop.TrySetResult();
    }

    public bool MainMayStart => _main.Task.IsCompleted;
    public bool PoststartMayStart => _poststart.Task.IsCompleted;
    public bool PoststopMayStart => _poststop.Task.IsCompleted;

    /// <summary>
    /// Why the live tasks must be killed now, as Nomad's allocrunner decides after each change, or null: the leader
    /// is dead ("Leader Task Dead", first); a task failed ("Sibling Task Failed" naming it); or every task still alive
    /// is a sidecar ("Main Tasks Dead"). Poststop tasks are left out both as causes and as victims; nothing is
    /// decided while no other task is alive.
    /// </summary>
    public KillDecision? KillDecision(IReadOnlyDictionary<string, TaskState> states)
    {
        TaskEvent? killEvent = null;
        var alive = new List<string>();
        foreach (var t in _tasks.Values)
        {
            if (KindOf(t) == TaskKind.Poststop) continue;
            var s = states.GetValueOrDefault(t.Name) ?? new TaskState();
            if (s.State != TaskStateName.Dead) { alive.Add(t.Name); continue; }
            if (s.Failed) killEvent ??= TaskEvents.SiblingFailed(t.Name);
            else if (t.Leader) killEvent = TaskEvents.LeaderDead();
        }
        if (killEvent is null && _tasks.Values.Any(IsSidecar) && alive.All(n => IsSidecar(_tasks[n]))) killEvent = TaskEvents.MainDead();
        if (killEvent is null || alive.Count == 0) return null;
        return new KillDecision(killEvent, alive);
    }

    /// <summary>The order in which tasks are killed: the leader alone, then every other task, then the sidecars. Poststop tasks are not killed.</summary>
    public IReadOnlyList<IReadOnlyList<string>> KillPhases()
    {
        var tasks = _tasks.Values.Where(t => KindOf(t) != TaskKind.Poststop).ToList();
        var leader = tasks.Where(t => t.Leader).Select(t => t.Name).ToList();
        var others = tasks.Where(t => !t.Leader && !IsSidecar(t)).Select(t => t.Name).ToList();
        var sidecars = tasks.Where(t => !t.Leader && IsSidecar(t)).Select(t => t.Name).ToList();
        return new[] { leader, others, sidecars }.Where(p => p.Count > 0).ToList();
    }

    public static TaskKind KindOf(JobTask task) => (task.Lifecycle?.Hook, task.Lifecycle?.Sidecar ?? false) switch
    {
        (TaskLifecycleHook.Prestart, true) => TaskKind.PrestartSidecar,
        (TaskLifecycleHook.Prestart, false) => TaskKind.PrestartEphemeral,
        (TaskLifecycleHook.Poststart, true) => TaskKind.PoststartSidecar,
        (TaskLifecycleHook.Poststart, false) => TaskKind.PoststartEphemeral,
        // A poststop task runs once, after all others: "sidecar" means nothing for it.
        (TaskLifecycleHook.Poststop, _) => TaskKind.Poststop,
        // No lifecycle block, or one without a hook (Nomad's canonicalization drops it): a main task.
        _ => TaskKind.Main,
    };

    /// <summary>A task that keeps running beside the main tasks and is stopped after them.</summary>
    public static bool IsSidecar(JobTask task) => KindOf(task) is TaskKind.PrestartSidecar or TaskKind.PoststartSidecar;

    private static TaskCompletionSource Gate() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}

/// <summary>Where a task stands in its group's lifecycle.</summary>
public enum TaskKind { Main, PrestartEphemeral, PrestartSidecar, PoststartEphemeral, PoststartSidecar, Poststop }

/// <summary>The event to give every live task (Nomad's kill event) and the tasks still alive to be killed.</summary>
public sealed record KillDecision(TaskEvent Event, IReadOnlyList<string> Alive);
