using System.Runtime.InteropServices;
using System.Text.Json;
using Nomad.Agent.Client;
using Nomad.Agent.Logging;
using Nomad.Agent.Plugins;
using Nomad.Contracts;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// A task on the real exec driver (dist/plugins/exec), driven through the client's task runner: it runs isolated
/// (PID 1 of its namespace, as nobody, chrooted) and its exit code comes back. Needs root and cgroups.
/// </summary>
[TestFixture]
public sealed class ExecDriverTests
{
    [DllImport("libc")] private static extern uint geteuid();

    [Test]
    public async Task An_exec_task_runs_isolated_and_reports_its_exit_code()
    {
        if (geteuid() != 0) Assert.Ignore("the exec driver needs root (not root here)");
        var dir = Directory.CreateTempSubdirectory("nomad-it-exec-").FullName;
        var logText = new StringWriter();
        var log = new LogSink(TextWriter.Synchronized(logText), LogSeverity.Debug).For("client");
        var (plugin, error) = PluginDiscovery.Read(Path.Combine(Repo.Root, "dist", "plugins", "exec", "plugin.json"));
        Assert.That(error, Is.Null, "dist/plugins/exec must be built (scripts/build)");

        await using var drivers = new DriverManager(_ => JsonSerializer.SerializeToElement(new { }),
            new DriverSupervisorOptions { DllHost = [Repo.Nomad, "plugin-host"] }, log.Named("driver_mgr"));
        await drivers.AddAsync(plugin!, TimeSpan.FromSeconds(30));
        var info = drivers.Get("exec")!.Info;
        if (!info.Healthy && info.HealthDescription == "no cgroup mount") Assert.Ignore("no cgroups here");
        Assert.That(info.Healthy, Is.True, info.HealthDescription);

        var task = new TaskConfig
        {
            ID = "alloc1/t/0",
            Name = "t",
            AllocID = "alloc1",
            TaskDir = Path.Combine(dir, "alloc1", "t"),
            StdoutPath = Path.Combine(dir, "alloc1", "t.stdout"),
            StderrPath = Path.Combine(dir, "alloc1", "t.stderr"),
            DriverConfig = JsonSerializer.SerializeToElement(new
            {
                command = "/bin/sh",
                args = new[] { "-c", "[ $$ = 1 ] && [ \"$(id -u)\" = 65534 ] && [ ! -e /root ] && exit 5; exit 1" },
            }),
        };
        var runner = TaskRunner.Start(drivers, new ClientStateStore(dir), "exec", task, log, CancellationToken.None);
        var exit = await runner.Exited.WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(exit.ExitCode, Is.EqualTo(5), logText.ToString());

        // The runner destroys a finished task once its exit is on disk, which removes the task's cgroups.
        Assert.That(Directory.Exists("/sys/fs/cgroup/memory/nomad/alloc1_t_0"), Is.False, "the runner's destroy removed the task's cgroups");
        Directory.Delete(dir, recursive: true);
    }
}
