using System.Net;
using System.Text.Json.Nodes;
using Nomad.Agent.Http;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Http;

/// <summary>
/// Job IDs hold whatever Nomad accepts (all but a space and a NUL), and every job endpoint reaches them through the
/// path as Nomad's Go client escapes it (url.PathEscape: `a/b` is `a%2Fb`).
/// </summary>
public sealed class JobIdPathTests
{
    private ApiServer _api = null!;

    [SetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private static string Body(string id) => new JsonObject { ["Job"] = JobApiTests.JobJson(id) }.ToJsonString();

    private static string JobPath(string id, string rest = "") => "/v1/job/" + UrlPath.Escape(id) + rest;

    // The first is the ID Nomad's own API tests register; "%2F" and "%25" are what a decoder may confuse with "/" and "%".
    [TestCase("job-id/with\\troublesome:characters\n?&字")]
    [TestCase("a/b?c&d:e%f字")]
    [TestCase("tab\there")]
    [TestCase("literal%2Fslash")]
    [TestCase("literal%25percent%")]
    [TestCase("/leading/and/trailing/")]
    [TestCase("a//b")]
    [TestCase("a#b;c,d=e@f+g$h")]
    public async Task Every_job_endpoint_reaches_a_job_whose_ID_needs_escaping(string id)
    {
        var registered = (await _api.PutAsync("/v1/jobs", Body(id)))!;
        Assert.That(_api.State.JobById(id), Is.Not.Null);

        Assert.That((await _api.GetAsync(JobPath(id)))!["ID"]!.GetValue<string>(), Is.EqualTo(id));
        Assert.That((await _api.GetAsync(JobPath(id, "/summary")))!["JobID"]!.GetValue<string>(), Is.EqualTo(id));
        var evals = (await _api.GetAsync(JobPath(id, "/evaluations")))!.AsArray();
        Assert.That(evals.Select(e => e!["ID"]!.GetValue<string>()), Does.Contain(registered["EvalID"]!.GetValue<string>()));
        Assert.That((await _api.GetAsync(JobPath(id, "/allocations")))!.AsArray(), Is.Empty);
        await _api.GetAsync(JobPath(id, "/deployments"));
        Assert.That((await _api.SendAsync(HttpMethod.Get, JobPath(id, "/deployment"))).Status, Is.EqualTo(HttpStatusCode.OK));

        var plan = (await _api.PutAsync(JobPath(id, "/plan"), new JsonObject { ["Job"] = JobApiTests.JobJson(id), ["Diff"] = true }.ToJsonString()))!;
        Assert.That(plan["Diff"]!["ID"]!.GetValue<string>(), Is.EqualTo(id));
        var evaluate = (await _api.PutAsync(JobPath(id, "/evaluate"), null))!;
        Assert.That(_api.State.EvalById(evaluate["EvalID"]!.GetValue<string>())!.JobID, Is.EqualTo(id));
        // Registering through the job's own path checks the body's ID against the path's.
        await _api.OkAsync(HttpMethod.Post, JobPath(id), Body(id));

        var stopped = (await _api.OkAsync(HttpMethod.Delete, JobPath(id)))!;
        Assert.That(_api.State.JobById(id)!.Stop, Is.True);
        Assert.That(_api.State.EvalById(stopped["EvalID"]!.GetValue<string>())!.JobID, Is.EqualTo(id));
        await _api.OkAsync(HttpMethod.Delete, JobPath(id) + "?purge=true");
        Assert.That(_api.State.JobById(id), Is.Null);
    }

    // "a%2Fb" and "a/b" are different jobs, and so are "a%252Fb" and "a%2Fb": each path reaches its own.
    [Test]
    public async Task Escaped_and_literal_lookalikes_stay_apart()
    {
        string[] ids = ["a/b", "a%2Fb", "a%252Fb", "a%b"];
        foreach (var id in ids) await _api.PutAsync("/v1/jobs", Body(id));
        foreach (var id in ids)
            Assert.That((await _api.GetAsync(JobPath(id)))!["ID"]!.GetValue<string>(), Is.EqualTo(id), $"GET {JobPath(id)}");
        await _api.OkAsync(HttpMethod.Delete, JobPath("a/b") + "?purge=true");
        Assert.That(_api.State.Jobs.Keys, Is.EquivalentTo(ids.Skip(1)));
    }

    [Test]
    public async Task The_path_ID_must_match_the_body_ID()
    {
        Assert.That(await _api.SendAsync(HttpMethod.Post, JobPath("a/b"), Body("a%2Fb")),
            Is.EqualTo((HttpStatusCode.BadRequest, "Job ID does not match name")));
    }

    [TestCase("a b", "Job ID contains a space")]
    [TestCase(" ", "Job ID contains a space")]
    [TestCase("a\0b", "Job ID contains a null character")]
    public async Task An_ID_with_a_space_or_a_NUL_is_refused_and_nothing_is_registered(string id, string message)
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", Body(id));
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Does.Contain(message));
        Assert.That(_api.State.Jobs, Is.Empty);
        Assert.That(_api.State.Evals, Is.Empty);
    }

    [Test]
    public async Task A_NUL_in_a_job_group_or_task_name_is_refused()
    {
        var job = JobApiTests.JobJson("nul-name");
        job["Name"] = "a\0b";
        Assert.That(await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = job }.ToJsonString()),
            Is.EqualTo((HttpStatusCode.BadRequest, "Job Name contains a null character")));
        job = JobApiTests.JobJson("nul-name");
        job["TaskGroups"]![0]!["Name"] = "w\0";
        Assert.That((await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = job }.ToJsonString())).Body,
            Does.Contain("name contains a null character"));
        job = JobApiTests.JobJson("nul-name");
        job["TaskGroups"]![0]!["Tasks"]![0]!["Name"] = "t\0";
        Assert.That((await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = job }.ToJsonString())).Body,
            Does.Contain("name contains a null character"));
        Assert.That(_api.State.Jobs, Is.Empty);
    }

    [TestCase("GET", "/v1/job/a%00b")]
    [TestCase("DELETE", "/v1/job/a%00b")]
    [TestCase("GET", "/v1/job/a%00b/summary")]
    [TestCase("GET", "/v1/node/a%00b")]
    [TestCase("GET", "/v1/allocation/a%00b")]
    [TestCase("GET", "/v1/evaluation/a%00b")]
    public async Task A_NUL_in_a_path_ID_is_a_400(string method, string path)
    {
        // Kestrel refuses a request target that decodes to a NUL before any route sees it.
        var (status, body) = await _api.SendAsync(new HttpMethod(method), path);
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest), body);
    }

    // Nodes, allocations and evaluations share the routing: their IDs decode the same way.
    [Test]
    public async Task Other_path_IDs_decode_the_same_way()
    {
        var nodeId = "node/with?odd&chars";
        await _api.ApplyAsync(new NodeRegisterCommand(new Node { ID = nodeId, Name = "n1", SecretID = "s", Status = NodeStatus.Ready }, null));
        Assert.That((await _api.GetAsync("/v1/node/" + UrlPath.Escape(nodeId)))!["ID"]!.GetValue<string>(), Is.EqualTo(nodeId));
        Assert.That((await _api.GetAsync("/v1/node/" + UrlPath.Escape(nodeId) + "/allocations"))!.AsArray(), Is.Empty);
    }
}
