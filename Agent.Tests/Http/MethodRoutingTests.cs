using System.Net;
using System.Text.Json.Nodes;

namespace Nomad.Agent.Tests.Http;

/// <summary>A known path asked with a method its routes do not take is Nomad's 405 "Invalid method"; an unknown path is a 404.</summary>
public sealed class MethodRoutingTests
{
    private ApiServer _api = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _api = await ApiServer.StartAsync();
        await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = JobApiTests.JobJson("example") }.ToJsonString());
    }

    [OneTimeTearDown]
    public async Task Stop() => await _api.DisposeAsync();

    [TestCase("DELETE", "/v1/nodes")]
    [TestCase("POST", "/v1/status/leader")]
    [TestCase("PUT", "/v1/status/peers")]
    [TestCase("GET", "/v1/jobs/parse")]
    [TestCase("DELETE", "/v1/jobs")]
    [TestCase("GET", "/v1/job/example/plan")]
    [TestCase("GET", "/v1/job/example/evaluate")]
    [TestCase("PUT", "/v1/job/example/allocations")]
    [TestCase("DELETE", "/v1/job/example/summary")]
    [TestCase("GET", "/v1/system/gc")]
    [TestCase("POST", "/v1/agent/self")]
    [TestCase("GET", "/v1/node/abc/eligibility")]
    [TestCase("PATCH", "/v1/job/example")]
    public async Task A_known_path_with_another_method_is_405_Invalid_method(string method, string path)
    {
        var (status, body) = await _api.SendAsync(new HttpMethod(method), path, method is "PUT" or "POST" ? "{}" : null);
        Assert.That((status, body), Is.EqualTo((HttpStatusCode.MethodNotAllowed, "Invalid method")));
    }

    [TestCase("GET", "/v1/nope")]
    [TestCase("DELETE", "/v1/nope")]
    [TestCase("GET", "/v1/job/example/nope")]
    [TestCase("GET", "/")]
    public async Task An_unknown_path_is_404(string method, string path)
    {
        var (status, body) = await _api.SendAsync(new HttpMethod(method), path);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));
        Assert.That(body, Does.StartWith("Invalid URL path: "));
    }

    // Nomad takes both PUT and POST for its writes; so do we.
    [TestCase("PUT")]
    [TestCase("POST")]
    public async Task Writes_take_both_PUT_and_POST(string method)
    {
        var body = new JsonObject { ["Job"] = JobApiTests.JobJson("example") }.ToJsonString();
        Assert.That((await _api.SendAsync(new HttpMethod(method), "/v1/jobs", body)).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _api.SendAsync(new HttpMethod(method), "/v1/job/example", body)).Status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await _api.SendAsync(new HttpMethod(method), "/v1/job/example/evaluate")).Status, Is.EqualTo(HttpStatusCode.OK));
    }
}
