using System.Net;
using System.Text;
using System.Text.Json.Nodes;
using Nomad.Agent.Http;
using Nomad.Agent.Rpc;
using Nomad.Agent.Tests.Consensus;

namespace Nomad.Agent.Tests.Http;

/// <summary>
/// A forwarded request carries its path escaped, and the server that replays it decodes the same job ID: two dev
/// servers in two regions share one gossip pool, and `?region=` sends a request from one to the other.
/// </summary>
public sealed class RequestForwardingTests
{
    private const string Id = "fwd/job?x&y:z%2F字";
    private ApiServer _west = null!;
    private ApiServer _east = null!;

    [OneTimeSetUp]
    public async Task Start()
    {
        _west = await ApiServer.StartAsync("west");
        _east = await ApiServer.StartAsync("east");
        await _west.Server.Gossip!.JoinAsync([_east.SerfAddress]);
        await Eventually.Until(() => _west.Server.Gossip!.Servers().Any(s => s.Region == "east" && s.IsAlive),
            TimeSpan.FromSeconds(20), "west to see the east server alive");
        var job = JobApiTests.JobJson(Id);
        job["Region"] = "east";
        await _east.PutAsync("/v1/jobs", new JsonObject { ["Job"] = job }.ToJsonString());
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _west.DisposeAsync();
        await _east.DisposeAsync();
    }

    [Test]
    public async Task An_escaped_job_ID_reaches_the_job_through_another_regions_server()
    {
        var path = "/v1/job/" + UrlPath.Escape(Id);
        var job = (await _west.GetAsync(path + "?region=east"))!;
        Assert.That(job["ID"]!.GetValue<string>(), Is.EqualTo(Id));
        var summary = (await _west.GetAsync(path + "/summary?region=east"))!;
        Assert.That(summary["JobID"]!.GetValue<string>(), Is.EqualTo(Id));

        // The lookalike "fwd/job?x&y:z/字" is another job, unknown in east.
        var (status, _) = await _west.SendAsync(HttpMethod.Get, "/v1/job/" + UrlPath.Escape(Id.Replace("%2F", "/")) + "?region=east");
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotFound));

        await _west.OkAsync(HttpMethod.Delete, path + "?region=east&purge=true");
        Assert.That(_east.State.JobById(Id), Is.Null);
    }

    [Test]
    public async Task The_replaying_server_decodes_an_escaped_path_once()
    {
        using var replay = new HttpReplay(new IPEndPoint(IPAddress.Loopback, _east.Http.BaseAddress!.Port));
        var other = "replay/a%25b";
        var job = JobApiTests.JobJson(other);
        job["Region"] = "east";
        await _east.PutAsync("/v1/jobs", new JsonObject { ["Job"] = job }.ToJsonString());

        var reply = await replay.ForwardHttpAsync(new ForwardedHttpRequest("GET", "/v1/job/" + UrlPath.Escape(other), new(), [], 0));
        Assert.That(reply.Status, Is.EqualTo(200), Encoding.UTF8.GetString(reply.Body));
        Assert.That(JsonNode.Parse(reply.Body)!["ID"]!.GetValue<string>(), Is.EqualTo(other));
    }
}
