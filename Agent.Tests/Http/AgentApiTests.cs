using System.Net;
using System.Net.Sockets;
using Nomad.Agent.Config;
using Nomad.Agent.Logging;

namespace Nomad.Agent.Tests.Http;

/// <summary>/v1/agent/* on a real server-only agent (and a client-only one): health, force-leave and the role checks as Nomad answers them.</summary>
[TestFixture]
public sealed class AgentApiTests
{
    private ApiServer _api = null!;

    [OneTimeSetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [OneTimeTearDown]
    public async Task Stop() => await _api.DisposeAsync();

    [Test]
    public async Task Health_has_a_part_for_each_role_the_agent_runs()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Get, "/v1/agent/health");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(body, Is.EqualTo("""{"server":{"ok":true,"message":"ok"}}"""));
    }

    [Test]
    public async Task Health_of_a_role_the_agent_does_not_run_is_a_500()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Get, "/v1/agent/health?type=client");
        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(body, Is.EqualTo("""{"client":{"ok":false,"message":"client not enabled"}}"""));

        (status, body) = await _api.SendAsync(HttpMethod.Get, "/v1/agent/health?type=client&type=server");
        Assert.That(status, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(body, Is.EqualTo("""{"client":{"ok":false,"message":"client not enabled"},"server":{"ok":true,"message":"ok"}}"""));
    }

    [Test]
    public async Task Health_of_a_server_without_a_leader_is_a_500()
    {
        // A server waiting for two more (bootstrap_expect = 3) has no leader.
        var dev = AgentConfig.DevDefaults();
        int http = FreePort();
        var config = dev with
        {
            LogLevel = "WARN",
            Server = dev.Server with { BootstrapExpect = 3, NumSchedulers = 0 },
            Client = new ClientConfig { Enabled = false },
            Ports = new Ports { Http = http, Rpc = FreePort(), Serf = FreePort() },
        };
        await using var agent = new RunningAgent(config.WithDefaults(), new LogSink(TextWriter.Null, LogSeverity.Warn));
        await agent.StartAsync(CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
        using var resp = await client.GetAsync("/v1/agent/health");
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.InternalServerError));
        Assert.That(await resp.Content.ReadAsStringAsync(), Is.EqualTo("""{"server":{"ok":false,"message":"no leader"}}"""));
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Test]
    public async Task Force_leave_of_a_name_no_member_has_is_200()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Put, "/v1/agent/force-leave?node=nobody.global");
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), body);
        Assert.That(_api.Server.Members(), Has.Count.EqualTo(1));
    }

    [Test]
    public async Task Force_leave_without_a_node_is_400()
    {
        var (status, body) = await _api.SendAsync(HttpMethod.Put, "/v1/agent/force-leave");
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(body, Is.EqualTo("missing node to force leave"));
    }

    /// <summary>Nomad answers an endpoint of a role the agent does not run with 501 "Invalid method", before reading its parameters.</summary>
    [TestCase("GET", "/v1/agent/servers")]
    [TestCase("PUT", "/v1/agent/servers?address=127.0.0.1:4647")]
    [TestCase("PUT", "/v1/agent/servers")]
    public async Task Client_endpoints_on_a_server_only_agent_are_501(string method, string path)
    {
        var (status, body) = await _api.SendAsync(new HttpMethod(method), path);
        Assert.That(status, Is.EqualTo(HttpStatusCode.NotImplemented));
        Assert.That(body, Is.EqualTo("Invalid method"));
    }

    [Test]
    public async Task Server_endpoints_on_a_client_only_agent_are_501()
    {
        var dir = Directory.CreateTempSubdirectory("nomad-client-only-");
        try
        {
            int http = FreePort();
            var config = new AgentConfig
            {
                DataDir = dir.FullName,
                BindAddr = "127.0.0.1",
                LogLevel = "WARN",
                Server = new ServerConfig { Enabled = false },
                // Servers nobody listens on: the client keeps retrying in the background, its HTTP API answers.
                Client = new ClientConfig { Enabled = true, Servers = [$"127.0.0.1:{FreePort()}"] },
                Ports = new Ports { Http = http, Rpc = FreePort(), Serf = FreePort() },
            };
            await using var agent = new RunningAgent(config.WithDefaults(), new LogSink(TextWriter.Null, LogSeverity.Warn));
            await agent.StartAsync(CancellationToken.None);
            using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{http}") };
            foreach (var path in new[] { "/v1/agent/join?address=127.0.0.1:4648", "/v1/agent/join", "/v1/agent/force-leave?node=x", "/v1/agent/force-leave" })
            {
                using var resp = await client.PutAsync(path, null);
                Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.NotImplemented), path);
                Assert.That(await resp.Content.ReadAsStringAsync(), Is.EqualTo("Invalid method"), path);
            }
        }
        finally { dir.Delete(recursive: true); }
    }
}
