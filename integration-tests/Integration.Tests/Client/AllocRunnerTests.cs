using Nomad.Agent.Structs;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests.Client;

/// <summary>
/// Allocations placed on a real in-process agent run on the real raw_exec driver: Nomad's directories and
/// environment, restart policy, stop and kill, task events and client status as the servers see them.
/// </summary>
[TestFixture]
public sealed class AllocRunnerTests
{
    private string _dir = "";
    private ClientAgent _agent = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("nomad-it-client-").FullName;
        _agent = await ClientAgent.StartAsync(Path.Combine(_dir, "data"));
    }

    [TearDown]
    public async Task TearDown()
    {
        await _agent.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    [Test]
    public async Task An_allocation_runs_with_Nomads_directories_and_environment()
    {
        var job = ClientAgent.Job("""
            job "envjob" {
              datacenters = ["dc1"]
              type        = "batch"
              meta { team = "core" }
              group "web" {
                task "app" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "env > ${NOMAD_TASK_DIR}/env.txt; echo out-line; echo err-line >&2"]
                  }
                  env {
                    GREETING = "hello ${NOMAD_ALLOC_INDEX} in ${node.datacenter} on ${attr.kernel.name}"
                  }
                  resources {
                    cpu    = 150
                    memory = 64
                  }
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "web", index: 3);
        var done = await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Complete);

        var root = _agent.AllocDir(alloc.ID);
        foreach (var d in new[] { "alloc/logs", "alloc/data", "alloc/tmp", "app/local", "app/secrets", "app/tmp" })
            Assert.That(Directory.Exists(Path.Combine(root, d)), Is.True, d);
        Assert.That(File.GetUnixFileMode(Path.Combine(root, "app/secrets")), Is.EqualTo(UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute));

        var env = File.ReadAllLines(Path.Combine(root, "app/local/env.txt"))
            .Select(l => l.Split('=', 2)).Where(p => p.Length == 2).GroupBy(p => p[0]).ToDictionary(g => g.Key, g => g.First()[1]);
        Assert.Multiple(() =>
        {
            Assert.That(env["NOMAD_ALLOC_ID"], Is.EqualTo(alloc.ID));
            Assert.That(env["NOMAD_ALLOC_NAME"], Is.EqualTo("envjob.web[3]"));
            Assert.That(env["NOMAD_ALLOC_INDEX"], Is.EqualTo("3"));
            Assert.That(env["NOMAD_TASK_NAME"], Is.EqualTo("app"));
            Assert.That(env["NOMAD_GROUP_NAME"], Is.EqualTo("web"));
            Assert.That(env["NOMAD_JOB_NAME"], Is.EqualTo("envjob"));
            Assert.That(env["NOMAD_JOB_ID"], Is.EqualTo("envjob"));
            Assert.That(env["NOMAD_ALLOC_DIR"], Is.EqualTo(Path.Combine(root, "alloc")));
            Assert.That(env["NOMAD_TASK_DIR"], Is.EqualTo(Path.Combine(root, "app", "local")));
            Assert.That(env["NOMAD_SECRETS_DIR"], Is.EqualTo(Path.Combine(root, "app", "secrets")));
            Assert.That(env["NOMAD_CPU_LIMIT"], Is.EqualTo("150"));
            Assert.That(env["NOMAD_MEMORY_LIMIT"], Is.EqualTo("64"));
            Assert.That(env["NOMAD_DC"], Is.EqualTo("dc1"));
            Assert.That(env["NOMAD_REGION"], Is.EqualTo("global"));
            Assert.That(env["NOMAD_NAMESPACE"], Is.EqualTo("default"));
            Assert.That(env["NOMAD_META_team"], Is.EqualTo("core"));
            Assert.That(env["GREETING"], Is.EqualTo($"hello 3 in dc1 on {_agent.Agent.Client!.Node.Attributes.GetValueOrDefault("kernel.name", "${attr.kernel.name}")}"));
        });
        Assert.That(File.ReadAllText(Path.Combine(root, "alloc/logs/app.stdout.0")), Is.EqualTo("out-line\n"));
        Assert.That(File.ReadAllText(Path.Combine(root, "alloc/logs/app.stderr.0")), Is.EqualTo("err-line\n"));

        var state = done.TaskStates!["app"];
        Assert.That(state.State, Is.EqualTo("dead"));
        Assert.That(state.Failed, Is.False);
        Assert.That(state.StartedAt, Is.Not.Null);
        Assert.That(state.FinishedAt, Is.Not.Null);
        Assert.That(state.Events.Select(e => e.Type), Is.EqualTo(new[] { "Received", "Task Setup", "Started", "Terminated" }),
            string.Join("; ", state.Events.Select(e => $"{e.Type}: {e.DisplayMessage}")));
        Assert.That(state.Events.Select(e => e.DisplayMessage), Is.EqualTo(new[] { "Task received by client", "Building Task Directory", "Task started by client", "Exit Code: 0" }));
        var now = UnixNanos.Now();
        Assert.That(state.Events.All(e => e.Time > now - 120_000_000_000L && e.Time <= now), Is.True, "event times are Unix nanoseconds");
        Assert.That(done.ClientDescription, Is.EqualTo("All tasks have completed"));
    }

    [Test]
    public async Task A_failing_task_restarts_attempts_times_then_the_allocation_fails()
    {
        var job = ClientAgent.Job("""
            job "failing" {
              datacenters = ["dc1"]
              group "g" {
                restart {
                  attempts = 2
                  interval = "30m"
                  delay    = "100ms"
                  mode     = "fail"
                }
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "echo run >> ${NOMAD_ALLOC_DIR}/data/runs; exit 1"]
                  }
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        var failed = await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Failed);

        var state = failed.TaskStates!["t"];
        Assert.That(state.State, Is.EqualTo("dead"));
        Assert.That(state.Failed, Is.True);
        Assert.That(state.Restarts, Is.EqualTo(2));
        Assert.That(File.ReadAllLines(Path.Combine(_agent.AllocDir(alloc.ID), "alloc/data/runs")), Has.Length.EqualTo(3), "the first run and two restarts");
        var types = state.Events.Select(e => e.Type).ToList();
        Assert.That(types.Count(t => t == "Terminated"), Is.EqualTo(3));
        Assert.That(types.Count(t => t == "Restarting"), Is.EqualTo(2));
        Assert.That(types[^1], Is.EqualTo("Not Restarting"));
        Assert.That(state.Events[^1].DisplayMessage, Is.EqualTo("Exceeded allowed attempts 2 in interval 30m0s and mode is \"fail\""));
        Assert.That(state.Events[^1].FailsTask, Is.True);
        Assert.That(state.Events.First(e => e.Type == "Terminated").DisplayMessage, Is.EqualTo("Exit Code: 1"));
        Assert.That(state.Events.First(e => e.Type == "Restarting").DisplayMessage, Does.StartWith("Task restarting in 1"));
        Assert.That(failed.ClientDescription, Is.EqualTo("Failed tasks"));
    }

    [Test]
    public async Task Stopping_an_allocation_kills_its_task_and_completes_it()
    {
        var job = ClientAgent.Job("""
            job "sleeper" {
              datacenters = ["dc1"]
              group "g" {
                task "t" {
                  driver       = "raw_exec"
                  kill_timeout = "3s"
                  config {
                    command = "/bin/sleep"
                    args    = ["600"]
                  }
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        var running = await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Running);
        Assert.That(running.TaskStates!["t"].State, Is.EqualTo("running"));
        var pid = _agent.Agent.Allocs!.Manager.Get(alloc.ID)!.Tasks.Single().Runner!.Handle!.DriverState.GetProperty("Pid").GetInt32();

        await _agent.StopAsync(alloc.ID);
        var stopped = await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Complete);
        Assert.That(Directory.Exists($"/proc/{pid}") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z "), Is.False, "the task's process is gone");

        var state = stopped.TaskStates!["t"];
        Assert.That(state.State, Is.EqualTo("dead"));
        Assert.That(state.Failed, Is.False);
        var types = state.Events.Select(e => e.Type).ToList();
        Assert.That(types.TakeLast(3), Is.EqualTo(new[] { "Killing", "Terminated", "Killed" }));
        Assert.That(state.Events.Single(e => e.Type == "Killing").DisplayMessage, Is.EqualTo("Sent interrupt. Waiting 3s before force killing"));
        Assert.That(state.Events.Single(e => e.Type == "Killed").DisplayMessage, Is.EqualTo("Task successfully killed"));
    }

    [Test]
    public async Task A_kill_timeout_above_the_clients_maximum_waits_30s_as_nomads_max_kill_timeout()
    {
        var job = ClientAgent.Job("""
            job "patient" {
              datacenters = ["dc1"]
              group "g" {
                task "t" {
                  driver       = "raw_exec"
                  kill_timeout = "10m"
                  config {
                    command = "/bin/sleep"
                    args    = ["600"]
                  }
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Running);
        await _agent.StopAsync(alloc.ID);
        var stopped = await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Complete);
        Assert.That(stopped.TaskStates!["t"].Events.Single(e => e.Type == "Killing").DisplayMessage, Is.EqualTo("Sent interrupt. Waiting 30s before force killing"));
    }

    [Test]
    public async Task Stopping_many_allocations_kills_their_tasks_in_parallel_within_one_kill_timeout()
    {
        // The task ignores SIGINT (ignored signals survive exec, so sleep ignores it too): each one needs the
        // whole kill_timeout and then SIGKILL. One at a time, N of them would take N kill_timeouts.
        const int n = 6;
        var killTimeout = TimeSpan.FromSeconds(3);
        var job = ClientAgent.Job($$"""
            job "stubborn" {
              datacenters = ["dc1"]
              group "g" {
                count = {{n}}
                task "t" {
                  driver       = "raw_exec"
                  kill_timeout = "{{killTimeout.TotalSeconds}}s"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "trap '' INT; exec /bin/sleep 600"]
                  }
                }
              }
            }
            """);
        var allocs = new List<Allocation>();
        for (int i = 0; i < n; i++) allocs.Add(await _agent.PlaceAsync(job, "g", i));
        foreach (var a in allocs) await _agent.WaitForStatusAsync(a.ID, AllocClientStatus.Running);

        var clock = System.Diagnostics.Stopwatch.StartNew();
        await _agent.StopAllAsync(allocs.Select(a => a.ID));
        foreach (var a in allocs) await _agent.WaitForStatusAsync(a.ID, AllocClientStatus.Complete, killTimeout * (n + 2));
        var elapsed = clock.Elapsed;

        Assert.That(elapsed, Is.GreaterThanOrEqualTo(killTimeout), "SIGKILL came only after kill_timeout");
        Assert.That(elapsed, Is.LessThan(killTimeout * 2), $"{n} tasks with a kill_timeout of {killTimeout.TotalSeconds}s were killed in parallel");
        foreach (var a in allocs)
        {
            var state = _agent.ServerAlloc(a.ID)!.TaskStates!["t"];
            Assert.That(state.Events.Select(e => e.Type).TakeLast(3), Is.EqualTo(new[] { "Killing", "Terminated", "Killed" }));
            Assert.That(state.Events.Single(e => e.Type == "Terminated").Details["signal"], Is.EqualTo("9"), "ended by SIGKILL");
        }
    }

    [Test]
    public async Task The_servers_forgetting_an_allocation_removes_it_from_the_client()
    {
        var job = ClientAgent.Job("""
            job "quick" {
              datacenters = ["dc1"]
              type        = "batch"
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/true"
                  }
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Complete);
        Assert.That(Directory.Exists(_agent.AllocDir(alloc.ID)), Is.True);

        await _agent.CollectAsync(alloc.ID);
        // A second allocation moves the node's index on, so the watcher hears at once that the first is gone.
        var other = await _agent.PlaceAsync(job, "g", index: 1);
        await Eventually.WaitAsync(() => _agent.Agent.Allocs!.Manager.Get(alloc.ID) is null && !Directory.Exists(_agent.AllocDir(alloc.ID)),
            TimeSpan.FromSeconds(60), "the collected allocation to be destroyed on the client\n" + _agent.Log);
        await _agent.WaitForStatusAsync(other.ID, AllocClientStatus.Complete);
    }
}
