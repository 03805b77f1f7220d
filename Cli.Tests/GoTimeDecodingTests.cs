using System.Text.Json;
using Nomad.Agent.Http;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Tests;

/// <summary>
/// Our CLI's API client reads the time.Time fields as our agent now writes them (RFC 3339 strings, null when
/// unset) and as real Nomad 1.1.2 writes them, over a real socket.
/// </summary>
public class GoTimeDecodingTests
{
    [Test]
    public async Task Evaluation_written_by_our_agent_reads_back_with_its_WaitUntil()
    {
        using var api = new ScriptedApi();
        var held = new Evaluation { ID = "e1", JobID = "web", Status = EvalStatus.Pending, WaitUntil = 1796658400130868287, CreateTime = 1796658383637712433 };
        api.On("GET /v1/evaluation/e1", JsonSerializer.Serialize(held, ApiJson.Compact), index: 7);
        api.On("GET /v1/evaluation/e2", JsonSerializer.Serialize(held with { ID = "e2", WaitUntil = 0 }, ApiJson.Compact), index: 7);
        var client = new NomadApiClient(api.Address);

        var read = (await client.GetEvaluationAsync("e1")).Value;
        Assert.That((read.WaitUntil, read.CreateTime), Is.EqualTo((1796658400130868287L, 1796658383637712433L)));
        Assert.That((await client.GetEvaluationAsync("e2")).Value.WaitUntil, Is.EqualTo(0));
    }

    [Test]
    public async Task Task_state_times_as_Nomad_1_1_2_writes_them_read_back()
    {
        using var api = new ScriptedApi();
        // Trimmed from a real Nomad 1.1.2 /v1/allocation answer: a running task, never restarted.
        api.On("GET /v1/allocation/fe121305", """
            {"ID":"fe121305","Name":"web.web[2]","TaskGroup":"web","ClientStatus":"running",
             "TaskStates":{"server":{"State":"running","Failed":false,"Restarts":0,"LastRestart":null,
               "StartedAt":"2026-12-07T15:46:12.097281459Z","FinishedAt":null,"Events":[]}},
             "CreateTime":1796658366970997661}
            """);
        var client = new NomadApiClient(api.Address);

        var state = (await client.GetAllocationAsync("fe121305")).Value.TaskStates!["server"];
        Assert.That(state.StartedAt, Is.EqualTo(new DateTime(2026, 12, 7, 15, 46, 12, DateTimeKind.Utc).AddTicks(972814)));
        Assert.That((state.FinishedAt, state.LastRestart), Is.EqualTo(((DateTime?)null, (DateTime?)null)));
    }
}
