using System.Net;
using System.Text.Json.Nodes;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using static Nomad.Agent.Tests.Http.ShapeFixtures;

namespace Nomad.Agent.Tests.Http;

/// <summary>
/// Fields Nomad holds as Go time.Time are RFC 3339 strings (null when unset) in the API's JSON: Nomad 1.1.2's CLI
/// cannot decode a number into one (job status, job stop and every evaluation monitor failed on WaitUntil = 0).
/// Fields Nomad holds as int64 nanoseconds stay numbers.
/// </summary>
public sealed class GoTimeApiTests
{
    private ApiServer _api = null!;

    [SetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    [Test]
    public async Task Evaluation_WaitUntil_is_an_RFC3339_string_or_null()
    {
        const long waitUntil = 1796658400130868287; // 2026-12-07T15:46:40.130868287Z
        var now = UnixNanos.Now();
        Evaluation Eval(string id, long wait) => new()
        {
            ID = id, JobID = "example", Type = "service", Priority = 50, TriggeredBy = EvalTrigger.JobRegister,
            WaitUntil = wait, CreateTime = now, ModifyTime = now,
        };
        await _api.ApplyAsync(new EvalUpsertCommand([Eval("e0000000-0000-4000-8000-000000000001", waitUntil), Eval("e0000000-0000-4000-8000-000000000002", 0)]));

        var held = (await _api.GetAsync("/v1/evaluation/e0000000-0000-4000-8000-000000000001"))!;
        Assert.That(held["WaitUntil"]!.GetValue<string>(), Is.EqualTo("2026-12-07T15:46:40.130868287Z"));
        Assert.That(held["CreateTime"]!.GetValue<long>(), Is.EqualTo(now), "CreateTime stays Unix nanoseconds, as Nomad's int64");
        var atOnce = (await _api.GetAsync("/v1/evaluation/e0000000-0000-4000-8000-000000000002"))!.AsObject();
        Assert.That(atOnce.ContainsKey("WaitUntil") && atOnce["WaitUntil"] is null, "an unset time.Time is null, as Nomad writes it");

        var listed = (await _api.GetAsync("/v1/evaluations"))!.AsArray();
        Assert.That(listed.Select(e => e!["WaitUntil"]?.GetValue<string>()), Is.EquivalentTo(new[] { "2026-12-07T15:46:40.130868287Z", null }));
    }

    [Test]
    public async Task Task_state_drain_and_node_event_times_are_RFC3339_strings_or_null()
    {
        var alloc = await PlaceAllocAsync(_api);
        var started = new DateTime(2026, 12, 7, 15, 46, 12, DateTimeKind.Utc).AddTicks(972814);
        var state = new TaskState
        {
            State = TaskStateName.Running, StartedAt = started,
            Events = [new TaskEvent { Type = TaskEventType.Started, Time = 1796658372097276138 }],
        };
        await _api.ApplyAsync(new AllocClientUpdateCommand(
            [new AllocClientUpdate(alloc.ID, AllocClientStatus.Running, "", new() { ["server"] = state })], null, UnixNanos.Now()));

        foreach (var json in new[] { (await _api.GetAsync($"/v1/allocation/{alloc.ID}"))!, (await _api.GetAsync("/v1/allocations"))![0]! })
        {
            var server = json["TaskStates"]!["server"]!.AsObject();
            Assert.That(server["StartedAt"]!.GetValue<string>(), Is.EqualTo("2026-12-07T15:46:12.0972814Z"));
            Assert.That(server.ContainsKey("FinishedAt") && server["FinishedAt"] is null);
            Assert.That(server.ContainsKey("LastRestart") && server["LastRestart"] is null);
            Assert.That(server["Events"]![0]!["Time"]!.GetValue<long>(), Is.EqualTo(1796658372097276138), "a TaskEvent's Time is int64 in Nomad");
        }

        await _api.PutAsync($"/v1/node/{TestNode.ID}/drain", new { DrainSpec = new { Deadline = 3_600_000_000_000L, IgnoreSystemJobs = false } });
        var node = (await _api.GetAsync($"/v1/node/{TestNode.ID}"))!;
        var strategy = _api.State.NodeById(TestNode.ID)!.DrainStrategy!;
        Assert.That(node["DrainStrategy"]!["ForceDeadline"]!.GetValue<string>(), Is.EqualTo(GoTimeJson.Format(strategy.ForceDeadline)));
        Assert.That(node["DrainStrategy"]!["StartedAt"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"));
        Assert.That(node["Events"]!.AsArray().Last()!["Timestamp"]!.GetValue<string>(), Does.Match(@"^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?Z$"));
    }
}
