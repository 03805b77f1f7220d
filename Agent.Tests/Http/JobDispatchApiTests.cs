using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Http;

/// <summary>Parameterized jobs and /v1/job/:id/dispatch against a real dev server over HTTP.</summary>
public sealed class JobDispatchApiTests
{
    private ApiServer _api = null!;

    [SetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private static JsonObject Parameterized(string id = "dispatcher", string payload = "optional", string type = "batch") =>
        WithParameterized(JobApiTests.JobJson(id, type: type), payload);

    private static JsonObject WithParameterized(JsonObject job, string payload)
    {
        job["Meta"] = new JsonObject { ["owner"] = "ops", ["x"] = "default" };
        job["ParameterizedJob"] = new JsonObject
        {
            ["Payload"] = payload, ["MetaRequired"] = new JsonArray("x"), ["MetaOptional"] = new JsonArray("y"),
        };
        job["TaskGroups"]![0]!["Tasks"]![0]!["DispatchPayload"] = new JsonObject { ["File"] = "input.txt" };
        return job;
    }

    private async Task<JsonNode> RegisterAsync(JsonObject job) =>
        (await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = job }.ToJsonString()))!;

    private static string Body(string? payload = null, JsonObject? meta = null, string? template = null)
    {
        var body = new JsonObject();
        if (payload is not null) body["Payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes(payload));
        if (meta is not null) body["Meta"] = meta;
        if (template is not null) body["IdPrefixTemplate"] = template;
        return body.ToJsonString();
    }

    [Test]
    public async Task A_parameterized_job_is_registered_without_an_evaluation_and_runs_until_stopped()
    {
        var reply = await RegisterAsync(Parameterized());
        Assert.That(reply["EvalID"]!.GetValue<string>(), Is.Empty);
        Assert.That(reply["EvalCreateIndex"]!.GetValue<ulong>(), Is.Zero);
        Assert.That(_api.State.EvalsForJob("dispatcher"), Is.Empty, "the template itself is never scheduled");
        Assert.That(_api.State.JobById("dispatcher")!.Status, Is.EqualTo(JobStatus.Running));

        var stub = (await _api.GetAsync("/v1/jobs"))!.AsArray().Single()!;
        Assert.That((stub["ParameterizedJob"]!.GetValue<bool>(), stub["Periodic"]!.GetValue<bool>(), stub["ParentID"]!.GetValue<string>()),
            Is.EqualTo((true, false, "")));
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/job/dispatcher/evaluate", "{}");
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "can't evaluate parameterized job")));

        var stop = (await _api.OkAsync(HttpMethod.Delete, "/v1/job/dispatcher"))!;
        Assert.That(stop["EvalID"]!.GetValue<string>(), Is.Empty);
        Assert.That(_api.State.JobById("dispatcher")!.Status, Is.EqualTo(JobStatus.Dead));
    }

    [Test]
    public async Task A_dispatch_registers_the_child_with_its_evaluation_in_one_write()
    {
        await RegisterAsync(Parameterized());
        var before = _api.State.Index;
        var reply = (await _api.PutAsync("/v1/job/dispatcher/dispatch", Body("hello payload\n", new JsonObject { ["x"] = "1", ["y"] = "2" })))!;

        var childId = reply["DispatchedJobID"]!.GetValue<string>();
        Assert.That(childId, Does.Match("^dispatcher/dispatch-[0-9]+-[0-9a-f]{8}$"));
        var index = reply["Index"]!.GetValue<ulong>();
        Assert.That(index, Is.EqualTo(before + 1), "job and evaluation are one Raft command");
        Assert.That(reply["JobCreateIndex"]!.GetValue<ulong>(), Is.EqualTo(index));
        Assert.That(reply["EvalCreateIndex"]!.GetValue<ulong>(), Is.EqualTo(index));
        var evalId = reply["EvalID"]!.GetValue<string>();
        Assert.That(_api.State.EvalById(evalId)!.JobID, Is.EqualTo(childId));

        var stored = _api.State.JobById(childId)!;
        Assert.That((stored.ParentID, stored.Dispatched), Is.EqualTo(("dispatcher", true)));
        Assert.That(stored.Meta, Is.EqualTo(new Dictionary<string, string> { ["owner"] = "ops", ["x"] = "1", ["y"] = "2" }));
        Assert.That(stored.Payload, Is.Not.EqualTo(Encoding.UTF8.GetBytes("hello payload\n")), "compressed at rest");
        Assert.That(DispatchPayloadCompression.Decompress(stored.Payload!), Is.EqualTo(Encoding.UTF8.GetBytes("hello payload\n")));

        var child = (await _api.GetAsync("/v1/job/" + Uri.EscapeDataString(childId)))!;
        Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(child["Payload"]!.GetValue<string>())), Is.EqualTo("hello payload\n"),
            "the API serves the payload as dispatched");
        Assert.That((child["ParentID"]!.GetValue<string>(), child["Dispatched"]!.GetValue<bool>()), Is.EqualTo(("dispatcher", true)));

        var summary = (await _api.GetAsync("/v1/job/dispatcher/summary"))!;
        Assert.That(summary["Children"]!.ToJsonString(), Is.EqualTo("""{"Pending":1,"Running":0,"Dead":0}"""));
        var listed = (await _api.GetAsync("/v1/jobs"))!.AsArray().Select(j => (j!["ID"]!.GetValue<string>(), j["ParentID"]!.GetValue<string>(), j["ParameterizedJob"]!.GetValue<bool>()));
        Assert.That(listed, Is.EqualTo(new[] { ("dispatcher", "", true), (childId, "dispatcher", false) }));
    }

    [Test]
    public async Task An_id_prefix_template_goes_between_dispatch_and_the_time()
    {
        await RegisterAsync(Parameterized());
        var reply = (await _api.PutAsync("/v1/job/dispatcher/dispatch", Body(meta: new JsonObject { ["x"] = "1" }, template: "nightly")))!;
        Assert.That(reply["DispatchedJobID"]!.GetValue<string>(), Does.Match("^dispatcher/dispatch-nightly-[0-9]+-[0-9a-f]{8}$"));
    }

    [TestCase("optional", null, null, "Dispatch did not provide required meta keys: [x]")]
    [TestCase("optional", "data", """{"x":"1","z":"2"}""", "Dispatch request included unpermitted metadata keys: [z]")]
    [TestCase("forbidden", "data", """{"x":"1"}""", "Payload provided but forbidden by parameterized job")]
    [TestCase("required", null, """{"x":"1"}""", "Payload is not provided but required by parameterized job")]
    [TestCase("optional", "BIG", """{"x":"1"}""", "Payload exceeds maximum size; 16385 > 16384")]
    public async Task A_bad_dispatch_is_a_one_line_400_and_registers_nothing(string rule, string? payload, string? meta, string expected)
    {
        await RegisterAsync(Parameterized(payload: rule));
        var before = (_api.State.Jobs.Count, _api.State.Evals.Count, _api.State.Index);
        if (payload == "BIG") payload = new string('a', 16 * 1024 + 1);
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/job/dispatcher/dispatch",
            Body(payload, meta is null ? null : JsonNode.Parse(meta)!.AsObject()));
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, expected)));
        Assert.That((_api.State.Jobs.Count, _api.State.Evals.Count, _api.State.Index), Is.EqualTo(before));
    }

    [Test]
    public async Task Only_a_running_parameterized_job_can_be_dispatched()
    {
        await RegisterAsync(JobApiTests.JobJson("plain", type: "batch"));
        Assert.That(await _api.SendAsync(HttpMethod.Put, "/v1/job/plain/dispatch", "{}"),
            Is.EqualTo((HttpStatusCode.BadRequest, "Specified job \"plain\" is not a parameterized job")));
        Assert.That((await _api.SendAsync(HttpMethod.Put, "/v1/job/missing/dispatch", "{}")).Status, Is.EqualTo(HttpStatusCode.NotFound));

        await RegisterAsync(Parameterized());
        await _api.OkAsync(HttpMethod.Delete, "/v1/job/dispatcher");
        var jobs = _api.State.Jobs.Count;
        Assert.That(await _api.SendAsync(HttpMethod.Put, "/v1/job/dispatcher/dispatch", Body(meta: new JsonObject { ["x"] = "1" })),
            Is.EqualTo((HttpStatusCode.BadRequest, "Specified job \"dispatcher\" is stopped")));
        Assert.That(_api.State.Jobs.Count, Is.EqualTo(jobs));
        Assert.That(await _api.SendAsync(HttpMethod.Put, "/v1/job/dispatcher/dispatch", """{"Payload":"not base64!"}"""),
            Is.EqualTo((HttpStatusCode.BadRequest, "Payload: must be base64 (as Go encodes []byte)")));
    }

    [Test]
    public async Task A_job_cannot_become_or_stop_being_parameterized_nor_be_submitted_as_dispatched()
    {
        await RegisterAsync(JobApiTests.JobJson("plain", type: "batch"));
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = Parameterized("plain") }.ToJsonString());
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "cannot update non-parameterized job to being parameterized")));

        await RegisterAsync(Parameterized());
        (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = JobApiTests.JobJson("dispatcher", type: "batch") }.ToJsonString());
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "cannot update parameterized job to being non-parameterized")));

        var forged = JobApiTests.JobJson("forged", type: "batch");
        forged["Dispatched"] = true;
        (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = forged }.ToJsonString());
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "job can't be submitted with 'Dispatched' set")));
    }

    [Test]
    public async Task A_service_job_cannot_be_parameterized()
    {
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = Parameterized("svc", type: "service") }.ToJsonString());
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "job \"svc\": Parameterized job can only be used with \"batch\" or \"sysbatch\" scheduler")));
    }

    [Test]
    public async Task Only_a_dispatch_sets_a_payload_and_registering_a_dispatched_job_again_keeps_it()
    {
        var plain = JobApiTests.JobJson("plain", type: "batch");
        plain["Payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("not compressed"));
        await RegisterAsync(plain);
        Assert.That(_api.State.JobById("plain")!.Payload, Is.Null);

        await RegisterAsync(Parameterized());
        var childId = (await _api.PutAsync("/v1/job/dispatcher/dispatch", Body("original", new JsonObject { ["x"] = "1" })))!["DispatchedJobID"]!.GetValue<string>();
        var child = (await _api.GetAsync("/v1/job/" + Uri.EscapeDataString(childId)))!.AsObject();
        child["Payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("replaced"));
        await RegisterAsync(child);
        var again = (await _api.GetAsync("/v1/job/" + Uri.EscapeDataString(childId)))!;
        Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(again["Payload"]!.GetValue<string>())), Is.EqualTo("original"));
    }

    [Test]
    public async Task A_retried_dispatch_with_the_same_idempotency_token_gets_the_same_job_and_no_new_evaluation()
    {
        await RegisterAsync(Parameterized());
        var body = Body("data", new JsonObject { ["x"] = "1" });
        var first = (await _api.PutAsync("/v1/job/dispatcher/dispatch?idempotency_token=once", body))!;
        var jobs = _api.State.Jobs.Count;
        var evals = _api.State.Evals.Count;

        var again = (await _api.PutAsync("/v1/job/dispatcher/dispatch?idempotency_token=once", body))!;
        Assert.That(again["DispatchedJobID"]!.GetValue<string>(), Is.EqualTo(first["DispatchedJobID"]!.GetValue<string>()));
        Assert.That(again["EvalID"]!.GetValue<string>(), Is.Empty);
        Assert.That(again["JobCreateIndex"]!.GetValue<ulong>(), Is.EqualTo(first["JobCreateIndex"]!.GetValue<ulong>()));
        Assert.That((_api.State.Jobs.Count, _api.State.Evals.Count), Is.EqualTo((jobs, evals)));

        var other = (await _api.PutAsync("/v1/job/dispatcher/dispatch?idempotency_token=twice", body))!;
        Assert.That(other["DispatchedJobID"]!.GetValue<string>(), Is.Not.EqualTo(first["DispatchedJobID"]!.GetValue<string>()));
        Assert.That(_api.State.Jobs.Count, Is.EqualTo(jobs + 1));
    }
}
