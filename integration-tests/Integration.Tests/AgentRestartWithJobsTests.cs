using System.Text;
using System.Text.Json.Nodes;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// A real agent (server and client, state on disk) running a job of 20 tasks is killed with SIGKILL and started
/// again: no task is restarted, all are still reported running, and their later exits are recorded.
/// </summary>
[TestFixture]
public sealed class AgentRestartWithJobsTests
{
    private const int Count = 20;
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(90);
    private const string Config = "server {\n  enabled = true\n  bootstrap_expect = 1\n}\nclient {\n  enabled = true\n}\nplugin \"raw_exec\" {\n  config {\n    enabled = true\n  }\n}\n";

    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("nomad-it-restart20-").FullName;

    [TearDown]
    public void TearDown()
    {
        File.WriteAllText(GoFile, "");   // lets any task still waiting finish
        try { Directory.Delete(_dir, recursive: true); } catch (IOException) { }
    }

    private string GoFile => Path.Combine(_dir, "go");

    [Test]
    public async Task Twenty_running_tasks_survive_an_agent_kill_and_restart_and_their_exits_are_recorded()
    {
        var dataDir = Path.Combine(_dir, "data");
        var ports = FreePorts.Take(3);
        await using (var first = AgentProcess.Start([$"-data-dir={dataDir}"], Config, ports: ports))
        {
            await first.WaitForReadyNodeAsync();
            var put = await first.Http.PutAsync("/v1/jobs", new StringContent(JobJson(), Encoding.UTF8, "application/json"));
            Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
            await Eventually.WaitAsync(async () => (await Summary(first))["Running"]!.GetValue<int>() == Count, Deadline, "20 running allocations\n" + first.Output);
            Assert.That(first.Lines.Count(l => l.Contains("task started:")), Is.EqualTo(Count));
            first.Signal("KILL");
            await first.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        await using var second = AgentProcess.Start([$"-data-dir={dataDir}"], Config, ports: ports);
        await Eventually.WaitAsync(() => second.Lines.Count(l => l.Contains("task recovered:")) == Count, Deadline, "20 tasks re-attached\n" + second.Output);
        await second.WaitForReadyNodeAsync();
        Assert.That(second.Lines.Where(l => l.Contains("task started:")), Is.Empty, "no task was started again");
        var summary = await Summary(second);
        Assert.That((summary["Running"]!.GetValue<int>(), summary["Failed"]!.GetValue<int>(), summary["Lost"]!.GetValue<int>()), Is.EqualTo((Count, 0, 0)));

        File.WriteAllText(GoFile, "");
        await Eventually.WaitAsync(async () => (await Summary(second))["Complete"]!.GetValue<int>() == Count, Deadline, "20 complete allocations\n" + second.Output);
        var allocs = JsonNode.Parse(await second.Http.GetStringAsync("/v1/job/restart20/allocations"))!.AsArray();
        Assert.That(allocs, Has.Count.EqualTo(Count), "no allocation was replaced");
        foreach (var stub in allocs)
        {
            var state = stub!["TaskStates"]!["t"]!;
            var events = state["Events"]!.AsArray().Select(e => e!["Type"]!.GetValue<string>()).ToList();
            Assert.That(events.Count(t => t == "Started"), Is.EqualTo(1), string.Join(", ", events));
            Assert.That(state["Restarts"]!.GetValue<int>(), Is.Zero);
            var terminated = state["Events"]!.AsArray().Single(e => e!["Type"]!.GetValue<string>() == "Terminated")!;
            Assert.That(terminated["ExitCode"]!.GetValue<int>(), Is.Zero);
        }
    }

    private static async Task<JsonNode> Summary(AgentProcess agent) =>
        JsonNode.Parse(await agent.Http.GetStringAsync("/v1/job/restart20/summary"))!["Summary"]!["g"]!;

    private string JobJson() => new JsonObject
    {
        ["Job"] = new JsonObject
        {
            ["ID"] = "restart20", ["Name"] = "restart20", ["Type"] = "batch", ["Datacenters"] = new JsonArray("dc1"),
            ["TaskGroups"] = new JsonArray(new JsonObject
            {
                ["Name"] = "g", ["Count"] = Count,
                ["EphemeralDisk"] = new JsonObject { ["SizeMB"] = 10 },
                ["Tasks"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "t", ["Driver"] = "raw_exec",
                    ["Config"] = new JsonObject
                    {
                        ["command"] = "/bin/sh",
                        ["args"] = new JsonArray("-c", $"while [ ! -e {GoFile} ]; do sleep 0.1; done"),
                    },
                    ["Resources"] = new JsonObject { ["CPU"] = 20, ["MemoryMB"] = 16 },
                    ["LogConfig"] = new JsonObject { ["MaxFiles"] = 1, ["MaxFileSizeMB"] = 1 },
                }),
            }),
        },
    }.ToJsonString();
}
