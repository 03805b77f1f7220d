using System.Net.Http.Json;
using System.Text.Json;
using Nomad.Agent.Structs;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests.Client;

/// <summary>
/// The lifecycle stanza on a real agent with real raw_exec tasks: prestart, sidecar, poststart and poststop tasks
/// run in Nomad's order (read back from the API's task events and their times, and from what the tasks wrote into
/// alloc/data), a failing prestart task fails the allocation before the main task starts, a dead leader stops the
/// others, stopping waits out shutdown_delay and kills sidecars after the main tasks, and a restarted agent does
/// not run a completed prestart task again.
/// </summary>
[TestFixture]
public sealed class TaskLifecycleTests
{
    private string _dir = "";
    private ClientAgent _agent = null!;

    [SetUp]
    public async Task SetUp()
    {
        _dir = Directory.CreateTempSubdirectory("nomad-it-lifecycle-").FullName;
        _agent = await StartAsync(Path.Combine(_dir, "data"));
    }

    /// <summary>
    /// An agent whose raw_exec driver is up: on a loaded machine the client may be ready before the driver's first
    /// fingerprint, and a task placed then fails to start once and is restarted, which these tests' event lists would count.
    /// </summary>
    private static async Task<ClientAgent> StartAsync(string dataDir, int[]? ports = null)
    {
        var agent = await ClientAgent.StartAsync(dataDir, ports: ports);
        await Eventually.WaitAsync(() => agent.Agent.Drivers?.Get("raw_exec")?.Driver is not null, TimeSpan.FromSeconds(60), "the raw_exec driver\n" + agent.Log);
        return agent;
    }

    [TearDown]
    public async Task TearDown()
    {
        await _agent.DisposeAsync();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private sealed record Event(string Type, long Time, string Display, string FailedSibling);

    /// <summary>Each task's events as GET /v1/allocation/:id reports them.</summary>
    private static async Task<Dictionary<string, List<Event>>> EventsAsync(ClientAgent agent, string allocId)
    {
        var alloc = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/allocation/{allocId}");
        return alloc.GetProperty("TaskStates").EnumerateObject().ToDictionary(t => t.Name, t => t.Value.GetProperty("Events").EnumerateArray()
            .Select(e => new Event(e.GetProperty("Type").GetString()!, e.GetProperty("Time").GetInt64(), e.GetProperty("DisplayMessage").GetString()!,
                e.GetProperty("FailedSibling").GetString()!)).ToList());
    }

    private static long Time(List<Event> events, string type) => events.Single(e => e.Type == type).Time;

    private static string Describe(Dictionary<string, List<Event>> events) =>
        string.Join("\n", events.Select(kv => $"{kv.Key}: {string.Join(", ", kv.Value.Select(e => $"{e.Type}@{e.Time}"))}"));

    private static string Shell(string script) => $$"""
        driver = "raw_exec"
        config {
          command = "/bin/sh"
          args    = ["-c", "{{script}}"]
        }
        """;

    private string Data(string allocId, string file) => Path.Combine(_agent.AllocDir(allocId), "alloc", "data", file);

    private async Task WaitAllDeadAsync(string allocId) =>
        await Eventually.WaitAsync(() => _agent.ServerAlloc(allocId)?.TaskStates is { } s && s.Values.All(t => t.State == TaskStateName.Dead),
            TimeSpan.FromSeconds(60), "every task (poststop included) to be dead on the servers\n" + _agent.Log);

    [Test]
    public async Task Prestart_sidecar_main_poststart_and_poststop_tasks_run_in_Nomads_order()
    {
        const string order = "$NOMAD_ALLOC_DIR/data/order";
        var job = ClientAgent.Job($$"""
            job "lifecycle" {
              datacenters = ["dc1"]
              type        = "batch"
              group "g" {
                task "init" {
                  lifecycle {
                    hook = "prestart"
                  }
                  {{Shell($"echo init >> {order}; echo from-init > $NOMAD_ALLOC_DIR/data/init.txt")}}
                }
                task "proxy" {
                  lifecycle {
                    hook    = "prestart"
                    sidecar = true
                  }
                  {{Shell($"trap 'echo proxy-stop >> {order}; exit 0' INT TERM; echo proxy-start >> {order}; while :; do sleep 0.05; done")}}
                }
                task "app" {
                  {{Shell($"echo app >> {order}; cat $NOMAD_ALLOC_DIR/data/init.txt > $NOMAD_ALLOC_DIR/data/app-read.txt; " +
                          $"while [ ! -f $NOMAD_ALLOC_DIR/data/after.txt ]; do sleep 0.05; done; echo app-done >> {order}")}}
                }
                task "after" {
                  lifecycle {
                    hook = "poststart"
                  }
                  {{Shell($"echo after >> {order}; touch $NOMAD_ALLOC_DIR/data/after.txt")}}
                }
                task "cleanup" {
                  lifecycle {
                    hook = "poststop"
                  }
                  {{Shell($"echo cleanup >> {order}")}}
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        var done = await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Complete);
        Assert.That(done.TaskStates!.Values.All(s => s.State == TaskStateName.Dead && !s.Failed), Is.True);

        Assert.That(File.ReadAllText(Data(alloc.ID, "app-read.txt")), Is.EqualTo("from-init\n"), "the main task read what the prestart task wrote");
        var lines = File.ReadAllLines(Data(alloc.ID, "order")).ToList();
        // The sidecar's first line races with the main task's (it only has to have started): only its place before its stop is fixed.
        Assert.That(lines.Where(l => l != "proxy-start"), Is.EqualTo(new[] { "init", "app", "after", "app-done", "proxy-stop", "cleanup" }), string.Join(" ", lines));
        Assert.That(lines.IndexOf("proxy-start"), Is.GreaterThanOrEqualTo(0).And.LessThan(lines.IndexOf("proxy-stop")));

        var events = await EventsAsync(_agent, alloc.ID);
        var why = Describe(events);
        string[] ran = ["Received", "Task Setup", "Started", "Terminated"];
        Assert.Multiple(() =>
        {
            foreach (var task in new[] { "init", "app", "after", "cleanup" })
                Assert.That(events[task].Select(e => e.Type), Is.EqualTo(ran), $"{task}\n{why}");
            Assert.That(events["proxy"].Select(e => e.Type), Is.EqualTo(new[] { "Received", "Task Setup", "Started", "Main Tasks Dead", "Killing", "Terminated", "Killed" }), why);
            Assert.That(events["proxy"].Single(e => e.Type == "Main Tasks Dead").Display, Is.EqualTo("Main tasks in the group died"));
        });
        Assert.Multiple(() =>
        {
            Assert.That(Time(events["init"], "Terminated"), Is.LessThanOrEqualTo(Time(events["app"], "Task Setup")), "main after the prestart task ended\n" + why);
            Assert.That(Time(events["proxy"], "Started"), Is.LessThanOrEqualTo(Time(events["app"], "Task Setup")), "main after the sidecar started\n" + why);
            Assert.That(Time(events["app"], "Started"), Is.LessThanOrEqualTo(Time(events["after"], "Task Setup")), "poststart after main started\n" + why);
            Assert.That(Time(events["app"], "Terminated"), Is.LessThanOrEqualTo(Time(events["proxy"], "Main Tasks Dead")), "the sidecar stopped after main\n" + why);
            Assert.That(Time(events["proxy"], "Killed"), Is.LessThanOrEqualTo(Time(events["cleanup"], "Task Setup")), "poststop after everything else\n" + why);
        });
    }

    [Test]
    public async Task A_failing_prestart_task_fails_the_allocation_and_the_main_task_never_starts()
    {
        var job = ClientAgent.Job($$"""
            job "failinit" {
              datacenters = ["dc1"]
              type        = "batch"
              group "g" {
                restart {
                  attempts = 1
                  delay    = "100ms"
                  interval = "30m"
                  mode     = "fail"
                }
                task "init" {
                  lifecycle {
                    hook = "prestart"
                  }
                  {{Shell("echo run >> $NOMAD_ALLOC_DIR/data/init-runs; exit 3")}}
                }
                task "app" {
                  {{Shell("touch $NOMAD_ALLOC_DIR/data/app-ran")}}
                }
                task "cleanup" {
                  lifecycle {
                    hook = "poststop"
                  }
                  {{Shell("touch $NOMAD_ALLOC_DIR/data/cleanup-ran")}}
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        var failed = await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Failed);
        await WaitAllDeadAsync(alloc.ID);

        var events = await EventsAsync(_agent, alloc.ID);
        var why = Describe(events);
        Assert.That(File.ReadAllLines(Data(alloc.ID, "init-runs")), Has.Length.EqualTo(2), "the first run and the one restart its policy allows");
        Assert.That(failed.TaskStates!["init"].Failed, Is.True);
        Assert.That(events["init"][^1].Type, Is.EqualTo("Not Restarting"), why);
        Assert.That(File.Exists(Data(alloc.ID, "app-ran")), Is.False, "the main task never ran");
        var app = _agent.ServerAlloc(alloc.ID)!.TaskStates!["app"];
        Assert.That(app.StartedAt, Is.Null);
        Assert.That(app.Failed, Is.False);
        Assert.That(events["app"].Select(e => e.Type), Has.No.Member("Started").And.No.Member("Task Setup"), why);
        Assert.That(events["app"].Single(e => e.Type == "Sibling Task Failed").FailedSibling, Is.EqualTo("init"));
        Assert.That(File.Exists(Data(alloc.ID, "cleanup-ran")), Is.True, "poststop tasks run even after a failure, as in Nomad");
        Assert.That(_agent.ServerAlloc(alloc.ID)!.ClientStatus, Is.EqualTo(AllocClientStatus.Failed));
    }

    [Test]
    public async Task The_leader_exiting_stops_the_other_tasks_and_the_sidecar_last()
    {
        var job = ClientAgent.Job($$"""
            job "leader" {
              datacenters = ["dc1"]
              type        = "batch"
              group "g" {
                task "proxy" {
                  lifecycle {
                    hook    = "prestart"
                    sidecar = true
                  }
                  {{Shell("exec sleep 600")}}
                }
                task "worker" {
                  {{Shell("exec sleep 600")}}
                }
                task "boss" {
                  leader = true
                  {{Shell("while [ ! -f $NOMAD_ALLOC_DIR/data/go ]; do sleep 0.05; done")}}
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        await Eventually.WaitAsync(() => _agent.ServerAlloc(alloc.ID)?.TaskStates is { } s && s.Values.All(t => t.State == TaskStateName.Running),
            TimeSpan.FromSeconds(60), "all three tasks to run\n" + _agent.Log);
        await File.WriteAllTextAsync(Data(alloc.ID, "go"), "");
        var done = await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Complete);
        Assert.That(done.TaskStates!.Values.All(s => s.State == TaskStateName.Dead && !s.Failed), Is.True);

        var events = await EventsAsync(_agent, alloc.ID);
        var why = Describe(events);
        foreach (var task in new[] { "worker", "proxy" })
        {
            Assert.That(events[task].Select(e => e.Type).TakeLast(4), Is.EqualTo(new[] { "Leader Task Dead", "Killing", "Terminated", "Killed" }), $"{task}\n{why}");
            Assert.That(events[task].Single(e => e.Type == "Leader Task Dead").Display, Is.EqualTo("Leader Task in Group dead"));
        }
        Assert.That(events["boss"].Select(e => e.Type), Is.EqualTo(new[] { "Received", "Task Setup", "Started", "Terminated" }), why);
        Assert.That(Time(events["worker"], "Killed"), Is.LessThanOrEqualTo(Time(events["proxy"], "Killing")), "the sidecar is killed after the main tasks\n" + why);
    }

    [Test]
    public async Task Stopping_waits_out_shutdown_delays_kills_the_sidecar_after_the_main_task_then_runs_poststop()
    {
        var job = ClientAgent.Job($$"""
            job "stopper" {
              datacenters = ["dc1"]
              group "g" {
                shutdown_delay = "1s"
                task "init" {
                  lifecycle {
                    hook = "prestart"
                  }
                  {{Shell("echo run >> $NOMAD_ALLOC_DIR/data/init-runs")}}
                }
                task "proxy" {
                  lifecycle {
                    hook    = "prestart"
                    sidecar = true
                  }
                  {{Shell("exec sleep 600")}}
                }
                task "app" {
                  shutdown_delay = "1s"
                  {{Shell("exec sleep 600")}}
                }
                task "cleanup" {
                  lifecycle {
                    hook = "poststop"
                  }
                  {{Shell("touch $NOMAD_ALLOC_DIR/data/cleanup-ran")}}
                }
              }
            }
            """);
        var alloc = await _agent.PlaceAsync(job, "g");
        await Eventually.WaitAsync(() => _agent.ServerAlloc(alloc.ID)?.TaskStates is { } s && s["app"].State == TaskStateName.Running && s["proxy"].State == TaskStateName.Running,
            TimeSpan.FromSeconds(60), "the main task and the sidecar to run\n" + _agent.Log);
        var stoppedAt = UnixNanos.Now();
        await _agent.StopAsync(alloc.ID);
        await _agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Complete);
        await WaitAllDeadAsync(alloc.ID);

        var events = await EventsAsync(_agent, alloc.ID);
        var why = Describe(events);
        const long second = 1_000_000_000;
        Assert.That(File.ReadAllLines(Data(alloc.ID, "init-runs")), Has.Length.EqualTo(1), "a prestart task that succeeded is not restarted in a service job");
        Assert.That(events["init"].Select(e => e.Type), Is.EqualTo(new[] { "Received", "Task Setup", "Started", "Terminated" }), why);
        Assert.That(events["app"].Select(e => e.Type).TakeLast(4), Is.EqualTo(new[] { "Killing", "Waiting for shutdown delay", "Terminated", "Killed" }), why);
        Assert.That(events["app"].Single(e => e.Type == "Waiting for shutdown delay").Display, Is.EqualTo("Waiting for shutdown_delay of 1s before killing the task."));
        Assert.Multiple(() =>
        {
            Assert.That(Time(events["app"], "Killing") - stoppedAt, Is.GreaterThanOrEqualTo(second), "the group's shutdown_delay comes first\n" + why);
            Assert.That(Time(events["app"], "Terminated") - Time(events["app"], "Killing"), Is.GreaterThanOrEqualTo(second), "then the task's own\n" + why);
            Assert.That(Time(events["app"], "Killed"), Is.LessThanOrEqualTo(Time(events["proxy"], "Killing")), "the sidecar is killed after the main task\n" + why);
            Assert.That(Time(events["proxy"], "Killed"), Is.LessThanOrEqualTo(Time(events["cleanup"], "Task Setup")), "poststop runs once the others are dead\n" + why);
        });
        Assert.That(File.Exists(Data(alloc.ID, "cleanup-ran")), Is.True);
    }

    [Test]
    public async Task A_restarted_agent_does_not_run_a_completed_prestart_task_again()
    {
        var job = ClientAgent.Job($$"""
            job "recover" {
              datacenters = ["dc1"]
              group "g" {
                task "init" {
                  lifecycle {
                    hook = "prestart"
                  }
                  {{Shell("echo run >> $NOMAD_ALLOC_DIR/data/init-runs")}}
                }
                task "app" {
                  {{Shell("exec sleep 600")}}
                }
              }
            }
            """);
        // Two agents of its own, one after the other on one data dir.
        var dataDir = Path.Combine(_dir, "restarted");
        var ports = FreePorts.Take(3);
        string allocId;
        await using (var first = await StartAsync(dataDir, ports))
        {
            first.KeepTasksOnDispose = true;
            allocId = (await first.PlaceAsync(job, "g")).ID;
            await Eventually.WaitAsync(() => first.ServerAlloc(allocId)?.TaskStates is { } s && s["app"].State == TaskStateName.Running,
                TimeSpan.FromSeconds(60), "the main task to run\n" + first.Log);
        }

        await using var second = await StartAsync(dataDir, ports);
        await Eventually.WaitAsync(() => second.Log.Contains($"task recovered: task_id={allocId}/app/"), TimeSpan.FromSeconds(60), "the main task to be re-attached\n" + second.Log);
        var runner = second.Agent.Allocs!.Manager.Get(allocId)!;
        Assert.That(runner.TaskStates()["init"].State, Is.EqualTo(TaskStateName.Dead));
        Assert.That(runner.TaskStates()["app"].State, Is.EqualTo(TaskStateName.Running));
        Assert.That(second.Log, Does.Not.Contain("task started:"), "nothing was started again");
        Assert.That(File.ReadAllLines(Path.Combine(second.AllocDir(allocId), "alloc", "data", "init-runs")), Has.Length.EqualTo(1));
    }
}
