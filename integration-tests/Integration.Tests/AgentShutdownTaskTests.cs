using System.Diagnostics;
using System.Text;
using System.Text.Json.Nodes;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// What happens to running tasks when an agent stops on SIGINT: a dev agent kills them and removes its temporary
/// directories (nothing would ever re-attach them, as Nomad's dev-mode client); a server+client agent with a data
/// dir exits promptly and leaves them running for its next start.
/// </summary>
[TestFixture]
[Parallelizable(ParallelScope.None)]
public sealed class AgentShutdownTaskTests
{
    private readonly List<int> _leftovers = new();
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nomad-it-shutdown-").FullName;

    [TearDown]
    public void TearDown()
    {
        HostProcesses.Kill(_leftovers);
        _leftovers.Clear();
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    /// <summary>
    /// A service job of one raw_exec task that prints "started" and becomes `/bin/sleep 3600 MARKER` (the marker, a
    /// tiny extra duration, finds the process).
    /// </summary>
    /// <param name="ignoresStop">the task ignores SIGINT and SIGTERM, so only its kill_timeout's SIGKILL ends it</param>
    private static string SleepJob(string id, string marker, bool ignoresStop = false) => new JsonObject
    {
        ["Job"] = new JsonObject
        {
            ["ID"] = id, ["Name"] = id, ["Type"] = "service", ["Datacenters"] = new JsonArray("dc1"),
            ["TaskGroups"] = new JsonArray(new JsonObject
            {
                ["Name"] = "g", ["Count"] = 1,
                ["Tasks"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "t", ["Driver"] = "raw_exec",
                    ["KillTimeout"] = ignoresStop ? 30_000_000_000L : 5_000_000_000L,
                    ["Config"] = new JsonObject { ["command"] = "/bin/sh", ["args"] = new JsonArray("-c", $"{(ignoresStop ? "trap '' INT TERM; " : "")}echo started; exec /bin/sleep 3600 {marker}") },
                    ["Resources"] = new JsonObject { ["CPU"] = 20, ["MemoryMB"] = 16 },
                }),
            }),
        },
    }.ToJsonString();

    private static string NewMarker() => $"0.{Random.Shared.NextInt64(100_000_000, 999_999_999)}";

    /// <summary>Registers the job and waits until its task's process runs; returns its PID.</summary>
    private static async Task<int> RunSleepJobAsync(AgentProcess agent, string marker, bool ignoresStop = false)
    {
        var put = await agent.Http.PutAsync("/v1/jobs", new StringContent(SleepJob("sleeper", marker, ignoresStop), Encoding.UTF8, "application/json"));
        Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
        var pid = 0;
        await Eventually.WaitAsync(() => HostProcesses.WithArgument(marker) is [var found] && (pid = found) > 0,
            TimeSpan.FromSeconds(60), $"the task's process (sleep 3600 {marker})\n{agent.Output}");
        return pid;
    }

    [Test]
    public async Task A_dev_agent_stopped_by_sigint_kills_its_tasks_and_removes_its_temp_dirs()
    {
        await using var agent = AgentProcess.Start(["-dev"], dir: _dir);
        await agent.WaitForReadyNodeAsync();
        var marker = NewMarker();
        var pid = await RunSleepJobAsync(agent, marker);
        _leftovers.Add(pid);
        var allocDir = DirFromLog(agent, "using alloc directory: alloc_dir=");
        var stateDir = DirFromLog(agent, "using state directory: state_dir=");

        agent.Signal("INT");
        Assert.That(await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(1), agent.Output);

        await Eventually.WaitAsync(() => !HostProcesses.Alive(pid), TimeSpan.FromSeconds(10), $"the task (pid {pid}) to be gone\n{agent.Output}");
        Assert.That(agent.Output, Does.Contain("client: dev mode: destroying allocations: count=1"));
        Assert.That(Directory.Exists(allocDir), Is.False, $"alloc dir {allocDir} removed");
        Assert.That(Directory.Exists(stateDir), Is.False, $"state dir {stateDir} removed");
    }

    [Test]
    public async Task A_second_sigint_while_a_dev_agent_waits_on_a_stubborn_task_exits_at_once()
    {
        await using var agent = AgentProcess.Start(["-dev"], dir: _dir);
        await agent.WaitForReadyNodeAsync();
        var marker = NewMarker();
        var pid = await RunSleepJobAsync(agent, marker, ignoresStop: true);
        _leftovers.Add(pid);

        agent.Signal("INT");
        await Eventually.WaitAsync(() => agent.Output.Contains("client: dev mode: destroying allocations"), TimeSpan.FromSeconds(30), $"the dev agent to start destroying\n{agent.Output}");
        agent.Signal("INT");

        // The task ignores SIGINT and has a 30 s kill_timeout: without heeding the second signal the agent would wait it out.
        Assert.That(await agent.WaitForExitAsync(TimeSpan.FromSeconds(20)), Is.EqualTo(1), agent.Output);
        Assert.That(agent.Lines.Count(l => l.Contains("==> Caught signal: interrupt")), Is.EqualTo(2), agent.Output);
    }

    [Test]
    public async Task A_blocking_query_open_when_the_agent_stops_is_cut_off_not_answered_empty()
    {
        await using var agent = AgentProcess.Start(["-dev"], dir: _dir);
        await agent.WaitForReadyNodeAsync();
        var nodes = await agent.Http.GetAsync("/v1/nodes");
        var index = nodes.Headers.GetValues("X-Nomad-Index").Single();
        var query = agent.Http.GetAsync($"/v1/nodes?index={index}&wait=120s");
        // Nothing shows that the query is parked; the idle agent reads it long before the kill(1) below has even
        // started. Were the signal to win, the test could only pass without proving anything, never fail wrongly.

        agent.Signal("TERM");
        Assert.That(await agent.WaitForExitAsync(TimeSpan.FromSeconds(60)), Is.EqualTo(1), agent.Output);
        HttpResponseMessage? answered = null;
        try { answered = await query.WaitAsync(TimeSpan.FromSeconds(30)); }
        catch (HttpRequestException) { }
        Assert.That(answered, Is.Null, $"a blocking query the stop cut short reads as a dropped connection, not HTTP {(int?)answered?.StatusCode} with an empty body");
    }

    /// <summary>
    /// Started as a script starts it (in the background, SIGINT inherited ignored), with a running task and a log
    /// follow open on its HTTP API (a request that ends only on its own).
    /// </summary>
    [Test]
    public async Task A_server_and_client_agent_exits_promptly_on_sigint_and_its_task_keeps_running()
    {
        const string rawExec = "plugin \"raw_exec\" {\n  config {\n    enabled = true\n  }\n}\n";
        await using var agent = AgentProcess.StartInBackground(["-server", "-client", "-bootstrap-expect=1", $"-data-dir={Path.Combine(_dir, "data")}"], rawExec, _dir);
        await agent.WaitForReadyNodeAsync();
        var marker = NewMarker();
        var pid = await RunSleepJobAsync(agent, marker);
        _leftovers.Add(pid);
        var allocId = JsonNode.Parse(await agent.Http.GetStringAsync("/v1/job/sleeper/allocations"))!.AsArray().Single()!["ID"]!.GetValue<string>();
        using var follow = await agent.Http.GetAsync($"/v1/client/fs/logs/{allocId}?task=t&type=stdout&follow=true&plain=true", HttpCompletionOption.ResponseHeadersRead);
        Assert.That(follow.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK));
        var body = new StreamReader(await follow.Content.ReadAsStreamAsync());
        Assert.That(await body.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(30)), Is.EqualTo("started"), "the follow is under way");
        var followed = body.ReadToEndAsync();

        var clock = Stopwatch.StartNew();
        agent.Signal("INT");
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        var took = clock.Elapsed;
        TestContext.Out.WriteLine($"server+client agent exited {took.TotalMilliseconds:0} ms after SIGINT");

        Assert.That(exit, Is.EqualTo(1), agent.Output);
        Assert.That(took, Is.LessThan(TimeSpan.FromSeconds(10)), $"exit within 5 s of SIGINT, as a dev agent (ceiling 10 s on a loaded machine)\n{agent.Output}");
        Assert.DoesNotThrowAsync(() => followed, "the log follow was ended by the shutdown, not reset when a stop timeout ran out");
        Assert.That(HostProcesses.Alive(pid), Is.True, "a non-dev agent leaves its tasks running for its next start");
    }

    private static string DirFromLog(AgentProcess agent, string prefix)
    {
        var line = agent.Lines.First(l => l.Contains(prefix));
        return line[(line.IndexOf(prefix, StringComparison.Ordinal) + prefix.Length)..].Trim();
    }
}
