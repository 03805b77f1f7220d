using System.Net;
using System.Text.Json.Nodes;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Http;

/// <summary>/v1/jobs, /v1/job/:id/*, /v1/jobs/parse against a real dev server over HTTP.</summary>
public sealed class JobApiTests
{
    private ApiServer _api = null!;

    [SetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    internal static JsonObject JobJson(string id = "example", int memory = 64, string command = "/bin/sleep", string type = "service") => new()
    {
        ["ID"] = id,
        ["Type"] = type,
        ["Datacenters"] = new JsonArray("dc1"),
        ["TaskGroups"] = new JsonArray(new JsonObject
        {
            ["Name"] = "web",
            ["Count"] = 2,
            ["Tasks"] = new JsonArray(new JsonObject
            {
                ["Name"] = "server",
                ["Driver"] = "raw_exec",
                ["Config"] = new JsonObject { ["command"] = command, ["args"] = new JsonArray("60") },
                ["Resources"] = new JsonObject { ["CPU"] = 100, ["MemoryMB"] = memory },
            }),
        }),
    };

    private static JsonObject Register(JsonObject job, bool? enforce = null, ulong? index = null)
    {
        var body = new JsonObject { ["Job"] = job };
        if (enforce is not null) body["EnforceIndex"] = enforce;
        if (index is not null) body["JobModifyIndex"] = index;
        return body;
    }

    private static string Text(JsonObject o) => o.ToJsonString();

    /// <summary>
    /// A large job goes from the request body to the Raft log without buffers of its size from ArrayPool.Shared, which
    /// would keep them long after (measured: hundreds of MB held by an idle dev agent after a load with 10 MB jobs).
    /// </summary>
    [Test]
    public async Task Registering_a_large_job_leaves_no_large_buffers_in_the_shared_array_pool()
    {
        var job = JobJson("big");
        job["Meta"] = new JsonObject(Enumerable.Range(0, 400).Select(i =>
            KeyValuePair.Create($"k{i}", (JsonNode?)new string((char)('a' + i % 26), 10 * 1024))));
        var body = Text(Register(job));
        (HttpStatusCode Status, string Body) response;
        using (var rents = new SharedPoolRents())
        {
            response = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", body);
            Assert.That(rents.Count, Is.Zero, "buffers of 1 MB or more rented from ArrayPool.Shared");
        }
        Assert.That(response.Status, Is.EqualTo(HttpStatusCode.OK), response.Body);
        Assert.That(_api.State.JobById("big")!.Meta, Has.Count.EqualTo(400));
    }

    [Test]
    public async Task Register_writes_the_job_and_a_pending_evaluation_and_lists_it_with_its_summary()
    {
        var reply = (await _api.PutAsync("/v1/jobs", Text(Register(JobJson()))))!;
        var evalId = reply["EvalID"]!.GetValue<string>();
        var jobModifyIndex = reply["JobModifyIndex"]!.GetValue<ulong>();
        Assert.That(evalId, Has.Length.EqualTo(36));
        Assert.That(jobModifyIndex, Is.GreaterThan(0UL));
        Assert.That(reply["EvalCreateIndex"]!.GetValue<ulong>(), Is.EqualTo(jobModifyIndex));
        Assert.That(reply["Index"]!.GetValue<ulong>(), Is.EqualTo(jobModifyIndex));
        Assert.That(reply.AsObject().Select(kv => kv.Key), Is.SupersetOf(new[] { "Warnings", "LastContact", "KnownLeader" }));

        var list = (await _api.GetAsync("/v1/jobs"))!.AsArray();
        var stub = list.Single()!;
        Assert.That(stub["ID"]!.GetValue<string>(), Is.EqualTo("example"));
        Assert.That(stub["Type"]!.GetValue<string>(), Is.EqualTo("service"));
        Assert.That(stub["Status"]!.GetValue<string>(), Is.EqualTo("pending"));
        Assert.That(stub["JobModifyIndex"]!.GetValue<ulong>(), Is.EqualTo(jobModifyIndex));
        Assert.That(stub["SubmitTime"]!.GetValue<long>(), Is.GreaterThan(0L));
        Assert.That(stub["JobSummary"]!["Summary"]!["web"]!["Running"]!.GetValue<int>(), Is.EqualTo(0));
        Assert.That(stub.AsObject().Select(kv => kv.Key), Is.SupersetOf(new[]
        {
            "ID", "ParentID", "Name", "Namespace", "Datacenters", "Type", "Priority", "Periodic", "ParameterizedJob", "Stop",
            "Status", "StatusDescription", "JobSummary", "CreateIndex", "ModifyIndex", "JobModifyIndex", "SubmitTime",
        }));

        var eval = (await _api.GetAsync($"/v1/evaluation/{evalId}"))!;
        Assert.That(eval["Status"]!.GetValue<string>(), Is.AnyOf("pending", "complete"));
        Assert.That(eval["TriggeredBy"]!.GetValue<string>(), Is.EqualTo("job-register"));
        Assert.That(eval["JobID"]!.GetValue<string>(), Is.EqualTo("example"));
        Assert.That(eval["Type"]!.GetValue<string>(), Is.EqualTo("service"));
        Assert.That(eval["Priority"]!.GetValue<int>(), Is.EqualTo(50));
        Assert.That(eval["JobModifyIndex"]!.GetValue<ulong>(), Is.EqualTo(jobModifyIndex));

        var job = (await _api.GetAsync("/v1/job/example"))!;
        Assert.That(job["Version"]!.GetValue<ulong>(), Is.EqualTo(0UL));
        Assert.That(job["Region"]!.GetValue<string>(), Is.EqualTo("global"));
        Assert.That(job["TaskGroups"]![0]!["Tasks"]![0]!["Config"]!["command"]!.GetValue<string>(), Is.EqualTo("/bin/sleep"));

        var summary = (await _api.GetAsync("/v1/job/example/summary"))!;
        Assert.That(summary["JobID"]!.GetValue<string>(), Is.EqualTo("example"));
        var evals = (await _api.GetAsync("/v1/job/example/evaluations"))!.AsArray();
        Assert.That(evals.Select(e => e!["ID"]!.GetValue<string>()), Is.EqualTo(new[] { evalId }));
    }

    [Test]
    public async Task Registering_the_same_job_again_keeps_its_version_and_a_change_makes_a_new_one()
    {
        var first = (await _api.PutAsync("/v1/jobs", Text(Register(JobJson()))))!;
        var again = (await _api.PutAsync("/v1/jobs", Text(Register(JobJson()))))!;
        Assert.That(again["JobModifyIndex"]!.GetValue<ulong>(), Is.EqualTo(first["JobModifyIndex"]!.GetValue<ulong>()));
        Assert.That(again["EvalID"]!.GetValue<string>(), Is.Not.EqualTo(first["EvalID"]!.GetValue<string>()));
        Assert.That((await _api.GetAsync("/v1/job/example"))!["Version"]!.GetValue<ulong>(), Is.EqualTo(0UL));

        var changed = (await _api.PutAsync("/v1/job/example", Text(Register(JobJson(memory: 128)))))!;
        Assert.That(changed["JobModifyIndex"]!.GetValue<ulong>(), Is.GreaterThan(first["JobModifyIndex"]!.GetValue<ulong>()));
        var job = (await _api.GetAsync("/v1/job/example"))!;
        Assert.That(job["Version"]!.GetValue<ulong>(), Is.EqualTo(1UL));
        Assert.That(job["JobModifyIndex"]!.GetValue<ulong>(), Is.EqualTo(changed["JobModifyIndex"]!.GetValue<ulong>()));
    }

    [Test]
    public async Task Check_index_conflicts_are_refused_with_Nomads_message_and_change_nothing()
    {
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", Text(Register(JobJson(), enforce: true, index: 5)));
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "Enforcing job modify index 5: job does not exist")));

        var created = (await _api.PutAsync("/v1/jobs", Text(Register(JobJson(), enforce: true, index: 0))))!;
        var jmi = created["JobModifyIndex"]!.GetValue<ulong>();
        var before = _api.State;

        (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", Text(Register(JobJson(memory: 256), enforce: true, index: jmi + 100)));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Is.EqualTo($"Enforcing job modify index {jmi + 100}: job exists with conflicting job modify index: {jmi}"));
        (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", Text(Register(JobJson(memory: 256), enforce: true, index: 0)));
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "Enforcing job modify index 0: job already exists")));
        Assert.That(_api.State.Index, Is.EqualTo(before.Index), "a refused registration wrote nothing");

        var updated = (await _api.PutAsync("/v1/jobs", Text(Register(JobJson(memory: 256), enforce: true, index: jmi))))!;
        Assert.That(updated["JobModifyIndex"]!.GetValue<ulong>(), Is.GreaterThan(jmi));
    }

    private static IEnumerable<TestCaseData> BadJobs()
    {
        var noDcs = JobJson();
        noDcs["Datacenters"] = new JsonArray();
        yield return new TestCaseData(Text(Register(noDcs)), "job \"example\": datacenters: at least one required").SetName("missing datacenters");
        yield return new TestCaseData(Text(Register(JobJson(memory: 5))), "group \"web\" task \"server\": resources.memory must be at least 10").SetName("too little memory");
        var region = JobJson();
        region["Region"] = "mars";
        yield return new TestCaseData(Text(Register(region)), "job \"example\": region: No path to region \"mars\"").SetName("another region");
        var badHook = JobJson();
        badHook["TaskGroups"]![0]!["Tasks"]!.AsArray().Add(new JsonObject
        {
            ["Name"] = "init", ["Driver"] = "raw_exec", ["Lifecycle"] = new JsonObject { ["Hook"] = "prestrat" },
            ["Resources"] = new JsonObject { ["CPU"] = 100, ["MemoryMB"] = 64 },
        });
        yield return new TestCaseData(Text(Register(badHook)), "group \"web\" task \"init\": lifecycle.hook must be one of prestart, poststart, poststop (got \"prestrat\")")
            .SetName("unknown lifecycle hook");
        var badType = JobJson();
        badType["TaskGroups"]![0]!["Count"] = "many";
        yield return new TestCaseData(Text(Register(badType)), "Job: $.TaskGroups[0].Count:").SetName("count not a number");
        var noId = JobJson();
        noId.Remove("ID");
        yield return new TestCaseData(Text(Register(noId)), "Job ID hasn't been provided").SetName("no ID");
        yield return new TestCaseData("{\"Job\": ", "Failed to decode request body").SetName("truncated JSON");
        yield return new TestCaseData("{}", "Job must be specified").SetName("no job");
    }

    [TestCaseSource(nameof(BadJobs))]
    public async Task A_bad_job_is_a_one_line_400_naming_the_field_and_nothing_is_registered(string body, string error)
    {
        var before = _api.State.Index;
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), text);
        Assert.That(text, Does.StartWith(error));
        Assert.That(text, Does.Not.Contain("\n"));
        Assert.That(_api.State.Index, Is.EqualTo(before));
        Assert.That((await _api.GetAsync("/v1/jobs"))!.AsArray(), Is.Empty);
        Assert.That((await _api.GetAsync("/v1/evaluations"))!.AsArray(), Is.Empty);
    }

    [Test]
    public async Task A_job_ID_in_the_path_must_match_the_body()
    {
        var (status, text) = await _api.SendAsync(HttpMethod.Post, "/v1/job/other", Text(Register(JobJson())));
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "Job ID does not match name")));
    }

    [Test]
    public async Task Deregister_stops_the_job_and_purge_removes_it()
    {
        await _api.PutAsync("/v1/jobs", Text(Register(JobJson())));
        var stop = (await _api.OkAsync(HttpMethod.Delete, "/v1/job/example"))!;
        var evalId = stop["EvalID"]!.GetValue<string>();
        Assert.That(stop["EvalCreateIndex"]!.GetValue<ulong>(), Is.EqualTo(stop["Index"]!.GetValue<ulong>()));
        var job = (await _api.GetAsync("/v1/job/example"))!;
        Assert.That(job["Stop"]!.GetValue<bool>(), Is.True);
        Assert.That(job["Version"]!.GetValue<ulong>(), Is.EqualTo(1UL));
        var eval = (await _api.GetAsync($"/v1/evaluation/{evalId}"))!;
        Assert.That(eval["TriggeredBy"]!.GetValue<string>(), Is.EqualTo("job-deregister"));
        Assert.That((await _api.GetAsync("/v1/jobs"))!.AsArray().Single()!["Stop"]!.GetValue<bool>(), Is.True);

        await _api.OkAsync(HttpMethod.Delete, "/v1/job/example?purge=true");
        var (status, text) = await _api.SendAsync(HttpMethod.Get, "/v1/job/example");
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.NotFound, "job not found")));
        (status, text) = await _api.SendAsync(HttpMethod.Get, "/v1/job/example/summary");
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.NotFound, "job not found")));
        (status, text) = await _api.SendAsync(HttpMethod.Delete, "/v1/job/example?purge=maybe");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("purge"));
    }

    [Test]
    public async Task Evaluate_creates_a_new_evaluation_for_an_existing_job()
    {
        var reg = (await _api.PutAsync("/v1/jobs", Text(Register(JobJson()))))!;
        var again = (await _api.PutAsync("/v1/job/example/evaluate", null))!;
        Assert.That(again["EvalID"]!.GetValue<string>(), Is.Not.EqualTo(reg["EvalID"]!.GetValue<string>()));
        Assert.That(again["JobModifyIndex"]!.GetValue<ulong>(), Is.EqualTo(reg["JobModifyIndex"]!.GetValue<ulong>()));
        Assert.That((await _api.GetAsync("/v1/job/example/evaluations"))!.AsArray(), Has.Count.EqualTo(2));
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/job/nope/evaluate");
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.NotFound, "job not found")));
    }

    [Test]
    public async Task Parse_turns_HCL_into_job_JSON_and_reports_syntax_errors_as_400()
    {
        const string hcl = """
            job "web" {
              datacenters = ["dc1"]
              group "g" {
                task "t" {
                  driver = "raw_exec"
                  config { command = "/bin/true" }
                }
              }
            }
            """;
        var job = (await _api.PutAsync("/v1/jobs/parse", new { JobHCL = hcl, Canonicalize = true }))!;
        Assert.That(job["ID"]!.GetValue<string>(), Is.EqualTo("web"));
        Assert.That(job["Name"]!.GetValue<string>(), Is.EqualTo("web"));
        Assert.That(job["Type"]!.GetValue<string>(), Is.EqualTo("service"));
        Assert.That(job["TaskGroups"]![0]!["Tasks"]![0]!["Driver"]!.GetValue<string>(), Is.EqualTo("raw_exec"));
        Assert.That(job["TaskGroups"]![0]!["Tasks"]![0]!["Config"]!["command"]!.GetValue<string>(), Is.EqualTo("/bin/true"));

        // What parse returns registers as it is.
        var reg = (await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = job.DeepClone() }.ToJsonString()))!;
        Assert.That(reg["EvalID"]!.GetValue<string>(), Is.Not.Empty);

        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs/parse", new { JobHCL = "job \"x\" {\n  group {" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.StartWith("input.hcl:"));
        Assert.That(text, Does.Not.Contain("\n"));
        (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs/parse", new { JobHCL = "" });
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "Job spec is empty")));
    }

    [Test]
    public async Task A_blocking_query_on_job_allocations_wakes_when_allocations_are_written()
    {
        var reg = (await _api.PutAsync("/v1/jobs", Text(Register(JobJson()))))!;
        var snap = _api.State;
        var index = snap.TableIndex(Tables.Allocs);
        var job = snap.JobById("example")!;

        var clock = System.Diagnostics.Stopwatch.StartNew();
        var query = _api.Http.GetAsync($"/v1/job/example/allocations?index={Math.Max(index, 1)}&wait=30s");
        await Task.Delay(100);
        Assert.That(query.IsCompleted, Is.False, "the query blocks while nothing changes");

        var alloc = new Allocation
        {
            ID = Guid.NewGuid().ToString(), EvalID = reg["EvalID"]!.GetValue<string>(), Name = Allocation.MakeName("example", "web", 0),
            NodeID = Guid.NewGuid().ToString(), NodeName = "n1", JobID = "example", TaskGroup = "web",
        };
        var written = await _api.ApplyAsync(new PlanApplyCommand(alloc.EvalID, job, [alloc], [], UnixNanos.Now()));

        using var response = await query;
        Assert.That(clock.Elapsed, Is.LessThan(TimeSpan.FromSeconds(20)));
        Assert.That(response.Headers.GetValues("X-Nomad-Index").Single(), Is.EqualTo(written.ToString()));
        var list = JsonNode.Parse(await response.Content.ReadAsStringAsync())!.AsArray();
        var stub = list.Single()!.AsObject();
        Assert.That(stub["ID"]!.GetValue<string>(), Is.EqualTo(alloc.ID));
        Assert.That(stub["JobType"]!.GetValue<string>(), Is.EqualTo("service"));
        Assert.That(stub["CreateIndex"]!.GetValue<ulong>(), Is.EqualTo(written));
        Assert.That(stub.Select(kv => kv.Key), Is.SupersetOf(new[]
        {
            "ID", "EvalID", "Name", "Namespace", "NodeID", "NodeName", "JobID", "JobType", "JobVersion", "TaskGroup",
            "DesiredStatus", "DesiredDescription", "ClientStatus", "ClientDescription", "TaskStates", "CreateIndex",
            "ModifyIndex", "AllocModifyIndex", "CreateTime", "ModifyTime", "FollowupEvalID", "RescheduleTracker", "DeploymentStatus",
        }));

        // The same allocation through the other views.
        var full = (await _api.GetAsync($"/v1/allocation/{alloc.ID}"))!;
        Assert.That(full["Job"]!["ID"]!.GetValue<string>(), Is.EqualTo("example"));
        Assert.That((await _api.GetAsync($"/v1/evaluation/{alloc.EvalID}/allocations"))!.AsArray().Single()!["ID"]!.GetValue<string>(), Is.EqualTo(alloc.ID));
        Assert.That((await _api.GetAsync($"/v1/node/{alloc.NodeID}/allocations"))!.AsArray().Single()!["Job"]!["ID"]!.GetValue<string>(), Is.EqualTo("example"));
        Assert.That((await _api.GetAsync($"/v1/allocations?prefix={alloc.ID[..6]}"))!.AsArray().Single()!["ID"]!.GetValue<string>(), Is.EqualTo(alloc.ID));
        Assert.That((await _api.GetAsync("/v1/job/example/summary"))!["Summary"]!["web"]!["Starting"]!.GetValue<int>(), Is.EqualTo(1));
    }

    [Test]
    public async Task Prefix_queries_and_unknown_IDs()
    {
        await _api.PutAsync("/v1/jobs", Text(Register(JobJson("api-one"))));
        await _api.PutAsync("/v1/jobs", Text(Register(JobJson("api-two"))));
        var web = (await _api.PutAsync("/v1/jobs", Text(Register(JobJson("web")))))!;

        var ids = (await _api.GetAsync("/v1/jobs?prefix=api-"))!.AsArray().Select(j => j!["ID"]!.GetValue<string>());
        Assert.That(ids, Is.EqualTo(new[] { "api-one", "api-two" }));
        Assert.That((await _api.GetAsync("/v1/jobs"))!.AsArray(), Has.Count.EqualTo(3));

        var evalId = web["EvalID"]!.GetValue<string>();
        var evals = (await _api.GetAsync($"/v1/evaluations?prefix={evalId[..8]}"))!.AsArray();
        Assert.That(evals.Select(e => e!["ID"]!.GetValue<string>()), Is.EqualTo(new[] { evalId }));
        var all = (await _api.GetAsync("/v1/evaluations"))!.AsArray().Select(e => e!["CreateIndex"]!.GetValue<ulong>()).ToList();
        Assert.That(all, Is.Ordered.Ascending);
        var reversed = (await _api.GetAsync("/v1/evaluations?reverse=true"))!.AsArray().Select(e => e!["CreateIndex"]!.GetValue<ulong>()).ToList();
        Assert.That(reversed, Is.Ordered.Descending);

        Assert.That(await _api.SendAsync(HttpMethod.Get, "/v1/evaluation/nope"), Is.EqualTo((HttpStatusCode.NotFound, "eval not found")));
        Assert.That(await _api.SendAsync(HttpMethod.Get, "/v1/allocation/nope"), Is.EqualTo((HttpStatusCode.NotFound, "alloc not found")));
        Assert.That((await _api.GetAsync("/v1/job/nope/allocations"))!.AsArray(), Is.Empty);
    }
}
