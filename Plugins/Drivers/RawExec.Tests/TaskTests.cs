using System.Diagnostics;
using StreamJsonRpc;

namespace Nomad.Drivers.RawExec.Tests;

/// <summary>Running tasks through the real driver and shim: exits, signals, logs, stop, exec, stats.</summary>
public sealed class TaskTests : DriverTest
{
    [Test]
    public async Task Exit_code_is_reported()
    {
        var d = await StartDriver();
        var t = Sh("t", "exit 3");
        var h = await Start(d, t);
        Assert.That(h.State, Is.EqualTo(TaskStates.Running));
        var r = await d.Wait(t.ID);
        Assert.That(r, Is.EqualTo(new ExitResult(3)));

        var s = await d.Call<TaskStatus>(PluginProtocol.Methods.InspectTask, t.ID);
        Assert.That(s.State, Is.EqualTo(TaskStates.Exited));
        Assert.That(s.ExitResult, Is.EqualTo(new ExitResult(3)));
        Assert.That(s.CompletedAt, Is.Not.Null.And.GreaterThanOrEqualTo(s.StartedAt));
    }

    [Test]
    public async Task Exit_zero_is_successful()
    {
        var d = await StartDriver();
        var t = Task("t", "true", []);
        await Start(d, t);
        var r = await d.Wait(t.ID);
        Assert.That(r.Successful, Is.True, r.ToString());
    }

    [Test]
    public async Task A_task_killed_by_a_signal_reports_the_signal()
    {
        var d = await StartDriver();
        var t = Sh("t", "kill -KILL $$");
        await Start(d, t);
        var r = await d.Wait(t.ID);
        Assert.That(r.Signal, Is.EqualTo(9));
        Assert.That(r.ExitCode, Is.EqualTo(128 + 9), "Nomad reports 128+N for a signal");
        Assert.That(r.Err, Is.Null);
    }

    [Test]
    public async Task Stdout_and_stderr_land_in_the_log_files_with_env_and_cwd()
    {
        var d = await StartDriver();
        var t = Sh("web", "echo out-line; echo \"greeting=$GREETING\"; pwd; echo err-line >&2",
            new() { ["PATH"] = "/usr/bin:/bin", ["GREETING"] = "hi" });
        await Start(d, t);
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)));
        Assert.That(Stdout(t), Is.EqualTo($"out-line\ngreeting=hi\n{t.TaskDir}\n"));
        Assert.That(Stderr(t), Is.EqualTo("err-line\n"));
        Assert.That(Path.GetFileName($"{t.StdoutPath}.0"), Is.EqualTo("web.stdout.0"), "Nomad's log file naming");
    }

    [Test]
    public async Task Logs_rotate_at_the_size_limit_and_keep_max_files()
    {
        var d = await StartDriver();
        // 2.5 MiB with 1 MiB files and 2 files kept: .0 full, .1 full, .2 half; .0 purged.
        var t = Sh("t", "head -c 2621440 /dev/zero", maxFiles: 2, maxFileSizeMB: 1);
        await Start(d, t);
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)));
        Assert.That(File.Exists($"{t.StdoutPath}.0"), Is.False, ".0 is beyond max_files");
        Assert.That(new FileInfo($"{t.StdoutPath}.1").Length, Is.EqualTo(1 << 20));
        Assert.That(new FileInfo($"{t.StdoutPath}.2").Length, Is.EqualTo(512 << 10));
    }

    [Test]
    public async Task Logs_append_to_the_latest_file_across_runs()
    {
        var d = await StartDriver();
        var first = Sh("t", "echo one");
        await Start(d, first);
        await d.Wait(first.ID);
        var second = first with { ID = $"{AllocId}/t/1" };
        second = second with { DriverConfig = Sh("t", "echo two").DriverConfig };
        await Start(d, second);
        await d.Wait(second.ID);
        Assert.That(Stdout(first), Is.EqualTo("one\ntwo\n"));
    }

    [Test]
    public async Task Stop_sends_the_signal_then_kills_after_the_timeout()
    {
        var d = await StartDriver();
        var t = Sh("t", "trap 'echo got-term' TERM; echo ready; while :; do sleep 1; done");
        await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("ready"), "the task to start its loop");

        var sw = Stopwatch.StartNew();
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 800L, "SIGTERM");
        sw.Stop();
        var r = await d.Wait(t.ID);
        Assert.That(r.Signal, Is.EqualTo(9), "it trapped TERM, so it was killed");
        Assert.That(sw.ElapsedMilliseconds, Is.GreaterThanOrEqualTo(750), "the kill waited for the timeout");
        Assert.That(Stdout(t), Does.Contain("got-term"), "TERM reached the task first");
    }

    [Test]
    public async Task Stop_returns_once_the_task_exits_on_the_signal()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        var h = await Start(d, t);
        var sw = Stopwatch.StartNew();
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 20_000L, "SIGTERM");
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(5)));
        var r = await d.Wait(t.ID);
        Assert.That(r.Signal, Is.EqualTo(15));
        Assert.That(Os.IsRunning(State(h).Pid), Is.False);
    }

    [Test]
    public async Task Stop_without_a_signal_sends_SIGINT_as_Nomad_does()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        await Start(d, t);
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 10_000L, "");
        Assert.That((await d.Wait(t.ID)).Signal, Is.EqualTo(2));
    }

    [Test]
    public async Task An_unknown_signal_is_refused()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        await Start(d, t);
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() => d.Call(PluginProtocol.Methods.SignalTask, t.ID, "SIGBOGUS"));
        Assert.That(e!.Message, Does.Contain("unknown signal SIGBOGUS"));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 2000L, "TERM");
        Assert.That((await d.Wait(t.ID)).Signal, Is.EqualTo(15), "short names work too");
    }

    [TestCase("sleep 1000 &", TestName = "Stop_kills_a_forked_child_too")]
    [TestCase("setsid sleep 1000 &", TestName = "Stop_kills_a_child_that_left_the_session_too")]
    public async Task Stop_kills_the_task_and_what_it_forked(string fork)
    {
        var d = await StartDriver();
        // Both ignore TERM, so only the kill after the timeout ends them.
        var t = Sh("t", $"trap '' TERM; {fork} echo $! > child.pid; echo ready; wait");
        var h = await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("ready"), "the task to fork");
        int child = int.Parse(File.ReadAllText(Path.Combine(t.TaskDir, "child.pid")).Trim());
        Assert.That(Os.IsRunning(child), Is.True);

        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 300L, "SIGTERM");
        var r = await d.Wait(t.ID);
        Assert.That(r.Signal, Is.EqualTo(9));
        await Os.Eventually(() => !Os.IsRunning(child), $"the forked child {child} to die");
        Assert.That(Os.IsRunning(State(h).Pid), Is.False);
    }

    [TestCase("sleep 1000 & echo $! > child.pid", TestName = "The_tasks_leftovers_die_with_it")]
    [TestCase("(setsid sleep 1000 & echo $! > child.pid)", TestName = "A_daemonized_leftover_dies_with_the_task")]
    public async Task Leftovers_die_with_the_task(string fork)
    {
        var d = await StartDriver();
        var t = Sh("t", $"{fork}; exit 2");
        await Start(d, t);
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(2)));
        int child = int.Parse(File.ReadAllText(Path.Combine(t.TaskDir, "child.pid")).Trim());
        await Os.Eventually(() => !Os.IsRunning(child), "the orphaned child to be killed");
    }

    [Test]
    public async Task Orphans_of_a_running_task_are_reaped_by_the_shim()
    {
        var d = await StartDriver();
        var t = Sh("t", "(sleep 1 & echo $! > orphan.pid); echo ready; exec sleep 1000");
        var h = await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("ready"), "the task to orphan a child");
        int orphan = int.Parse(File.ReadAllText(Path.Combine(t.TaskDir, "orphan.pid")).Trim());
        var st = File.ReadAllText($"/proc/{orphan}/stat");
        Assert.That(int.Parse(st[(st.LastIndexOf(')') + 2)..].Split(' ')[1]), Is.EqualTo(State(h).ExecutorPid), "re-parented to the shim, its subreaper");
        await Os.Eventually(() => !Directory.Exists($"/proc/{orphan}"), "the orphan to exit and be reaped (no zombie left)");
        Assert.That(Os.IsRunning(State(h).Pid), Is.True, "the task itself runs on");
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 2000L, "SIGTERM");
    }

    [Test]
    public async Task SignalTask_delivers_to_the_task()
    {
        var d = await StartDriver();
        var t = Sh("t", "trap 'echo got-usr1' USR1; echo ready; while :; do sleep 0.2; done");
        await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("ready"), "the task to start");
        await d.Call(PluginProtocol.Methods.SignalTask, t.ID, "SIGUSR1");
        await Os.Eventually(() => Stdout(t).Contains("got-usr1"), "the trap to run");
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 2000L, "SIGKILL");
        Assert.That((await d.Wait(t.ID)).Signal, Is.EqualTo(9));
    }

    [Test]
    public async Task ExecTask_runs_in_the_tasks_env_and_dir()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"], new() { ["PATH"] = "/usr/bin:/bin", ["FOO"] = "bar" });
        await Start(d, t);
        var r = await d.Call<ExecResult>(PluginProtocol.Methods.ExecTask, t.ID, new[] { "sh", "-c", "echo $FOO; pwd; echo e >&2; exit 4" }, 10_000L);
        Assert.That(r, Is.EqualTo(new ExecResult(4, $"bar\n{t.TaskDir}\n", "e\n")));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 2000L, "SIGTERM");
    }

    [Test]
    public async Task ExecTask_times_out()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        await Start(d, t);
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() =>
            d.Call<ExecResult>(PluginProtocol.Methods.ExecTask, t.ID, new[] { "sleep", "100" }, 300L));
        Assert.That(e!.Message, Does.Contain("did not finish"));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 2000L, "SIGTERM");
    }

    [Test]
    public async Task TaskStats_reads_the_tasks_processes()
    {
        var d = await StartDriver();
        // A busy loop for a moment, then a sleep: memory and CPU both show.
        var t = Sh("t", "i=0; while [ $i -lt 200000 ]; do i=$((i+1)); done; echo ready; sleep 1000");
        await Start(d, t);
        var first = await d.Call<TaskResourceUsage>(PluginProtocol.Methods.TaskStats, t.ID);
        await Os.Eventually(() => Stdout(t).Contains("ready"), "the busy loop to finish", TimeSpan.FromSeconds(30));
        var s = await d.Call<TaskResourceUsage>(PluginProtocol.Methods.TaskStats, t.ID);
        Assert.That(s.MemoryRssBytes, Is.GreaterThan(100_000));
        Assert.That(s.MemoryMaxUsageBytes, Is.GreaterThanOrEqualTo(s.MemoryRssBytes));
        Assert.That(first.CpuPercent + s.CpuPercent, Is.GreaterThan(0), "the loop used CPU");
        Assert.That(s.Timestamp, Is.GreaterThan(first.Timestamp));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 2000L, "SIGTERM");
    }

    [Test]
    public async Task Inspect_a_running_task()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        await Start(d, t);
        var s = await d.Call<TaskStatus>(PluginProtocol.Methods.InspectTask, t.ID);
        Assert.That(s.State, Is.EqualTo(TaskStates.Running));
        Assert.That(s.ID, Is.EqualTo(t.ID));
        Assert.That(s.StartedAt, Is.EqualTo(DateTime.UtcNow).Within(TimeSpan.FromMinutes(1)));
        Assert.That(s.ExitResult, Is.Null);
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 2000L, "SIGTERM");
    }

    [Test]
    public async Task Destroy_refuses_a_running_task_unless_forced()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        var h = await Start(d, t);
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() => d.Call(PluginProtocol.Methods.DestroyTask, t.ID, false));
        Assert.That(e!.Message, Does.Contain("still running"));
        await d.Call(PluginProtocol.Methods.DestroyTask, t.ID, true);
        Assert.That(Os.IsRunning(State(h).Pid), Is.False);
        Assert.That(Directory.Exists(State(h).StateDir), Is.False, "the state dir is cleaned up");
        e = await Assert.ThrowsAsync<RemoteInvocationException>(() => d.Call<TaskStatus>(PluginProtocol.Methods.InspectTask, t.ID));
        Assert.That(e!.Message, Does.Contain("unknown task"));
    }

    [Test]
    public async Task A_dead_shim_is_an_error_never_exit_zero()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        var h = await Start(d, t);
        var s = State(h);
        Os.Kill(s.ExecutorPid, 9);
        var r = await d.Wait(t.ID);
        Assert.That(r.Successful, Is.False);
        Assert.That(r.Err, Does.Contain("without recording"));
        await Os.Eventually(() => !Os.IsRunning(s.Pid, s.StartTime), "the orphaned task to be killed");
    }

    [Test]
    public async Task The_handle_carries_pids_start_times_and_paths()
    {
        var d = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        var h = await Start(d, t);
        var s = State(h);
        Assert.That(Os.Stat(s.Pid)?.StartTime, Is.EqualTo(s.StartTime));
        Assert.That(Os.Stat(s.ExecutorPid)?.StartTime, Is.EqualTo(s.ExecutorStartTime));
        Assert.That(Os.Stat(s.Pid)?.PGrp, Is.EqualTo(s.Pid), "the task leads its own process group");
        Assert.That(Os.Stat(s.ExecutorPid)?.Session, Is.EqualTo(s.ExecutorPid), "the shim leads its own session");
        Assert.That(Os.Stat(s.ExecutorPid)?.Session, Is.Not.EqualTo(Os.Stat(d.Process.Id)?.Session));
        Assert.That(s.StateDir, Does.StartWith(Path.Combine(t.TaskDir, ".executor")));
        Assert.That(File.Exists(s.SpecPath), Is.True);
        Assert.That(s.StdoutPath, Is.EqualTo(t.StdoutPath));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 2000L, "SIGTERM");
    }
}
