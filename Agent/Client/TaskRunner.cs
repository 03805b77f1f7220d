using Nomad.Agent.Logging;
using Nomad.Contracts;

namespace Nomad.Agent.Client;

/// <summary>
/// Runs one task through its driver and sees it to its end, whatever happens to the driver in between:
/// it persists the handle as soon as the task starts, and when the driver process dies it waits for the
/// supervisor to bring it back, re-attaches with RecoverTask, and waits again. The exit result is
/// persisted before <see cref="Exited"/> completes, so it survives an agent crash too.
/// </summary>
public sealed class TaskRunner
{
    private readonly DriverManager _drivers;
    private readonly ClientStateStore _store;
    private readonly string _driverName;
    private readonly Logger _log;
    private readonly TaskCompletionSource<ExitResult> _exited = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly TaskCompletionSource<bool> _started = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private TaskRecord? _state;

    private TaskRunner(DriverManager drivers, ClientStateStore store, string driverName, TaskRecord? state, Logger log)
    {
        _drivers = drivers;
        _store = store;
        _driverName = driverName;
        _state = state;
        _log = log;
    }

    /// <summary>Completes with the task's exit result.</summary>
    public Task<ExitResult> Exited => _exited.Task;

    public TaskHandle? Handle => _state?.Handle;

    /// <summary>Completes with true once the task runs (started or re-attached), false if it ended without running.</summary>
    public Task<bool> Started => _started.Task;

    /// <summary>The driver the task runs on.</summary>
    public string DriverName => _driverName;

    /// <summary>Starts a new task on <paramref name="driverName"/>.</summary>
    public static TaskRunner Start(DriverManager drivers, ClientStateStore store, string driverName, TaskConfig task, Logger log, CancellationToken ct)
    {
        var runner = new TaskRunner(drivers, store, driverName, null, log);
        _ = runner.RunAsync(task, ct);
        return runner;
    }

    /// <summary>Picks up a task the client started before it restarted.</summary>
    public static TaskRunner Recover(DriverManager drivers, ClientStateStore store, TaskRecord state, Logger log, CancellationToken ct)
    {
        var runner = new TaskRunner(drivers, store, state.Driver, state, log);
        if (state.Exit is not null) { runner._started.TrySetResult(false); runner._exited.TrySetResult(state.Exit); }
        else _ = runner.RunAsync(state.Handle.Config, ct);
        return runner;
    }

    private async Task RunAsync(TaskConfig task, CancellationToken ct)
    {
        try
        {
            var recovering = _state is not null;
            while (!ct.IsCancellationRequested)
            {
                var driver = await DriverAsync(ct).ConfigureAwait(false);
                try
                {
                    if (_state is null)
                    {
                        var handle = await driver.StartTaskAsync(task, ct).ConfigureAwait(false);
                        _state = new TaskRecord(_driverName, handle, null);
                        await _store.PutAsync(_state).ConfigureAwait(false);
                        _log.Info($"task started: task_id={task.ID} driver={_driverName}");
                        _started.TrySetResult(true);
                    }
                    else if (recovering)
                    {
                        await driver.RecoverTaskAsync(_state.Handle, ct).ConfigureAwait(false);
                        _log.Info($"task recovered: task_id={task.ID} driver={_driverName}");
                        _started.TrySetResult(true);
                    }
                    var exit = await driver.WaitTaskAsync(task.ID, ct).ConfigureAwait(false);
                    _state = _state with { Exit = exit };
                    await _store.PutAsync(_state).ConfigureAwait(false);
                    _log.Info($"task exited: task_id={task.ID} exit_code={exit.ExitCode} signal={exit.Signal}");
                    await DestroyAsync(driver, task.ID).ConfigureAwait(false);
                    _started.TrySetResult(false);
                    _exited.TrySetResult(exit);
                    return;
                }
                catch (Exception e) when (!ct.IsCancellationRequested && IsDriverGone(e))
                {
                    // The driver process died under us; the task lives on under its shim. Re-attach once it is back.
                    _log.Warn($"driver lost while running task; will recover: task_id={task.ID} driver={_driverName}");
                    recovering = _state is not null;
                    await _drivers.WaitForRestartAsync(_driverName, driver, ct).ConfigureAwait(false);
                }
            }
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested) { _started.TrySetResult(false); }
        catch (Exception e)
        {
            _log.Error($"task failed: task_id={task.ID} error=\"{e.Message}\"");
            var failed = new ExitResult(-1, Err: e.Message);
            if (_state is not null)
                try { await _store.PutAsync(_state with { Exit = failed }).ConfigureAwait(false); }
                catch (Exception pe) { _log.Error($"failed to record task exit: task_id={task.ID} error=\"{pe.Message}\""); }
            _started.TrySetResult(false);
            _exited.TrySetResult(failed);
        }
    }

    /// <summary>
    /// The exit is on disk, so the driver may forget the task: it frees what the task held (cgroups, its
    /// state dir). A failure here leaves litter, not a wrong result, so it is only logged.
    /// </summary>
    private async Task DestroyAsync(IDriverPlugin driver, string taskId)
    {
        try { await driver.DestroyTaskAsync(taskId, force: false).WaitAsync(TimeSpan.FromSeconds(30)).ConfigureAwait(false); }
        catch (Exception e) { _log.Warn($"failed to destroy finished task: task_id={taskId} error=\"{e.Message}\""); }
    }

    private async Task<IDriverPlugin> DriverAsync(CancellationToken ct)
    {
        while (true)
        {
            if (_drivers.Get(_driverName)?.Driver is { } d) return d;
            await _drivers.WaitForRestartAsync(_driverName, null, ct).ConfigureAwait(false);
        }
    }

    private static bool IsDriverGone(Exception e) =>
        e is StreamJsonRpc.ConnectionLostException or ObjectDisposedException || e.InnerException is StreamJsonRpc.ConnectionLostException;
}
