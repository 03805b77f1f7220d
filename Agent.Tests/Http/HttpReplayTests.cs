using System.Net;
using System.Text;
using Nomad.Agent.Http;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Tests.Http;

/// <summary>
/// The receiving end of request forwarding replays only this agent's API: anything that reaches the RPC port can
/// send a forwarded request, so an absolute URL must never make the server fetch it for the caller.
/// </summary>
public sealed class HttpReplayTests
{
    private ApiServer _api = null!;
    private HttpReplay _replay = null!;

    [SetUp]
    public async Task Start()
    {
        _api = await ApiServer.StartAsync();
        _replay = new HttpReplay(new IPEndPoint(IPAddress.Loopback, _api.Http.BaseAddress!.Port));
    }

    [TearDown]
    public async Task Stop()
    {
        _replay.Dispose();
        await _api.DisposeAsync();
    }

    private static ForwardedHttpRequest Get(string pathAndQuery, Dictionary<string, string>? headers = null) =>
        new("GET", pathAndQuery, headers ?? new(), [], 0);

    [Test]
    public async Task An_api_path_is_replayed_through_the_agents_own_routes()
    {
        var reply = await _replay.ForwardHttpAsync(Get("/v1/status/leader"));
        Assert.That(reply.Status, Is.EqualTo(200), Encoding.UTF8.GetString(reply.Body));
        Assert.That(Encoding.UTF8.GetString(reply.Body), Does.Contain(":"), "the leader's address");
    }

    [TestCase("http://169.254.169.254/latest/meta-data/")]
    [TestCase("//example.invalid/v1/jobs")]
    [TestCase("/admin")]
    public async Task Anything_but_an_api_path_is_refused_with_a_400(string pathAndQuery)
    {
        var reply = await _replay.ForwardHttpAsync(Get(pathAndQuery));
        Assert.That(reply.Status, Is.EqualTo(400));
        Assert.That(Encoding.UTF8.GetString(reply.Body), Does.Contain("must start with /v1/"));
    }
}
