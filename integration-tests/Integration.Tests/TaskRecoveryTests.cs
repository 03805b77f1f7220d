using System.Diagnostics;
using System.Text.Json;
using Nomad.Agent.Client;
using Nomad.Agent.Logging;
using Nomad.Agent.Plugins;
using Nomad.Contracts;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Tasks on the real raw_exec driver (dist/plugins/raw_exec), driven through the client's task runner:
/// they outlive kill -9 of the driver process and a restart of the client's side, are re-attached with
/// RecoverTask (same processes, nothing restarted), and their later exits are reported with the right codes.
/// </summary>
[TestFixture]
public sealed class TaskRecoveryTests
{
    private string _dir = "";
    private StringWriter _logText = null!;
    private Logger _log = null!;

    [SetUp]
    public void SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("nomad-it-tasks-").FullName;
        _logText = new StringWriter();
        _log = new LogSink(TextWriter.Synchronized(_logText), LogSeverity.Debug).For("client");
    }

    private static DiscoveredPlugin RawExec()
    {
        var manifest = Path.Combine(Repo.Root, "dist", "plugins", "raw_exec", "plugin.json");
        var (plugin, error) = PluginDiscovery.Read(manifest);
        Assert.That(error, Is.Null, "dist/plugins/raw_exec must be built (scripts/build)");
        return plugin!;
    }

    private async Task<DriverManager> StartDriversAsync(TimeSpan backoff)
    {
        var drivers = new DriverManager(_ => JsonSerializer.SerializeToElement(new { enabled = true }),
            new DriverSupervisorOptions { DllHost = [Repo.Nomad, "plugin-host"], InitialBackoff = backoff }, _log.Named("driver_mgr"));
        await drivers.AddAsync(RawExec(), TimeSpan.FromSeconds(30));
        Assert.That(drivers.Get("raw_exec")!.Info.Healthy, Is.True, drivers.Get("raw_exec")!.Info.HealthDescription);
        return drivers;
    }

    /// <summary>A task that runs until its go-file appears, then exits with <paramref name="code"/>.</summary>
    private TaskConfig Task(int i, int code) => new()
    {
        ID = $"alloc{i}/t/0",
        Name = "t",
        AllocID = $"alloc{i}",
        TaskDir = Path.Combine(_dir, $"alloc{i}", "t"),
        StdoutPath = Path.Combine(_dir, $"alloc{i}", "t.stdout"),
        StderrPath = Path.Combine(_dir, $"alloc{i}", "t.stderr"),
        DriverConfig = JsonSerializer.SerializeToElement(new
        {
            command = "/bin/sh",
            args = new[] { "-c", $"while [ ! -f {GoFile(i)} ]; do sleep 0.05; done; exit {code}" },
        }),
    };

    private string GoFile(int i) => Path.Combine(_dir, $"go{i}");

    private static int TaskPid(TaskRunner r) => r.Handle!.DriverState.GetProperty("Pid").GetInt32();

    private static bool Alive(int pid)
    {
        var stat = $"/proc/{pid}/stat";
        if (!File.Exists(stat)) return false;
        var text = File.ReadAllText(stat);
        return text[(text.LastIndexOf(')') + 2)] != 'Z';
    }

    [Test]
    public async Task Tasks_survive_kill_9_of_the_driver_and_report_their_exits()
    {
        await using var drivers = await StartDriversAsync(TimeSpan.FromMilliseconds(200));
        var store = new ClientStateStore(_dir);
        var runners = Enumerable.Range(1, 3).Select(i => TaskRunner.Start(drivers, store, "raw_exec", Task(i, 6 + i), _log, CancellationToken.None)).ToList();
        await Eventually.WaitAsync(() => runners.All(r => r.Handle is not null), TimeSpan.FromSeconds(30), "all tasks started");
        var pids = runners.Select(TaskPid).ToList();

        var oldDriver = drivers.Get("raw_exec")!;
        var driverPid = oldDriver.Pid;
        Process.GetProcessById(driverPid).Kill();   // SIGKILL, the driver process only
        await Eventually.WaitAsync(() => oldDriver.Pid != 0 && oldDriver.Pid != driverPid, TimeSpan.FromSeconds(30), "the driver to be restarted");
        await Eventually.WaitAsync(() => CountLines("task recovered") == 3, TimeSpan.FromSeconds(30), "all three tasks re-attached\n" + _logText);
        Assert.That(pids.All(Alive), Is.True, "the tasks kept running through the driver's death");
        Assert.That(CountLines("task started"), Is.EqualTo(3), "nothing was started twice");

        for (var i = 1; i <= 3; i++) File.WriteAllText(GoFile(i), "");
        var exits = await System.Threading.Tasks.Task.WhenAll(runners.Select(r => r.Exited)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(exits.Select(e => e.ExitCode), Is.EqualTo(new[] { 7, 8, 9 }));
        Assert.That(store.All().Select(s => s.Exit?.ExitCode).Order(), Is.EqualTo(new int?[] { 7, 8, 9 }), "exits are persisted");
    }

    [Test]
    public async Task A_restarted_client_recovers_its_tasks_from_state_including_one_that_exited_meanwhile()
    {
        var store = new ClientStateStore(_dir);
        List<int> pids;
        await using (var drivers = await StartDriversAsync(TimeSpan.FromMilliseconds(200)))
        {
            var runners = Enumerable.Range(1, 3).Select(i => TaskRunner.Start(drivers, store, "raw_exec", Task(i, 20 + i), _log, CancellationToken.None)).ToList();
            await Eventually.WaitAsync(() => runners.All(r => r.Handle is not null), TimeSpan.FromSeconds(30), "all tasks started");
            pids = runners.Select(TaskPid).ToList();
        }   // the client's side goes away: its driver process is killed, the tasks are not

        Assert.That(pids.All(Alive), Is.True, "tasks outlive the driver and the client");
        File.WriteAllText(GoFile(2), "");   // one task ends while nobody watches
        await Eventually.WaitAsync(() => !Alive(pids[1]), TimeSpan.FromSeconds(30), "task 2 to exit while no driver runs");

        await using var restarted = await StartDriversAsync(TimeSpan.FromMilliseconds(200));
        var recovered = store.All().Select(s => TaskRunner.Recover(restarted, store, s, _log, CancellationToken.None)).ToList();
        await Eventually.WaitAsync(() => CountLines("task recovered") == 3, TimeSpan.FromSeconds(30), "all three tasks re-attached\n" + _logText);
        Assert.That(recovered.Select(TaskPid).Order(), Is.EqualTo(pids.Order()), "the same processes, none restarted");

        File.WriteAllText(GoFile(1), "");
        File.WriteAllText(GoFile(3), "");
        var exits = await System.Threading.Tasks.Task.WhenAll(recovered.Select(r => r.Exited)).WaitAsync(TimeSpan.FromSeconds(30));
        Assert.That(exits.Select(e => e.ExitCode).Order(), Is.EqualTo(new[] { 21, 22, 23 }));
    }

    [Test]
    public async Task A_real_agent_recovers_the_tasks_in_its_state_dir_across_kill_9()
    {
        var dataDir = Path.Combine(_dir, "data");
        var store = new ClientStateStore(Path.Combine(dataDir, "client"));   // the agent's client state_dir under data_dir
        List<int> pids;
        await using (var drivers = await StartDriversAsync(TimeSpan.FromMilliseconds(200)))
        {
            var runners = Enumerable.Range(1, 3).Select(i => TaskRunner.Start(drivers, store, "raw_exec", Task(i, 30 + i), _log, CancellationToken.None)).ToList();
            await Eventually.WaitAsync(() => runners.All(r => r.Handle is not null), TimeSpan.FromSeconds(30), "all tasks started");
            pids = runners.Select(TaskPid).ToList();
        }

        const string config = "server {\n  enabled = true\n  bootstrap_expect = 1\n}\nclient {\n  enabled = true\n}\nplugin \"raw_exec\" {\n  config {\n    enabled = true\n  }\n}\n";
        var ports = FreePorts.Take(3);
        await using (var agent = AgentProcess.Start([$"-data-dir={dataDir}"], config, ports: ports))
        {
            await Eventually.WaitAsync(() => agent.Lines.Count(l => l.Contains("client: task recovered")) == 3, TimeSpan.FromSeconds(60), "the agent to recover 3 tasks\n" + agent.Output);
            agent.Signal("KILL");
            await agent.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }
        Assert.That(pids.All(Alive), Is.True, "tasks outlive kill -9 of the agent");

        await using var restarted = AgentProcess.Start([$"-data-dir={dataDir}"], config, ports: ports);
        await Eventually.WaitAsync(() => restarted.Lines.Count(l => l.Contains("client: task recovered")) == 3, TimeSpan.FromSeconds(60), "the restarted agent to recover 3 tasks\n" + restarted.Output);
        Assert.That(restarted.Lines.Where(l => l.Contains("task started")), Is.Empty, "nothing restarted");

        for (var i = 1; i <= 3; i++) File.WriteAllText(GoFile(i), "");
        await Eventually.WaitAsync(() => store.All().All(r => r.Exit is not null), TimeSpan.FromSeconds(30), "the agent to record every exit");
        Assert.That(store.All().Select(r => r.Exit!.ExitCode).Order(), Is.EqualTo(new[] { 31, 32, 33 }));
    }

    private int CountLines(string text) => _logText.ToString().Split('\n').Count(l => l.Contains(text));
}
