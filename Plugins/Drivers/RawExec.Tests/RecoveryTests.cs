using System.Diagnostics;
using System.Text.Json;
using StreamJsonRpc;

namespace Nomad.Drivers.RawExec.Tests;

/// <summary>Tasks outlive a kill -9 of the driver; a new driver process finds them again from their handles.</summary>
public sealed class RecoveryTests : DriverTest
{
    /// <summary>A task that waits for a line on its FIFO and exits with it as its code.</summary>
    private TaskConfig FifoTask(string name, out string fifo)
    {
        fifo = Path.Combine(Root, $"{name}.fifo");
        Os.MkFifo(fifo);
        return Sh(name, "echo ready; read code < \"$FIFO\"; echo \"exiting $code\"; exit $code",
            new() { ["PATH"] = "/usr/bin:/bin", ["FIFO"] = fifo });
    }

    [Test]
    public async Task Tasks_survive_a_driver_kill_and_a_new_driver_recovers_them()
    {
        var a = await StartDriver();
        var codes = new[] { 3, 0, 42 };
        var tasks = new List<(TaskConfig T, string Fifo, TaskHandle H)>();
        for (int i = 0; i < codes.Length; i++)
        {
            var t = FifoTask($"t{i}", out var fifo);
            tasks.Add((t, fifo, await Start(a, t)));
        }
        foreach (var (t, _, _) in tasks) await Os.Eventually(() => Stdout(t).Contains("ready"), $"{t.Name} to run");
        var pendingWait = a.Wait(tasks[0].T.ID, TimeSpan.FromMinutes(1)); // the agent was waiting when the driver died

        a.KillHard();
        Assert.That(async () => await pendingWait, Throws.InstanceOf<ConnectionLostException>().Or.InstanceOf<ObjectDisposedException>());
        foreach (var (t, _, h) in tasks)
        {
            var s = State(h);
            Assert.That(Os.IsRunning(s.Pid, s.StartTime), Is.True, $"{t.Name}'s task survived the driver");
            Assert.That(Os.IsRunning(s.ExecutorPid, s.ExecutorStartTime), Is.True, $"{t.Name}'s shim survived the driver");
        }

        var b = await StartDriver();
        foreach (var (_, _, h) in tasks) await b.Call(PluginProtocol.Methods.RecoverTask, h);
        foreach (var (t, _, _) in tasks)
            Assert.That((await b.Call<TaskStatus>(PluginProtocol.Methods.InspectTask, t.ID)).State, Is.EqualTo(TaskStates.Running));

        var waits = tasks.Select(x => b.Wait(x.T.ID)).ToList();
        for (int i = 0; i < codes.Length; i++) await Os.WriteFifo(tasks[i].Fifo, $"{codes[i]}\n");
        for (int i = 0; i < codes.Length; i++)
        {
            Assert.That(await waits[i], Is.EqualTo(new ExitResult(codes[i])), tasks[i].T.Name);
            Assert.That(Stdout(tasks[i].T), Is.EqualTo($"ready\nexiting {codes[i]}\n"), "the log kept flowing without a driver");
        }
    }

    [Test]
    public async Task A_task_that_exits_while_no_driver_runs_reports_its_real_code()
    {
        var a = await StartDriver();
        var t = FifoTask("t", out var fifo);
        var h = await Start(a, t);
        await Os.Eventually(() => Stdout(t).Contains("ready"), "the task to run");
        a.KillHard();

        await Os.WriteFifo(fifo, "7\n");
        var s = State(h);
        await Os.Eventually(() => !Os.IsRunning(s.ExecutorPid, s.ExecutorStartTime), "the shim to record the exit and leave");
        Assert.That(File.Exists(s.ExitStatusPath), Is.True);

        var b = await StartDriver();
        await b.Call(PluginProtocol.Methods.RecoverTask, h);
        Assert.That(await b.Wait(t.ID), Is.EqualTo(new ExitResult(7)));
        var st = await b.Call<TaskStatus>(PluginProtocol.Methods.InspectTask, t.ID);
        Assert.That(st.State, Is.EqualTo(TaskStates.Exited));
        Assert.That(st.CompletedAt, Is.Not.Null);
    }

    [Test]
    public async Task A_task_killed_by_a_signal_while_no_driver_runs_reports_the_signal()
    {
        var a = await StartDriver();
        var t = Task("t", "sleep", ["1000"]);
        var h = await Start(a, t);
        a.KillHard();
        var s = State(h);
        Os.Kill(s.Pid, 15);
        await Os.Eventually(() => !Os.IsRunning(s.ExecutorPid, s.ExecutorStartTime), "the shim to record the exit and leave");

        var b = await StartDriver();
        await b.Call(PluginProtocol.Methods.RecoverTask, h);
        var r = await b.Wait(t.ID);
        Assert.That((r.ExitCode, r.Signal, r.Err), Is.EqualTo((128 + 15, 15, (string?)null)));
    }

    [Test]
    public async Task A_recovered_task_can_be_stopped()
    {
        var a = await StartDriver();
        var t = Sh("t", "trap '' TERM; sleep 1000 & echo $! > child.pid; wait");
        var h = await Start(a, t);
        await Os.Eventually(() => File.Exists(Path.Combine(t.TaskDir, "child.pid")), "the task to fork");
        a.KillHard();

        var b = await StartDriver();
        await b.Call(PluginProtocol.Methods.RecoverTask, h);
        await b.Call(PluginProtocol.Methods.StopTask, t.ID, 200L, "SIGTERM");
        Assert.That((await b.Wait(t.ID)).Signal, Is.EqualTo(9));
        int child = int.Parse(File.ReadAllText(Path.Combine(t.TaskDir, "child.pid")).Trim());
        await Os.Eventually(() => !Os.IsRunning(child), "the child to die too");
    }

    [Test]
    public async Task A_reused_pid_is_not_taken_for_the_task()
    {
        var a = await StartDriver();
        var t = Task("t", "true", []);
        var h = await Start(a, t);
        await a.Wait(t.ID);
        var s = State(h);
        File.Delete(s.ExitStatusPath); // as if the shim had died without a word

        // Some other process now holds both PIDs (simulated: the handle points at a live stranger with another start time).
        using var stranger = Process.Start(new ProcessStartInfo("sleep", "1000") { RedirectStandardInput = true })!;
        try
        {
            var strangerStart = Os.Stat(stranger.Id)!.Value.StartTime;
            var state = JsonSerializer.SerializeToNode(h.DriverState)!.AsObject();
            state["ExecutorPid"] = stranger.Id;
            state["ExecutorStartTime"] = strangerStart - 1;
            state["Pid"] = stranger.Id;
            state["StartTime"] = strangerStart - 1;
            var forged = h with { DriverState = JsonSerializer.SerializeToElement(state) };

            var b = await StartDriver();
            await b.Call(PluginProtocol.Methods.RecoverTask, forged);
            var r = await b.Wait(t.ID);
            Assert.That(r.Successful, Is.False);
            Assert.That(r.Err, Does.Contain("another process"));
            Assert.That(Os.IsRunning(stranger.Id, strangerStart), Is.True, "the stranger was not signalled");
        }
        finally { stranger.Kill(); }
    }

    [Test]
    public async Task Recovering_a_bad_handle_fails_clearly()
    {
        var b = await StartDriver();
        var h = new TaskHandle(Task("t", "true", []), TaskStates.Running, JsonSerializer.SerializeToElement(new { Foo = 1 }));
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() => b.Call(PluginProtocol.Methods.RecoverTask, h));
        Assert.That(e!.Message, Does.Contain("cannot recover"));
    }
}
