using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Preemption on a real dev agent: a low-priority batch job takes nearly all of the node's memory, a high-priority system
/// job then preempts it; and `nomad operator scheduler get-config|set-config` read and change the setting.
/// </summary>
[TestFixture]
public sealed class PreemptionTests
{
    private static readonly TimeSpan Deadline = TimeSpan.FromSeconds(60);

    [Test]
    public async Task A_high_priority_system_job_on_a_full_node_preempts_a_low_priority_batch_allocation()
    {
        await using var agent = AgentProcess.Start(["-dev"]);
        var nodeId = await agent.WaitForReadyNodeAsync();
        Task<CliResult> Nomad(params string[] args) => CliRun.RunAsync(agent.Address, args);

        var get = await Nomad("operator", "scheduler", "get-config");
        Assert.That(get.ExitCode, Is.Zero, get.Stderr);
        Assert.That(get.Stdout, Does.Match(@"Scheduler Algorithm\s+= binpack").And.Match(@"Preemption System Scheduler\s+= true")
            .And.Match(@"Preemption Batch Scheduler\s+= false").And.Match(@"Modify Index\s+= \d+"));
        var set = await Nomad("operator", "scheduler", "set-config", "-preempt-system-scheduler=true", "-memory-oversubscription=false");
        Assert.That((set.ExitCode, set.Stdout.Trim()), Is.EqualTo((0, "Scheduler configuration updated!")), set.Stderr);
        var json = await Nomad("operator", "scheduler", "get-config", "-json");
        using (var doc = JsonDocument.Parse(json.Stdout))
            Assert.That(doc.RootElement.GetProperty("SchedulerConfig").GetProperty("PreemptionConfig").GetProperty("SystemSchedulerEnabled").GetBoolean(), Is.True);

        // The batch task asks for all but 200 MB of what the node offers; the system task for 300 MB.
        var node = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/node/{nodeId}");
        var memory = node.GetProperty("NodeResources").GetProperty("Memory").GetProperty("MemoryMB").GetInt64()
            - node.GetProperty("ReservedResources").GetProperty("Memory").GetProperty("MemoryMB").GetInt64();
        await RegisterAsync(agent, Job("work", "batch", 20, memory - 200));
        try
        {
            var victim = await Eventually.WaitAsync(async () => (await AllocsAsync(agent, "work")).SingleOrDefault(a => Str(a, "ClientStatus") == "running") is { ValueKind: JsonValueKind.Object } a ? Str(a, "ID") : null,
                Deadline, "the batch allocation to run");

            await RegisterAsync(agent, Job("agent", "system", 90, 300));
            var placed = await Eventually.WaitAsync(async () => (await AllocsAsync(agent, "agent")).SingleOrDefault(a => Str(a, "ClientStatus") == "running") is { ValueKind: JsonValueKind.Object } a ? Str(a, "ID") : null,
                Deadline, "the system allocation to run");

            var evicted = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/allocation/{victim}");
            Assert.That((Str(evicted, "DesiredStatus"), Str(evicted, "PreemptedByAllocation"), Str(evicted, "DesiredDescription")),
                Is.EqualTo(("evict", placed, $"Preempted by alloc ID {placed}")));
            var preempting = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/allocation/{placed}");
            Assert.That(preempting.GetProperty("PreemptedAllocations").EnumerateArray().Select(e => e.GetString()), Is.EqualTo(new[] { victim }));
            await Eventually.WaitAsync(async () => Str(await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/allocation/{victim}"), "ClientStatus") is "complete" or "failed",
                Deadline, "the evicted task to be stopped by its client");
            var evals = await agent.Http.GetFromJsonAsync<JsonElement[]>("/v1/job/work/evaluations");
            Assert.That(evals!.Select(e => Str(e, "TriggeredBy")), Does.Contain("preemption"), "the preempted job is evaluated to be placed again");
        }
        finally
        {
            await agent.Http.DeleteAsync("/v1/job/agent");
            await agent.Http.DeleteAsync("/v1/job/work");
            await Eventually.WaitAsync(async () => (await AllocsAsync(agent, "agent")).Concat(await AllocsAsync(agent, "work")).All(a => Str(a, "ClientStatus") is "complete" or "failed" or "lost"),
                Deadline, "the tasks to stop");
        }
    }

    private static string Job(string id, string type, int priority, long memory) =>
        $$$"""{"Job":{"ID":"{{{id}}}","Name":"{{{id}}}","Type":"{{{type}}}","Priority":{{{priority}}},"Datacenters":["dc1"],"TaskGroups":[{"Name":"g","Count":1,"Tasks":[{"Name":"t","Driver":"raw_exec","Config":{"command":"/bin/sleep","args":["300"]},"Resources":{"CPU":50,"MemoryMB":{{{memory}}}}}]}]}}""";

    private static async Task RegisterAsync(AgentProcess agent, string body)
    {
        using var put = await agent.Http.PutAsync("/v1/jobs", new StringContent(body, Encoding.UTF8, "application/json"));
        Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
    }

    private static async Task<JsonElement[]> AllocsAsync(AgentProcess agent, string job) =>
        (await agent.Http.GetFromJsonAsync<JsonElement[]>($"/v1/job/{job}/allocations"))!;

    private static string Str(JsonElement e, string name) => e.GetProperty(name).ValueKind == JsonValueKind.String ? e.GetProperty(name).GetString()! : "";
}
