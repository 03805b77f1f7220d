using System.Diagnostics;
using System.Runtime.InteropServices;
using System.Text.Json;
using StreamJsonRpc;

namespace Nomad.Drivers.Exec.Tests;

/// <summary>The exec driver's isolation, through the real driver and shim: namespaces, chroot, user, cgroups.</summary>
public sealed class ExecTests : DriverTest
{
    [DllImport("libc")] private static extern uint geteuid();

    [SetUp]
    public void RequireRootAndCgroups()
    {
        if (geteuid() != 0) Assert.Ignore("exec needs root (not root here)");
        if (!Directory.Exists("/sys/fs/cgroup/memory") && !File.Exists("/sys/fs/cgroup/cgroup.controllers"))
            Assert.Ignore("exec needs cgroups (none mounted here)");
    }

    /// <summary>Whatever a failed test left in this allocation's cgroups is killed and the cgroups removed.</summary>
    [TearDown]
    public void RemoveCgroups()
    {
        foreach (var nomad in Directory.EnumerateDirectories("/sys/fs/cgroup", "nomad", new EnumerationOptions { RecurseSubdirectories = true, MaxRecursionDepth = 1 }))
            foreach (var dir in Directory.EnumerateDirectories(nomad, AllocId + "*"))
            {
                foreach (var pid in File.ReadAllLines(Path.Combine(dir, "cgroup.procs"))) Os.Kill(int.Parse(pid), 9);
                var deadline = Stopwatch.StartNew();
                while (Directory.Exists(dir) && deadline.Elapsed < TimeSpan.FromSeconds(5))
                    try { Directory.Delete(dir); } catch (IOException) { Thread.Sleep(20); }
            }
    }

    private TaskConfig WithMemory(TaskConfig t, long mb) => t with { Resources = new TaskResources(100, mb) };

    [Test]
    public async Task Fingerprint_is_healthy_as_root_with_cgroups_and_capabilities_say_chroot()
    {
        var d = await StartDriver();
        var fp = await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        Assert.That(fp.Health, Is.EqualTo(DriverHealth.Healthy), fp.HealthDescription);
        Assert.That(fp.Attributes["driver.exec"], Is.EqualTo("1"));
        var caps = await d.Call<DriverCapabilities>(PluginProtocol.Methods.Capabilities);
        Assert.That(caps.FSIsolation, Is.EqualTo("chroot"));
    }

    [Test]
    public async Task Fingerprint_is_undetected_when_the_driver_is_not_root()
    {
        // The same driver, started as nobody through a wrapper (setpriv drops every credential).
        var wrapper = Path.Combine(Root, "as-nobody.sh");
        File.WriteAllText(wrapper, $"#!/bin/sh\nexec setpriv --reuid=65534 --regid=65534 --clear-groups '{Binaries.Driver}'\n");
        File.SetUnixFileMode(wrapper, (UnixFileMode)0b111_101_101);
        var before = Environment.GetEnvironmentVariable(Binaries.Under.EnvVar);
        Environment.SetEnvironmentVariable(Binaries.Under.EnvVar, wrapper);
        DriverProcess d;
        try { d = await StartDriver(); }
        finally { Environment.SetEnvironmentVariable(Binaries.Under.EnvVar, before); }
        var fp = await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        Assert.That(fp.Health, Is.EqualTo(DriverHealth.Undetected));
        Assert.That(fp.HealthDescription, Is.EqualTo("exec driver must run as root"));
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(async () => await d.Call<TaskHandle>(PluginProtocol.Methods.StartTask, Sh("t", "true")));
        Assert.That(e!.Message, Does.Contain("must run as root"));
    }

    [Test]
    public async Task Unknown_plugin_config_is_rejected()
    {
        var d = await StartDriver(enable: false);
        var r = await d.Call<ValidationResult>(PluginProtocol.Methods.SetConfig, JsonSerializer.SerializeToElement(new { enabled = true }));
        Assert.That(r.Errors, Is.EqualTo(new[] { "config.enabled: unknown field" }));
    }

    [Test]
    public async Task The_task_is_pid_1_and_sees_only_its_own_processes()
    {
        var d = await StartDriver();
        var t = Sh("t", "echo self=$$; ls /proc | grep -E '^[0-9]+$' | tr '\\n' ' '; echo; cat /proc/1/cmdline | tr '\\0' ' '");
        var sw = Stopwatch.StartNew();
        await Start(d, t);
        TestContext.Progress.WriteLine($"exec StartTask → running: {sw.ElapsedMilliseconds} ms");
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)), Stderr(t));
        var lines = Stdout(t).Split('\n');
        Assert.That(lines[0], Is.EqualTo("self=1"));
        var pids = lines[1].Split(' ', StringSplitOptions.RemoveEmptyEntries).Select(int.Parse).ToList();
        Assert.That(pids, Does.Contain(1));
        Assert.That(pids, Has.All.LessThan(20), "only the namespace's few processes, not the host's");
        Assert.That(pids, Does.Not.Contain(d.Process.Id));
        Assert.That(lines[2], Does.StartWith("/bin/sh -c echo self="), "PID 1 is the task itself");
    }

    [Test]
    public async Task The_task_runs_as_nobody_in_a_read_only_chroot_without_the_hosts_root()
    {
        var d = await StartDriver();
        var t = Sh("t", "id -u; id -g; touch /bin/x 2>&1; echo bin=$?; ls /root 2>&1; echo root=$?; echo hi > /local/f && cat /local/f; " +
                        "echo tmp > /tmp/f && cat /tmp/f; ls /alloc; ls /dev | tr '\\n' ' '");
        await Start(d, t);
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)), Stderr(t));
        var o = Stdout(t);
        Assert.That(o, Does.StartWith("65534\n65534\n"));
        Assert.That(o, Does.Contain("Read-only file system").And.Contain("bin=1"));
        Assert.That(o, Does.Match("root=[12]"), "the host's /root is not in the chroot");
        Assert.That(o, Does.Contain("hi\ntmp\nlogs\n"), "local/ and tmp/ are writable, alloc/ is the shared alloc dir");
        Assert.That(o, Does.Contain("null").And.Contain("urandom").And.Contain("zero"));
        Assert.That(File.ReadAllText(Path.Combine(t.TaskDir, "local", "f")), Is.EqualTo("hi\n"), "local/ is the task dir's");
    }

    [Test]
    public async Task The_task_cannot_reach_the_hosts_files_through_dot_dot_or_proc_1_root()
    {
        var d = await StartDriver();
        // A file of the agent's beside the allocation (as the agent's data_dir is), readable on the host.
        var secret = Path.Combine(Root, "agent-state.json");
        File.WriteAllText(secret, "host-only");
        File.SetUnixFileMode(secret, UnixFileMode.UserRead | UnixFileMode.GroupRead | UnixFileMode.OtherRead);
        var t = Sh("t", $"cd /../../..; ls | tr '\\n' ' '; echo; ls /proc/1/root/../.. | tr '\\n' ' '; echo; " +
                        $"for p in {secret} /../../..{secret} /proc/1/root{secret} /proc/1/root/../..{secret}; do cat $p 2>/dev/null; echo \"read=$?\"; done");
        await Start(d, t);
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)), Stderr(t));
        var lines = Stdout(t).Split('\n');
        foreach (var listing in lines[..2])
        {
            var names = listing.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            Assert.That(names, Does.Contain("local").And.Contain("alloc"), "the listing is the chroot's: " + listing);
            Assert.That(names, Has.None.AnyOf("root", "home", "var", "work"), "no host directory outside chroot_env: " + listing);
        }
        Assert.That(Stdout(t), Does.Not.Contain("host-only"));
        Assert.That(lines.Count(l => l.StartsWith("read=") && l != "read=0"), Is.EqualTo(4), Stdout(t));
    }

    [Test]
    public async Task Exit_codes_and_signals_are_reported()
    {
        var d = await StartDriver();
        var a = Sh("a", "exit 3");
        var b = Sh("b", "sleep 30 & kill -KILL $!; wait $!; exit $?");
        await Start(d, a);
        await Start(d, b);
        Assert.That(await d.Wait(a.ID), Is.EqualTo(new ExitResult(3)));
        Assert.That(await d.Wait(b.ID), Is.EqualTo(new ExitResult(137)));
    }

    [Test]
    public async Task A_missing_command_fails_the_start_with_the_reason()
    {
        var d = await StartDriver();
        var t = Task("t", "/no/such/program", []);
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(async () => await d.Call<TaskHandle>(PluginProtocol.Methods.StartTask, t));
        Assert.That(e!.Message, Does.Contain("not found"));
    }

    [Test]
    public async Task An_unknown_user_fails_the_start_and_leaves_no_cgroups()
    {
        var d = await StartDriver();
        var t = Sh("t", "true") with { User = "no-such-user-here" };
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(async () => await d.Call<TaskHandle>(PluginProtocol.Methods.StartTask, t));
        Assert.That(e!.Message, Does.Contain("no-such-user-here: no such user"));
        Assert.That(Directory.EnumerateDirectories("/sys/fs/cgroup/memory/nomad", AllocId + "*"), Is.Empty);
    }

    [Test]
    public async Task A_task_over_its_memory_limit_is_OOM_killed_and_reported()
    {
        var d = await StartDriver();
        var t = WithMemory(Task("t", "tail", ["/dev/zero"]), 32);
        await Start(d, t);
        var r = await d.Wait(t.ID, TimeSpan.FromSeconds(60));
        Assert.That(r.OOMKilled, Is.True, r.ToString());
        Assert.That(r.Signal, Is.EqualTo(9));
    }

    [Test]
    public async Task A_task_cannot_fork_beyond_its_pids_limit()
    {
        var d = await StartDriver(config: new { pids_limit = 8 });
        var t = Sh("t", "i=0; while [ $i -lt 20 ]; do sleep 30 & i=$((i+1)); done; echo done");
        var h = await Start(d, t);
        await Os.Eventually(() => Stderr(t).Contains("fork", StringComparison.OrdinalIgnoreCase), "the shell to fail to fork");
        var pidsDir = State(h).Cgroups!.Single(c => c.Contains("/pids/"));
        Assert.That(int.Parse(File.ReadAllText(Path.Combine(pidsDir, "pids.current")).Trim()), Is.LessThanOrEqualTo(8));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 100L, "SIGKILL");
    }

    [Test]
    public async Task Stop_kills_a_daemonized_child_and_destroy_removes_the_cgroups()
    {
        var d = await StartDriver();
        var t = Sh("t", "(setsid sh -c 'exec sleep 7777' &); echo started; exec sleep 3600");
        var h = await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("started") && Sleepers("7777").Count == 1, "the daemon to run");
        var cgroups = State(h).Cgroups!;
        Assert.That(cgroups, Is.Not.Empty);
        Assert.That(cgroups.SelectMany(c => File.ReadAllLines(Path.Combine(c, "cgroup.procs"))).Select(int.Parse), Does.Contain(Sleepers("7777")[0]));

        // PID 1 of a namespace ignores signals it has no handler for: SIGTERM does nothing to sleep, the timeout escalates to SIGKILL.
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 300L, "SIGTERM");
        var r = await d.Wait(t.ID);
        Assert.That(r.Signal, Is.EqualTo(9), r.ToString());
        await Os.Eventually(() => Sleepers("7777").Count == 0, "the daemon to die");

        await d.Call(PluginProtocol.Methods.DestroyTask, t.ID, false);
        Assert.That(cgroups.Where(Directory.Exists), Is.Empty);
    }

    [Test]
    public async Task Signals_reach_a_task_that_handles_them_and_a_graceful_stop_keeps_its_exit_code()
    {
        var d = await StartDriver();
        var t = Sh("t", "trap 'echo got-usr1' USR1; trap 'echo bye; exit 7' TERM; echo ready; while :; do sleep 0.05; done");
        await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("ready"), "the task to run");
        await d.Call(PluginProtocol.Methods.SignalTask, t.ID, "SIGUSR1");
        await Os.Eventually(() => Stdout(t).Contains("got-usr1"), "the task to see SIGUSR1");
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 10_000L, "SIGTERM");
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(7)), "the isolation stage survived SIGUSR1/SIGTERM and reported the task's own exit");
        Assert.That(Stdout(t), Does.EndWith("bye\n"));
    }

    [Test]
    public async Task Concurrent_starts_get_separate_namespaces_and_cgroups()
    {
        var d = await StartDriver();
        var tasks = Enumerable.Range(0, 12).Select(i => Sh($"t{i}", $"echo $$ $(hostname); exit {i}")).ToList();
        var handles = await System.Threading.Tasks.Task.WhenAll(tasks.Select(t => Start(d, t)));
        for (int i = 0; i < tasks.Count; i++)
        {
            Assert.That(await d.Wait(tasks[i].ID), Is.EqualTo(new ExitResult(i)), Stderr(tasks[i]));
            Assert.That(Stdout(tasks[i]), Is.EqualTo($"1 t{i}\n"));
        }
        Assert.That(handles.SelectMany(h => State(h).Cgroups!).Distinct().Count(), Is.EqualTo(handles.Sum(h => State(h).Cgroups!.Length)));
        foreach (var t in tasks) await d.Call(PluginProtocol.Methods.DestroyTask, t.ID, false);
        Assert.That(handles.SelectMany(h => State(h).Cgroups!).Where(Directory.Exists), Is.Empty);
    }

    [Test]
    public async Task Stats_come_from_the_cgroup()
    {
        var d = await StartDriver();
        var t = Sh("t", "echo started; exec sleep 3600");
        await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("started"), "the task to run");
        var s = await d.Call<TaskResourceUsage>(PluginProtocol.Methods.TaskStats, t.ID);
        Assert.That(s.MemoryMaxUsageBytes, Is.GreaterThan(0));
        Assert.That(s.Timestamp, Is.GreaterThan(0));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 100L, "SIGKILL");
    }

    [Test]
    public async Task A_task_survives_a_driver_kill_and_a_new_driver_recovers_it()
    {
        var a = await StartDriver();
        var fifo = Path.Combine(AllocDir, "alloc", "go.fifo");
        Os.MkFifo(fifo);
        File.SetUnixFileMode(fifo, (UnixFileMode)0b110_110_110);
        var t = Sh("t", "echo ready; read code < /alloc/go.fifo; exit $code");
        var h = await Start(a, t);
        await Os.Eventually(() => Stdout(t).Contains("ready"), "the task to run");

        a.KillHard();
        var s = State(h);
        Assert.That(Os.IsRunning(s.Pid, s.StartTime), Is.True, "the task survived the driver");

        var b = await StartDriver();
        await b.Call(PluginProtocol.Methods.RecoverTask, h);
        Assert.That((await b.Call<TaskStatus>(PluginProtocol.Methods.InspectTask, t.ID)).State, Is.EqualTo(TaskStates.Running));
        var wait = b.Wait(t.ID);
        await Os.WriteFifo(fifo, "42\n");
        Assert.That(await wait, Is.EqualTo(new ExitResult(42)));
        await b.Call(PluginProtocol.Methods.DestroyTask, t.ID, false);
        Assert.That(s.Cgroups!.Where(Directory.Exists), Is.Empty, "the recovered task's cgroups are removed on destroy");
    }

    [Test]
    public async Task Exec_runs_inside_the_task_as_its_user_in_its_cgroups()
    {
        var d = await StartDriver();
        var t = Sh("t", "echo started; exec sleep 3600");
        var h = await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("started"), "the task to run");
        var r = await d.Call<ExecResult>(PluginProtocol.Methods.ExecTask, t.ID,
            new[] { "/bin/sh", "-c", "id -u; cat /proc/1/cmdline | tr '\\0' ' '; echo; ls /local >/dev/null && echo chroot; cat /proc/self/cgroup | grep memory" }, 10_000L);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        var lines = r.Stdout.Split('\n');
        Assert.That(lines[0], Is.EqualTo("65534"));
        Assert.That(lines[1], Does.StartWith("sleep 3600"), "PID 1 of the namespace is the task");
        Assert.That(lines[2], Is.EqualTo("chroot"));
        Assert.That(lines[3], Does.EndWith(State(h).Cgroups!.Single(c => c.Contains("/memory/"))["/sys/fs/cgroup/memory".Length..]));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 100L, "SIGKILL");
    }

    [Test]
    public async Task The_task_has_a_devpts_of_its_own_for_terminals()
    {
        var d = await StartDriver();
        var t = Sh("t", "echo started; exec sleep 3600");
        await Start(d, t);
        await Os.Eventually(() => Stdout(t).Contains("started"), "the task to run");
        var r = await d.Call<ExecResult>(PluginProtocol.Methods.ExecTask, t.ID,
            new[] { "/bin/sh", "-c", "test -c /dev/pts/ptmx && echo ptmx; readlink /dev/ptmx; grep ' /dev/pts ' /proc/self/mounts | cut -d' ' -f3" }, 10_000L);
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        Assert.That(r.Stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries), Is.EqualTo(new[] { "ptmx", "pts/ptmx", "devpts" }));
        await d.Call(PluginProtocol.Methods.StopTask, t.ID, 100L, "SIGKILL");
    }

    [Test]
    public async Task StartTask_to_running_latency()
    {
        var d = await StartDriver();
        var times = new List<double>();
        for (int i = 0; i < 8; i++)
        {
            var t = Task($"t{i}", "true", []);
            var sw = Stopwatch.StartNew();
            await Start(d, t);
            times.Add(sw.Elapsed.TotalMilliseconds);
            Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)), Stderr(t));
            await d.Call(PluginProtocol.Methods.DestroyTask, t.ID, false);
        }
        var warm = times.Skip(1).Order().ToList();
        TestContext.Progress.WriteLine($"exec StartTask → running (execve done): first {times[0]:0} ms, warm median {warm[warm.Count / 2]:0} ms, max {warm[^1]:0} ms");
        Assert.That(warm[warm.Count / 2], Is.LessThan(2000));
    }

    /// <summary>Host PIDs of <c>sleep ARG</c> processes.</summary>
    private static List<int> Sleepers(string arg)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                if (File.ReadAllText(Path.Combine(dir, "cmdline")) == $"sleep\0{arg}\0" && Os.IsRunning(pid)) found.Add(pid);
            }
            catch (IOException) { }
        }
        return found;
    }
}
