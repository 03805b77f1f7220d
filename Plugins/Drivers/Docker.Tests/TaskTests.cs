using System.Diagnostics;
using System.Text.Json;

namespace Nomad.Drivers.Docker.Tests;

/// <summary>Tasks in real containers: exit codes, env, alloc dir mounts, limits, OOM, stop and kill, stats, exec.</summary>
public sealed class TaskTests : DockerTest
{
    [Test]
    public async Task A_task_runs_and_its_exit_code_and_logs_are_reported()
    {
        var d = await StartDriver();
        var t = Sh("main", "echo out; echo err >&2; exit 3");
        var h = await Start(d, t);
        Assert.That(h.State, Is.EqualTo(TaskStates.Running));
        var exit = await d.Wait(t.ID);
        Assert.That(exit, Is.EqualTo(new ExitResult(3)));
        Assert.That(Stdout(t), Is.EqualTo("out\n"));
        Assert.That(Stderr(t), Is.EqualTo("err\n"));
        var status = await d.Call<TaskStatus>(PluginProtocol.Methods.InspectTask, t.ID);
        Assert.That(status.State, Is.EqualTo(TaskStates.Exited));
        Assert.That(status.CompletedAt, Is.GreaterThanOrEqualTo(status.StartedAt));
        await Destroy(d, t);
        Assert.That(await Ours(), Is.Empty, "destroy removes the container");
    }

    [Test]
    public async Task A_task_ID_of_dots_keeps_its_files_in_its_own_folder_and_destroy_leaves_the_task_dir()
    {
        var d = await StartDriver();
        var t = Sh("dots", "echo out") with { ID = ".." };
        Directory.CreateDirectory(t.TaskDir);
        File.WriteAllText(Path.Combine(t.TaskDir, "keep"), "the task dir's own file\n");
        await Start(d, t);
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)), Stderr(t));
        Assert.That(Directory.Exists(Path.Combine(t.TaskDir, ".docker", "task")), Is.True, "the ID becomes a safe folder name");
        await Destroy(d, t);
        Assert.That(File.Exists(Path.Combine(t.TaskDir, "keep")), Is.True, "destroy removes the task's folder, not its parent");
    }

    [Test]
    public async Task The_env_becomes_the_containers_environment_and_the_alloc_dirs_are_mounted()
    {
        var d = await StartDriver();
        var t = Sh("env", "echo \"$GREETING $NOMAD_TASK_NAME\"; echo shared > /alloc/from-task; echo mine > /local/own; " +
                          "cat /local/input; ls -d /secrets",
            new() { ["GREETING"] = "hello world", ["NOMAD_TASK_NAME"] = "env" });
        Directory.CreateDirectory(Path.Combine(t.TaskDir, "local"));
        File.WriteAllText(Path.Combine(t.TaskDir, "local", "input"), "from host\n");
        await Start(d, t);
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)), Stderr(t));
        Assert.That(Stdout(t), Is.EqualTo("hello world env\nfrom host\n/secrets\n"));
        Assert.That(File.ReadAllText(Path.Combine(AllocDir, "alloc", "from-task")), Is.EqualTo("shared\n"));
        Assert.That(File.ReadAllText(Path.Combine(t.TaskDir, "local", "own")), Is.EqualTo("mine\n"));
        await Destroy(d, t);
    }

    [Test]
    public async Task Resources_labels_and_options_reach_the_container()
    {
        var d = await StartDriver();
        var t = Task("opts", new
        {
            image = Image, command = "sleep", args = new[] { "30" }, network_mode = "none", hostname = "box", work_dir = "/tmp",
            labels = new[] { new Dictionary<string, string> { ["team"] = "infra" } }, // a labels { } block
            cap_drop = new[] { "NET_RAW" }, shm_size = 8 * 1024 * 1024, pids_limit = 50,
        }, memoryMB: 48);
        t = t with { Resources = new TaskResources(250, 48, 96) };
        var h = await Start(d, t);
        var c = await Docker.Containers.InspectContainerAsync(ContainerId(h));
        Assert.Multiple(() =>
        {
            Assert.That(c.Name, Is.EqualTo($"/opts-{AllocId}"));
            Assert.That(c.HostConfig.Memory, Is.EqualTo(96L * 1024 * 1024), "memory_max is the hard limit");
            Assert.That(c.HostConfig.MemoryReservation, Is.EqualTo(48L * 1024 * 1024), "memory is the reservation");
            Assert.That(c.HostConfig.CPUShares, Is.EqualTo(250));
            Assert.That(c.HostConfig.PidsLimit, Is.EqualTo(50));
            Assert.That(c.HostConfig.ShmSize, Is.EqualTo(8L * 1024 * 1024));
            Assert.That(c.HostConfig.CapDrop, Is.EquivalentTo(new[] { "NET_RAW" }));
            Assert.That(c.HostConfig.NetworkMode, Is.EqualTo("none"));
            Assert.That(c.Config.Hostname, Is.EqualTo("box"));
            Assert.That(c.Config.WorkingDir, Is.EqualTo("/tmp"));
            Assert.That(c.Config.Labels["team"], Is.EqualTo("infra"));
            Assert.That(c.Config.Labels[AllocLabel], Is.EqualTo(AllocId));
            Assert.That(c.Config.Labels["com.hashicorp.nomad.task_name"], Is.EqualTo("opts"));
            Assert.That(c.HostConfig.Binds, Does.Contain($"{Path.Combine(AllocDir, "alloc")}:/alloc"));
        });
        await Destroy(d, t, force: true);
    }

    [Test]
    public async Task An_out_of_memory_kill_is_read_from_docker_and_reported()
    {
        var d = await StartDriver();
        // A shell variable of 64 MiB in a 16 MiB container (no swap: the driver sets memory-swap = memory).
        var t = Sh("oom", "x=$(head -c 67108864 /dev/zero | tr '\\0' a); echo survived ${#x}", memoryMB: 16);
        await Start(d, t);
        var exit = await d.Wait(t.ID, TimeSpan.FromSeconds(60));
        Assert.That(exit.OOMKilled, Is.True, $"exit {exit}; stdout {Stdout(t)}");
        Assert.That(exit.ExitCode, Is.EqualTo(137));
        Assert.That(Stdout(t), Does.Not.Contain("survived"));
        await Destroy(d, t);
    }

    [Test]
    public async Task Stop_sends_the_signal_then_kills_after_the_timeout()
    {
        var d = await StartDriver();
        var polite = Sh("polite", "trap 'echo got TERM; exit 0' TERM; echo ready; while true; do sleep 0.1; done");
        // PID 1 in a container ignores SIGTERM it has no handler for: only the kill after the timeout ends it.
        var stubborn = Sh("stubborn", "echo ready; exec sleep 300");
        await Start(d, polite);
        await Start(d, stubborn);
        await Os.Eventually(() => Stdout(polite).Contains("ready") && Stdout(stubborn).Contains("ready"), "both tasks to run");

        var sw = Stopwatch.StartNew();
        await d.Call(PluginProtocol.Methods.StopTask, polite.ID, 10_000L, "SIGTERM");
        Assert.That(await d.Wait(polite.ID), Is.EqualTo(new ExitResult(0)), "the signal ended it gracefully");
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(8)), "no waiting for the timeout");
        Assert.That(Stdout(polite), Does.Contain("got TERM"));

        sw.Restart();
        await d.Call(PluginProtocol.Methods.StopTask, stubborn.ID, 1_000L, "SIGTERM");
        var exit = await d.Wait(stubborn.ID);
        Assert.That(exit.ExitCode, Is.EqualTo(137), "killed");
        Assert.That(sw.Elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromSeconds(0.9)).And.LessThan(TimeSpan.FromSeconds(10)));

        await Destroy(d, polite);
        await Destroy(d, stubborn);
    }

    [Test]
    public async Task Destroy_with_force_kills_and_removes_a_running_container()
    {
        var d = await StartDriver();
        var t = Sh("long", "exec sleep 300");
        await Start(d, t);
        Assert.That(async () => await Destroy(d, t), Throws.Exception.With.Message.Contains("still running"));
        await Destroy(d, t, force: true);
        Assert.That(await Ours(), Is.Empty);
    }

    [Test]
    public async Task Stats_come_from_docker_and_exec_runs_inside_the_container()
    {
        var d = await StartDriver();
        var t = Sh("busy", "echo inside > /tmp/marker; while true; do :; done");
        await Start(d, t);
        await Os.Eventually(() => Docker.Containers.InspectContainerAsync($"{t.Name}-{t.AllocID}").Result.State.Running, "container running");

        var stats = await d.Call<TaskResourceUsage>(PluginProtocol.Methods.TaskStats, t.ID);
        Assert.That(stats.MemoryRssBytes + stats.MemoryCacheBytes, Is.GreaterThan(0));
        Assert.That(stats.Timestamp, Is.GreaterThan(DateTimeOffset.UtcNow.AddMinutes(-1).ToUnixTimeMilliseconds() * 1_000_000));

        await Os.Eventually(() => File.Exists(Path.Combine(AllocDir, "alloc", "logs", "busy.stdout.0")), "log file");
        var r = await d.Call<ExecResult>(PluginProtocol.Methods.ExecTask, t.ID, new[] { "cat", "/tmp/marker" }, 10_000L);
        Assert.That(r, Is.EqualTo(new ExecResult(0, "inside\n", "")));
        r = await d.Call<ExecResult>(PluginProtocol.Methods.ExecTask, t.ID, new[] { "sh", "-c", "echo oops >&2; exit 4" }, 10_000L);
        Assert.That(r, Is.EqualTo(new ExecResult(4, "", "oops\n")));

        await d.Call(PluginProtocol.Methods.SignalTask, t.ID, "SIGKILL");
        Assert.That((await d.Wait(t.ID)).ExitCode, Is.EqualTo(137));
        await Destroy(d, t);
    }

    [Test]
    public async Task A_missing_image_with_no_registry_fails_the_task_clearly_without_hanging()
    {
        var d = await StartDriver(new { pull_activity_timeout = "20s" });
        var t = Task("ghost", new { image = "local/does-not-exist:1", command = "true", network_mode = "none" });
        var sw = Stopwatch.StartNew();
        var e = await Assert.ThrowsAsync<StreamJsonRpc.RemoteInvocationException>(async () => await Start(d, t));
        Assert.That(e!.Message, Does.StartWith("Failed to pull `local/does-not-exist:1`: "));
        Assert.That(sw.Elapsed, Is.LessThan(TimeSpan.FromSeconds(25)));
        TestContext.Out.WriteLine($"{e.Message} ({sw.Elapsed.TotalSeconds:0.0} s)");
        Assert.That(d.Stderr, Does.Contain("Downloading image local/does-not-exist:1"), "the pull was announced as a task event");
        Assert.That(await Ours(), Is.Empty, "no container was created");
    }

    [Test]
    public async Task Bad_task_configs_are_refused_naming_the_field()
    {
        var d = await StartDriver();
        async Task<List<string>> Validate(object cfg) =>
            (await d.Call<ValidationResult>(PluginProtocol.Methods.ValidateTaskConfig, JsonSerializer.SerializeToElement(cfg))).Errors;
        Assert.That(await Validate(new { command = "x" }), Is.EqualTo(new[] { "config.image: required" }));
        Assert.That(await Validate(new { image = Image, bogus = 1 }), Is.EqualTo(new[] { "config.bogus: unknown field" }));
        Assert.That(await Validate(new { image = Image, privileged = true }),
            Is.EqualTo(new[] { "config.privileged: docker privileged mode is disabled on this client (plugin config allow_privileged)" }));
        Assert.That(await Validate(new { image = Image, volumes = new[] { "nocolon" } }),
            Is.EqualTo(new[] { "config.volumes: \"nocolon\" is not host_path:/container_path[:ro]" }));
        Assert.That(await Validate(new { image = Image, auth = new { username = "u" } }),
            Is.EqualTo(new[] { "config.auth: registry authentication is not supported by this docker driver yet" }));
        Assert.That(await Validate(new { image = Image, volumes = new[] { "/etc:/host-etc:ro" } }),
            Is.EqualTo(new[] { "config.volumes: /etc: volumes are not enabled; cannot mount host paths (plugin config volumes { enabled = true })" }),
            "refused when the job is validated, not only at every start");
        Assert.That(await Validate(new { image = Image, mount = new[] { new { type = "bind", source = "/etc", target = "/x" } } }),
            Is.EqualTo(new[] { "config.mount.source: /etc: volumes are not enabled; cannot mount host paths (plugin config volumes { enabled = true })" }));
        Assert.That(await Validate(new { image = Image, volumes = new[] { "data:/data" } }), Is.Empty, "a relative volume lives in the task dir");
        Assert.That(await Validate(new { image = Image, args = new[] { "a" }, ports = new[] { "http" }, mount = new[] { new { type = "tmpfs", target = "/scratch" } } }), Is.Empty);

        var privileged = await StartDriver(new { allow_privileged = true });
        Assert.That((await privileged.Call<ValidationResult>(PluginProtocol.Methods.ValidateTaskConfig,
            JsonSerializer.SerializeToElement(new { image = Image, privileged = true }))).Errors, Is.Empty);

        var t = Task("abs", new { image = Image, command = "true", network_mode = "none", volumes = new[] { "/etc:/host-etc:ro" } });
        Assert.That(async () => await Start(d, t), Throws.Exception.With.Message.Contains("volumes are not enabled"));
        Assert.That(await Ours(), Is.Empty);
    }

    [Test]
    public async Task A_tmpfs_mount_and_a_relative_volume_are_mounted()
    {
        var d = await StartDriver();
        var t = Task("mounts", new
        {
            image = Image, command = "/bin/sh", network_mode = "none",
            args = new[] { "-c", "grep -q ' /scratch tmpfs' /proc/mounts && echo tmpfs-ok; cat /data/in" },
            mount = new[] { new { type = "tmpfs", target = "/scratch" } },
            volumes = new[] { "local/data:/data:ro" },
        });
        Directory.CreateDirectory(Path.Combine(t.TaskDir, "local", "data"));
        File.WriteAllText(Path.Combine(t.TaskDir, "local", "data", "in"), "relative ok\n");
        await Start(d, t);
        Assert.That(await d.Wait(t.ID), Is.EqualTo(new ExitResult(0)), Stderr(t));
        Assert.That(Stdout(t), Is.EqualTo("tmpfs-ok\nrelative ok\n"));
        await Destroy(d, t);
    }
}
