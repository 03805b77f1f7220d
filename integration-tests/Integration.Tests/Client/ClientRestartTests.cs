using Nomad.Agent.Structs;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests.Client;

/// <summary>The client's allocations across agent restarts, and its garbage collection of terminal ones.</summary>
[TestFixture]
public sealed class ClientRestartTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nomad-it-clientrestart-").FullName;

    [TearDown]
    public void TearDown()
    {
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private static readonly string SleeperJob = """
        job "sleeper" {
          datacenters = ["dc1"]
          group "g" {
            task "t" {
              driver = "raw_exec"
              config {
                command = "/bin/sleep"
                args    = ["600"]
              }
            }
          }
        }
        """;

    private static int Pid(ClientAgent agent, string allocId) =>
        agent.Agent.Allocs!.Manager.Get(allocId)!.Tasks.Single().Runner!.Handle!.DriverState.GetProperty("Pid").GetInt32();

    private static bool Alive(int pid) =>
        File.Exists($"/proc/{pid}/stat") && !File.ReadAllText($"/proc/{pid}/stat").Contains(") Z ");

    [Test]
    public async Task A_restarted_agent_reattaches_running_tasks_without_restarting_them()
    {
        var dataDir = Path.Combine(_dir, "data");
        var ports = FreePorts.Take(3);
        string allocId, firstLog, taskId;
        int pid;
        await using (var first = await ClientAgent.StartAsync(dataDir, ports: ports))
        {
            first.KeepTasksOnDispose = true;
            var alloc = await first.PlaceAsync(ClientAgent.Job(SleeperJob), "g");
            allocId = alloc.ID;
            await first.WaitForStatusAsync(allocId, AllocClientStatus.Running);
            await Eventually.WaitAsync(() => first.Agent.Allocs!.Manager.Get(allocId)!.Tasks.Single().Runner?.Handle is not null, TimeSpan.FromSeconds(30), "the task handle");
            pid = Pid(first, allocId);
            // Attempt 0 normally; a start that failed under load was retried by the restart policy.
            taskId = first.Agent.Allocs!.Manager.Get(allocId)!.Tasks.Single().TaskId;
            firstLog = first.Log;
        }
        Assert.That(Alive(pid), Is.True, "the task outlives its agent");

        await using var second = await ClientAgent.StartAsync(dataDir, ports: ports);
        await Eventually.WaitAsync(() => second.Log.Contains($"task recovered: task_id={taskId} "), TimeSpan.FromSeconds(60), "the task to be re-attached\n" + second.Log + "\n--- first agent ---\n" + firstLog);
        Assert.That(Pid(second, allocId), Is.EqualTo(pid), "the same process");
        Assert.That(second.Log, Does.Not.Contain("task started:"), "nothing was started again");
        var state = second.Agent.Allocs!.Manager.Get(allocId)!.TaskStates()["t"];
        Assert.That(state.State, Is.EqualTo("running"));
        Assert.That(state.Events.Count(e => e.Type == "Started"), Is.EqualTo(1));

        // Re-attached for real: stopping the allocation kills that very process.
        await second.StopAsync(allocId);
        var stopped = await second.WaitForStatusAsync(allocId, AllocClientStatus.Complete);
        Assert.That(Alive(pid), Is.False);
        Assert.That(stopped.TaskStates!["t"].Events[^1].Type, Is.EqualTo("Killed"));
    }

    [Test]
    public async Task Terminal_allocations_beyond_gc_max_allocs_are_collected_oldest_first()
    {
        await using var agent = await ClientAgent.StartAsync(Path.Combine(_dir, "data"), "gc_max_allocs = 2\n  gc_interval = \"1h\"");
        var job = ClientAgent.Job("""
            job "quick" {
              datacenters = ["dc1"]
              type        = "batch"
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/sh"
                    args    = ["-c", "echo done"]
                  }
                }
              }
            }
            """);
        var ids = new List<string>();
        for (var i = 0; i < 4; i++)
        {
            var alloc = await agent.PlaceAsync(job, "g", i);
            ids.Add(alloc.ID);
            await agent.WaitForStatusAsync(alloc.ID, AllocClientStatus.Complete);
        }
        await Eventually.WaitAsync(() => !Directory.Exists(agent.AllocDir(ids[0])) && !Directory.Exists(agent.AllocDir(ids[1])),
            TimeSpan.FromSeconds(30), "the two oldest allocation dirs to be collected\n" + agent.Log);
        Assert.That(Directory.Exists(agent.AllocDir(ids[2])), Is.True, "the third is within the limit");
        Assert.That(Directory.Exists(agent.AllocDir(ids[3])), Is.True, "the newest is kept");
        Assert.That(agent.Log, Does.Contain($"garbage collecting allocation: alloc_id={ids[0]}"));
        Assert.That(File.Exists(Path.Combine(agent.Agent.Config.Client.StateDir!, "allocs", ids[0] + ".json")), Is.False, "its state is gone too");
    }
}
