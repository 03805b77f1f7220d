using System.Net;
using System.Text.Json.Nodes;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Http;

/// <summary>PUT /v1/node/:id/{drain,eligibility,evaluate} against a real dev server over HTTP.</summary>
public sealed class NodeApiTests
{
    private ApiServer _api = null!;
    private string _nodeId = "";

    [SetUp]
    public async Task Start()
    {
        _api = await ApiServer.StartAsync();
        _nodeId = Guid.NewGuid().ToString();
        await _api.ApplyAsync(new NodeRegisterCommand(new Node { ID = _nodeId, Name = "n1", SecretID = "s", Status = NodeStatus.Ready }, null));
        // A system job, so every node change calls for an evaluation.
        await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = JobApiTests.JobJson("sys", type: "system") }.ToJsonString());
    }

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private Node Node => _api.State.NodeById(_nodeId)!;

    [Test]
    public async Task Eligibility_round_trip_with_Nomads_errors()
    {
        var reply = (await _api.PutAsync($"/v1/node/{_nodeId}/eligibility", new { Eligibility = "ineligible" }))!;
        Assert.That(Node.SchedulingEligibility, Is.EqualTo("ineligible"));
        Assert.That(reply["NodeModifyIndex"]!.GetValue<ulong>(), Is.EqualTo(Node.ModifyIndex));
        Assert.That(Node.Events.Last().Message, Is.EqualTo("Node marked as ineligible for scheduling"));

        var evalsBefore = _api.State.Evals.Count;
        reply = (await _api.PutAsync($"/v1/node/{_nodeId}/eligibility", new { Eligibility = "eligible" }))!;
        Assert.That(Node.SchedulingEligibility, Is.EqualTo("eligible"));
        var evalIds = reply["EvalIDs"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.That(evalIds, Has.Count.EqualTo(1), "becoming eligible evaluates the system job");
        Assert.That(_api.State.Evals.Count, Is.EqualTo(evalsBefore + 1));
        var eval = _api.State.EvalById(evalIds[0])!;
        Assert.That((eval.JobID, eval.TriggeredBy, eval.NodeID, eval.Status), Is.EqualTo(("sys", "node-update", _nodeId, "pending")));
        Assert.That(reply["EvalCreateIndex"]!.GetValue<ulong>(), Is.EqualTo(eval.CreateIndex));

        Assert.That(await _api.SendAsync(HttpMethod.Put, $"/v1/node/{_nodeId}/eligibility", new { Eligibility = "maybe" }),
            Is.EqualTo((HttpStatusCode.BadRequest, "invalid scheduling eligibility \"maybe\"")));
        Assert.That(await _api.SendAsync(HttpMethod.Put, "/v1/node/nope/eligibility", new { Eligibility = "eligible" }),
            Is.EqualTo((HttpStatusCode.NotFound, "node not found")));
    }

    [Test]
    public async Task Drain_round_trip()
    {
        // An allocation that the drain must move, so the drainer does not complete the drain at once.
        var sys = _api.State.JobById("sys")!;
        var alloc = new Allocation { ID = Guid.NewGuid().ToString(), JobID = "sys", NodeID = _nodeId, TaskGroup = sys.TaskGroups[0].Name, Name = "sys.g[0]", EvalID = "e" };
        await _api.ApplyAsync(new PlanApplyCommand("e", sys, [alloc], [], UnixNanos.Now()));
        var reply = (await _api.PutAsync($"/v1/node/{_nodeId}/drain",
            new { DrainSpec = new { Deadline = 3_600_000_000_000L, IgnoreSystemJobs = false }, MarkEligible = false }))!;
        var node = Node;
        Assert.That(node.Drain, Is.True);
        Assert.That(node.SchedulingEligibility, Is.EqualTo("ineligible"));
        Assert.That(node.DrainStrategy!.Deadline, Is.EqualTo(3_600_000_000_000L));
        Assert.That(node.DrainStrategy.ForceDeadline, Is.GreaterThan(node.DrainStrategy.StartedAt));
        Assert.That(node.Events.Last().Message, Is.EqualTo("Node drain strategy set"));
        Assert.That(reply["NodeModifyIndex"]!.GetValue<ulong>(), Is.EqualTo(node.ModifyIndex));
        Assert.That(reply["EvalIDs"]!.AsArray(), Has.Count.EqualTo(1));
        Assert.That((await _api.GetAsync($"/v1/node/{_nodeId}"))!["DrainStrategy"]!["Deadline"]!.GetValue<long>(), Is.EqualTo(3_600_000_000_000L));

        Assert.That(await _api.SendAsync(HttpMethod.Put, $"/v1/node/{_nodeId}/eligibility", new { Eligibility = "eligible" }),
            Is.EqualTo((HttpStatusCode.BadRequest, "can not set node's scheduling eligibility to eligible while it is draining")));

        reply = (await _api.PutAsync($"/v1/node/{_nodeId}/drain", new { DrainSpec = (object?)null, MarkEligible = true }))!;
        node = Node;
        Assert.That((node.Drain, node.DrainStrategy, node.SchedulingEligibility), Is.EqualTo((false, (DrainStrategy?)null, "eligible")));
        Assert.That(node.Events.Last().Message, Is.EqualTo("Node drain disabled"));
        Assert.That(reply["EvalIDs"]!.AsArray(), Has.Count.EqualTo(1), "a node eligible again evaluates the system job");

        Assert.That(await _api.SendAsync(HttpMethod.Put, "/v1/node/nope/drain", new { DrainSpec = (object?)null }),
            Is.EqualTo((HttpStatusCode.NotFound, "node not found")));
        var (status, text) = await _api.SendAsync(HttpMethod.Put, $"/v1/node/{_nodeId}/drain", new { DrainSpec = new { Deadline = "soon" } });
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "Deadline: must be an integer")));
    }

    [Test]
    public async Task Evaluate_creates_evaluations_for_the_node()
    {
        var reply = (await _api.PutAsync($"/v1/node/{_nodeId}/evaluate", null))!;
        var ids = reply["EvalIDs"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.That(ids.Select(id => _api.State.EvalById(id)!.JobID), Is.EqualTo(new[] { "sys" }));
        Assert.That(reply["EvalCreateIndex"]!.GetValue<ulong>(), Is.EqualTo(_api.State.TableIndex(Tables.Evals)));
    }
}
