using System.Net;
using System.Text.Json.Nodes;
using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using Nomad.Agent.Tests.Server;

namespace Nomad.Agent.Tests.Http;

/// <summary>PUT /v1/job/:id/plan: the real scheduler's dry run against a real dev server, with nothing written.</summary>
public sealed class JobPlanApiTests
{
    private ApiServer _api = null!;

    [SetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private async Task<Node> AddNodeAsync(long cpu = 4000, long mem = 4096)
    {
        var node = TestServer.Node(cpu: cpu, mem: mem) with
        {
            Status = NodeStatus.Initializing,
            Drivers = new() { ["raw_exec"] = new DriverInfo { Detected = true, Healthy = true } },
            Attributes = new() { ["driver.raw_exec"] = "1", ["kernel.name"] = "linux" },
        };
        await _api.ApplyAsync(new NodeRegisterCommand(node, null));
        await _api.ApplyAsync(new NodeStatusCommand(node.ID, NodeStatus.Ready, DateTimeOffset.UtcNow.ToUnixTimeSeconds(), null));
        return node;
    }

    private static string Plan(JsonObject job, bool diff = true) => new JsonObject { ["Job"] = job, ["Diff"] = diff }.ToJsonString();

    private async Task<JsonNode> PlanAsync(JsonObject job, bool diff = true) =>
        (await _api.PutAsync($"/v1/job/{job["ID"]}/plan", Plan(job, diff)))!;

    /// <summary>Registers the job over HTTP and places its allocations as the leader would (scheduler, then plan apply through Raft).</summary>
    private async Task RegisterAndPlaceAsync(JsonObject job)
    {
        var reply = (await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = job.DeepClone() }.ToJsonString()))!;
        var snap = _api.State;
        var planner = new SnapshotPlanner(snap);
        var eval = snap.EvalById(reply["EvalID"]!.GetValue<string>())!;
        await Schedulers.Create(eval.Type, snap, planner, new Logger(new LogSink(TextWriter.Null, LogSeverity.Warn), "test")).ProcessAsync(eval, CancellationToken.None);
        foreach (var plan in planner.Plans)
            await _api.ApplyAsync(PlanEvaluator.ToCommand(plan, PlanEvaluator.Evaluate(_api.State, plan), UnixNanos.Now()));
        await _api.ApplyAsync(new EvalUpsertCommand(planner.EvalUpdates.ToList()));
        Assert.That(_api.State.AllocsForJob(job["ID"]!.GetValue<string>()).Count(a => !a.IsTerminal),
            Is.EqualTo(job["TaskGroups"]![0]!["Count"]!.GetValue<int>()), "the job's allocations to be placed");
    }

    private static JsonNode Updates(JsonNode plan, string group = "web") => plan["Annotations"]!["DesiredTGUpdates"]![group]!;

    private static ulong U(JsonNode node, string name) => node[name]!.GetValue<ulong>();

    [Test]
    public async Task A_new_job_plans_its_placements_and_an_added_diff_without_writing_anything()
    {
        await AddNodeAsync();
        var indexBefore = _api.State.Index;

        var plan = await PlanAsync(JobApiTests.JobJson());

        Assert.That(U(plan, "JobModifyIndex"), Is.EqualTo(0UL));
        Assert.That(U(plan, "Index"), Is.EqualTo(indexBefore));
        Assert.That(plan["Warnings"]!.GetValue<string>(), Is.Empty);
        Assert.That(plan["FailedTGAllocs"], Is.Null);
        Assert.That(plan["CreatedEvals"]!.AsArray(), Is.Empty);
        var updates = Updates(plan);
        Assert.That(U(updates, "Place"), Is.EqualTo(2UL));
        Assert.That(U(updates, "Ignore") + U(updates, "Stop") + U(updates, "DestructiveUpdate") + U(updates, "InPlaceUpdate"), Is.EqualTo(0UL));
        Assert.That(updates.AsObject().Select(kv => kv.Key), Is.EquivalentTo(new[]
            { "Ignore", "Place", "Migrate", "Stop", "InPlaceUpdate", "DestructiveUpdate", "Canary", "Preemptions" }));

        var diff = plan["Diff"]!;
        Assert.That(diff["Type"]!.GetValue<string>(), Is.EqualTo("Added"));
        Assert.That(diff["ID"]!.GetValue<string>(), Is.EqualTo("example"));
        var group = diff["TaskGroups"]!.AsArray().Single()!;
        Assert.That(group["Type"]!.GetValue<string>(), Is.EqualTo("Added"));
        Assert.That(group["Updates"]!["create"]!.GetValue<ulong>(), Is.EqualTo(2UL));
        var count = group["Fields"]!.AsArray().Single(f => f!["Name"]!.GetValue<string>() == "Count")!;
        Assert.That((count["Type"]!.GetValue<string>(), count["New"]!.GetValue<string>()), Is.EqualTo(("Added", "2")));
        var task = group["Tasks"]!.AsArray().Single()!;
        Assert.That(task["Type"]!.GetValue<string>(), Is.EqualTo("Added"));
        Assert.That(task["Annotations"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "forces create" }));

        // A dry run: no job, no evaluation, no allocation, and the state did not move.
        var (status, _) = await _api.SendAsync(HttpMethod.Get, "/v1/job/example");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(_api.State.Evals, Is.Empty);
        Assert.That(_api.State.Allocs, Is.Empty);
        Assert.That(_api.State.Index, Is.EqualTo(indexBefore));
    }

    [Test]
    public async Task Without_Diff_the_plan_has_no_diff()
    {
        await AddNodeAsync();
        var plan = await PlanAsync(JobApiTests.JobJson(), diff: false);
        Assert.That(plan["Diff"], Is.Null);
        Assert.That(U(Updates(plan), "Place"), Is.EqualTo(2UL));
    }

    [Test]
    public async Task A_count_change_on_a_placed_job_is_an_edit_that_places_the_difference_and_updates_the_rest_in_place()
    {
        await AddNodeAsync();
        await RegisterAndPlaceAsync(JobApiTests.JobJson());
        var registered = _api.State.JobById("example")!;
        var indexBefore = _api.State.Index;

        var job = JobApiTests.JobJson();
        job["TaskGroups"]![0]!["Count"] = 3;
        var plan = await PlanAsync(job);

        Assert.That(U(plan, "JobModifyIndex"), Is.EqualTo(registered.JobModifyIndex));
        var updates = Updates(plan);
        // As Nomad: the new job version reaches the running allocations as an in-place update.
        Assert.That((U(updates, "Place"), U(updates, "InPlaceUpdate"), U(updates, "Ignore"), U(updates, "Stop"), U(updates, "DestructiveUpdate")),
            Is.EqualTo((1UL, 2UL, 0UL, 0UL, 0UL)));
        var diff = plan["Diff"]!;
        Assert.That(diff["Type"]!.GetValue<string>(), Is.EqualTo("Edited"));
        var group = diff["TaskGroups"]!.AsArray().Single()!;
        Assert.That(group["Type"]!.GetValue<string>(), Is.EqualTo("Edited"));
        var count = group["Fields"]!.AsArray().Single()!;
        Assert.That((count["Name"]!.GetValue<string>(), count["Type"]!.GetValue<string>(), count["Old"]!.GetValue<string>(), count["New"]!.GetValue<string>()),
            Is.EqualTo(("Count", "Edited", "2", "3")));
        Assert.That(count["Annotations"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "forces create" }));
        Assert.That(group["Updates"]!.AsObject().ToDictionary(kv => kv.Key, kv => kv.Value!.GetValue<ulong>()),
            Is.EquivalentTo(new Dictionary<string, ulong> { ["create"] = 1, ["in-place update"] = 2 }));
        Assert.That(group["Tasks"]!.AsArray().Single()!["Type"]!.GetValue<string>(), Is.EqualTo("None"));

        Assert.That(_api.State.Index, Is.EqualTo(indexBefore));
        Assert.That(_api.State.JobById("example")!.TaskGroups[0].Count, Is.EqualTo(2));
    }

    [Test]
    public async Task The_same_job_again_plans_no_change()
    {
        await AddNodeAsync();
        await RegisterAndPlaceAsync(JobApiTests.JobJson());
        var plan = await PlanAsync(JobApiTests.JobJson());
        Assert.That(plan["Diff"]!["Type"]!.GetValue<string>(), Is.EqualTo("None"));
        var updates = Updates(plan);
        Assert.That((U(updates, "Place"), U(updates, "Ignore")), Is.EqualTo((0UL, 2UL)));
    }

    [Test]
    public async Task A_task_config_change_is_a_destructive_update_with_the_config_key_in_the_diff()
    {
        await AddNodeAsync();
        await RegisterAndPlaceAsync(JobApiTests.JobJson());

        var plan = await PlanAsync(JobApiTests.JobJson(command: "/bin/true"));

        var updates = Updates(plan);
        Assert.That((U(updates, "DestructiveUpdate"), U(updates, "Place"), U(updates, "Stop"), U(updates, "Ignore")), Is.EqualTo((2UL, 0UL, 0UL, 0UL)));
        var task = plan["Diff"]!["TaskGroups"]![0]!["Tasks"]![0]!;
        Assert.That(task["Type"]!.GetValue<string>(), Is.EqualTo("Edited"));
        Assert.That(task["Annotations"]!.AsArray().Select(a => a!.GetValue<string>()), Is.EqualTo(new[] { "forces create/destroy update" }));
        var config = task["Objects"]!.AsArray().Single(o => o!["Name"]!.GetValue<string>() == "Config")!;
        var command = config["Fields"]!.AsArray().Single()!;
        Assert.That((command["Name"]!.GetValue<string>(), command["Old"]!.GetValue<string>(), command["New"]!.GetValue<string>()),
            Is.EqualTo(("command", "/bin/sleep", "/bin/true")));
        Assert.That(plan["Diff"]!["TaskGroups"]![0]!["Updates"]!["create/destroy update"]!.GetValue<ulong>(), Is.EqualTo(2UL));
    }

    [Test]
    public async Task A_job_that_cannot_fit_reports_its_failed_placements_as_creates_and_the_blocked_evaluation()
    {
        await AddNodeAsync(cpu: 4000, mem: 256);

        var plan = await PlanAsync(JobApiTests.JobJson(memory: 1024));

        var failed = plan["FailedTGAllocs"]!["web"]!;
        Assert.That(failed["NodesEvaluated"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(failed["CoalescedFailures"]!.GetValue<int>(), Is.EqualTo(1));
        Assert.That(U(Updates(plan), "Place"), Is.EqualTo(2UL), "Nomad counts placements that failed as creates");
        var created = plan["CreatedEvals"]!.AsArray().Single()!;
        Assert.That(created["Status"]!.GetValue<string>(), Is.EqualTo("blocked"));
        Assert.That(_api.State.Evals, Is.Empty);
    }

    [Test]
    public async Task A_bad_job_is_a_400_with_a_one_line_error()
    {
        var job = JobApiTests.JobJson();
        job["TaskGroups"]![0]!["Count"] = -1;
        var (status, body) = await _api.SendAsync(HttpMethod.Put, "/v1/job/example/plan", Plan(job));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("Count").IgnoreCase.And.Not.Contain("\n"));

        (status, body) = await _api.SendAsync(HttpMethod.Put, "/v1/job/other/plan", Plan(JobApiTests.JobJson()));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain("Job ID does not match"));
    }
}
