using System.Net;
using System.Text.Json.Nodes;

namespace Nomad.Agent.Tests.Http;

/// <summary>Periodic jobs over the HTTP API of a real dev server: registration, validation and /v1/job/:id/periodic/force.</summary>
public sealed class PeriodicApiTests
{
    private ApiServer _api = null!;

    [SetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private static JsonObject Periodic(string id, string type = "batch", string spec = "0 0 0 1 1 * *", string zone = "UTC")
    {
        var job = JobApiTests.JobJson(id, type: type);
        job["Periodic"] = new JsonObject { ["Spec"] = spec, ["SpecType"] = "cron", ["TimeZone"] = zone };
        return job;
    }

    [Test]
    public async Task A_periodic_job_registers_without_an_evaluation_runs_and_force_launches_its_child()
    {
        var reply = await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = Periodic("yearly") }.ToJsonString());
        Assert.That((reply!["EvalID"]!.GetValue<string>(), reply["EvalCreateIndex"]!.GetValue<ulong>()), Is.EqualTo(("", 0UL)));
        Assert.That((await _api.GetAsync("/v1/job/yearly"))!["Status"]!.GetValue<string>(), Is.EqualTo("running"));

        var force = (await _api.PutAsync("/v1/job/yearly/periodic/force", null))!.AsObject();
        Assert.That(force.Select(p => p.Key), Is.EqualTo(new[] { "EvalID", "EvalCreateIndex", "Index" }));
        var children = (await _api.GetAsync("/v1/jobs?prefix=yearly%2Fperiodic-"))!.AsArray();
        Assert.That(children.Select(c => (c!["ParentID"]!.GetValue<string>(), c["Periodic"]!.GetValue<bool>())), Is.EqualTo(new[] { ("yearly", false) }));
        var evals = (await _api.GetAsync($"/v1/job/{Uri.EscapeDataString(children[0]!["ID"]!.GetValue<string>())}/evaluations"))!.AsArray();
        Assert.That(evals.Single()!["ID"]!.GetValue<string>(), Is.EqualTo(force["EvalID"]!.GetValue<string>()));
        Assert.That((await _api.GetAsync("/v1/jobs?prefix=yearly"))!.AsArray().First(j => j!["ID"]!.GetValue<string>() == "yearly")!["Periodic"]!.GetValue<bool>(), Is.True);
    }

    [Test]
    public async Task Force_refuses_a_job_that_is_not_periodic_and_one_that_does_not_exist()
    {
        await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = JobApiTests.JobJson("plain", type: "batch") }.ToJsonString());
        Assert.That(await _api.SendAsync(HttpMethod.Put, "/v1/job/plain/periodic/force"),
            Is.EqualTo((HttpStatusCode.BadRequest, "can't force launch non-periodic job")));
        Assert.That((await _api.SendAsync(HttpMethod.Post, "/v1/job/nope/periodic/force")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }

    [TestCase("service", "0 0 * * *", "UTC", "job \"p\": Periodic can only be used with \"batch\" or \"sysbatch\" scheduler")]
    [TestCase("batch", "0 0 * *", "UTC", "job \"p\": periodic.cron: Invalid cron spec \"0 0 * *\": missing field(s)")]
    [TestCase("batch", "0 0 * * *", "Nowhere/City", "job \"p\": periodic.time_zone: Invalid time zone \"Nowhere/City\": unknown time zone Nowhere/City")]
    public async Task A_bad_periodic_config_is_a_one_line_400_and_nothing_is_registered(string type, string spec, string zone, string message)
    {
        Assert.That(await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = Periodic("p", type, spec, zone) }.ToJsonString()),
            Is.EqualTo((HttpStatusCode.BadRequest, message)));
        Assert.That((await _api.SendAsync(HttpMethod.Get, "/v1/job/p")).Status, Is.EqualTo(HttpStatusCode.NotFound));
    }
}
