using System.Text;
using System.Text.Json.Nodes;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// A real agent running docker tasks is killed with SIGKILL and started again: the containers are re-attached by ID,
/// none is restarted or replaced, their later exit codes are recorded, and no container of the job is left behind.
/// Ignored without a Docker daemon or the local test image.
/// </summary>
[TestFixture]
public sealed class DockerAgentRestartTests
{
    private const int Count = 2;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private const string Config = "server {\n  enabled = true\n  bootstrap_expect = 1\n}\nclient {\n  enabled = true\n}\n";

    private string _dir = "";
    private readonly string _job = $"dockrestart{Guid.NewGuid():N}"[..20];

    [SetUp]
    public async Task SetUp()
    {
        await DockerCli.IgnoreUnlessAvailableAsync();
        _dir = Directory.CreateTempSubdirectory("nomad-it-dockrestart-").FullName;
    }

    [TearDown]
    public async Task TearDown()
    {
        if (_dir.Length == 0) return;
        var left = (await DockerCli.RunAsync("ps", "-a", "-q", "--filter", $"label=com.hashicorp.nomad.job_name={_job}")).Out.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        if (left.Length > 0) await DockerCli.RunAsync(["rm", "-f", .. left]);
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }


    /// <summary>Container ID → start time, for the job's containers.</summary>
    private async Task<Dictionary<string, string>> Containers()
    {
        var ids = (await DockerCli.RunAsync("ps", "-a", "-q", "--no-trunc", "--filter", $"label=com.hashicorp.nomad.job_name={_job}")).Out
            .Split('\n', StringSplitOptions.RemoveEmptyEntries);
        var result = new Dictionary<string, string>();
        foreach (var id in ids) result[id] = (await DockerCli.RunAsync("inspect", "-f", "{{.State.StartedAt}} {{.RestartCount}}", id)).Out.Trim();
        return result;
    }

    [Test]
    public async Task Running_containers_survive_an_agent_kill_and_restart_and_their_exits_are_recorded()
    {
        var dataDir = Path.Combine(_dir, "data");
        var ports = FreePorts.Take(3);
        Dictionary<string, string> before;
        await using (var first = AgentProcess.Start([$"-data-dir={dataDir}"], Config, ports: ports))
        {
            await first.WaitForReadyNodeAsync();
            var put = await first.Http.PutAsync("/v1/jobs", new StringContent(JobJson(), Encoding.UTF8, "application/json"));
            Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
            await Eventually.WaitAsync(async () => (await Summary(first))["Running"]!.GetValue<int>() == Count, Deadline, $"{Count} running allocations\n" + first.Output);
            before = await Containers();
            Assert.That(before, Has.Count.EqualTo(Count), "one container per task");
            first.Signal("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        await using var second = AgentProcess.Start([$"-data-dir={dataDir}"], Config, ports: ports);
        await Eventually.WaitAsync(() => second.Lines.Count(l => l.Contains("task recovered:")) == Count, Deadline, "tasks re-attached\n" + second.Output);
        await second.WaitForReadyNodeAsync();
        Assert.That(second.Lines.Where(l => l.Contains("task started:")), Is.Empty, "no task was started again");
        var summary = await Summary(second);
        Assert.That((summary["Running"]!.GetValue<int>(), summary["Failed"]!.GetValue<int>(), summary["Lost"]!.GetValue<int>()), Is.EqualTo((Count, 0, 0)));
        Assert.That(await Containers(), Is.EquivalentTo(before), "the same containers, not restarted (same start time, restart count)");

        // Let each task finish: it waits for a file in its allocation's shared alloc/ dir.
        var allocs = JsonNode.Parse(await second.Http.GetStringAsync($"/v1/job/{_job}/allocations"))!.AsArray();
        foreach (var stub in allocs) File.WriteAllText(Path.Combine(dataDir, "alloc", stub!["ID"]!.GetValue<string>(), "alloc", "go"), "");
        // Exit 3 with no restarts and no reschedules: each allocation fails, in place.
        await Eventually.WaitAsync(async () => (await Summary(second))["Failed"]!.GetValue<int>() == Count, Deadline, "failed allocations\n" + second.Output);
        allocs = JsonNode.Parse(await second.Http.GetStringAsync($"/v1/job/{_job}/allocations"))!.AsArray();
        Assert.That(allocs, Has.Count.EqualTo(Count), "no allocation was replaced");
        foreach (var stub in allocs)
        {
            var state = stub!["TaskStates"]!["t"]!;
            var events = state["Events"]!.AsArray().Select(e => e!["Type"]!.GetValue<string>()).ToList();
            Assert.That(events.Count(t => t == "Started"), Is.EqualTo(1), string.Join(", ", events));
            var terminated = state["Events"]!.AsArray().Single(e => e!["Type"]!.GetValue<string>() == "Terminated")!;
            Assert.That(terminated["ExitCode"]!.GetValue<int>(), Is.EqualTo(3), "the container's own exit code");
        }

        // Once the servers collect the dead job, the client destroys its allocations and their containers go.
        var gc = await second.Http.PutAsync("/v1/system/gc", null);
        Assert.That(gc.IsSuccessStatusCode, Is.True, await gc.Content.ReadAsStringAsync());
        await Eventually.WaitAsync(async () => (await Containers()).Count == 0, Deadline, "no container of the collected job left\n" + second.Output);
    }

    private async Task<JsonNode> Summary(AgentProcess agent) =>
        JsonNode.Parse(await agent.Http.GetStringAsync($"/v1/job/{_job}/summary"))!["Summary"]!["g"]!;

    private string JobJson() => new JsonObject
    {
        ["Job"] = new JsonObject
        {
            ["ID"] = _job, ["Name"] = _job, ["Type"] = "batch", ["Datacenters"] = new JsonArray("dc1"),
            ["TaskGroups"] = new JsonArray(new JsonObject
            {
                ["Name"] = "g", ["Count"] = Count,
                ["RestartPolicy"] = new JsonObject { ["Attempts"] = 0, ["Mode"] = "fail" },
                ["ReschedulePolicy"] = new JsonObject { ["Attempts"] = 0, ["Unlimited"] = false },
                ["EphemeralDisk"] = new JsonObject { ["SizeMB"] = 10 },
                ["Tasks"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "t", ["Driver"] = "docker",
                    ["Config"] = new JsonObject
                    {
                        ["image"] = "local/busybox:1",
                        ["command"] = "/bin/sh",
                        ["args"] = new JsonArray("-c", "while [ ! -e /alloc/go ]; do sleep 0.1; done; exit 3"),
                        ["network_mode"] = "none",
                    },
                    ["Resources"] = new JsonObject { ["CPU"] = 20, ["MemoryMB"] = 32 },
                    ["LogConfig"] = new JsonObject { ["MaxFiles"] = 1, ["MaxFileSizeMB"] = 1 },
                }),
            }),
        },
    }.ToJsonString();
}
