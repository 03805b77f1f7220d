using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json.Nodes;
using Nomad.Agent.Config;
using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Server;
using Nomad.Agent.State;
using Nomad.Agent.Tests.Consensus;

namespace Nomad.Agent.Tests.Http;

/// <summary>
/// A real server-only dev agent (in-memory Raft, HTTP API on 127.0.0.1) and an HttpClient pointed at it.
/// With no scheduling workers (num_schedulers = 0), evaluations stay as the API wrote them.
/// </summary>
internal sealed class ApiServer : IAsyncDisposable
{
    private readonly RunningAgent _agent;

    private ApiServer(RunningAgent agent, HttpClient http, int serfPort)
    {
        _agent = agent;
        Http = http;
        SerfAddress = $"127.0.0.1:{serfPort}";
    }

    public HttpClient Http { get; }
    /// <summary>Where this server's gossip listens, for another server to join.</summary>
    public string SerfAddress { get; }
    public NomadServer Server => _agent.Server!;
    public StateSnapshot State => Server.State.Current;

    public static async Task<ApiServer> StartAsync(string region = "global")
    {
        var dev = AgentConfig.DevDefaults();
        var config = dev with
        {
            Region = region,
            Server = dev.Server with { NumSchedulers = 0 },
            LogLevel = "WARN",
            Client = new ClientConfig { Enabled = false },
            Ports = new Ports { Http = FreePort(), Rpc = FreePort(), Serf = FreePort() },
        };
        var agent = new RunningAgent(config.WithDefaults(), new LogSink(TextWriter.Null, LogSeverity.Warn));
        await agent.StartAsync(CancellationToken.None);
        await Eventually.Until(() => agent.Server!.Consensus.IsLeader, TimeSpan.FromSeconds(10), "the dev server to lead");
        var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{config.Ports.Http}"), Timeout = TimeSpan.FromSeconds(60) };
        return new ApiServer(agent, http, config.Ports.Serf!.Value);
    }

    public Task<ulong> ApplyAsync(Command command) => Server.Consensus.ApplyAsync(command);

    public async Task<(HttpStatusCode Status, string Body)> SendAsync(HttpMethod method, string path, object? body = null)
    {
        using var request = new HttpRequestMessage(method, path);
        if (body is not null)
            request.Content = new StringContent(body as string ?? System.Text.Json.JsonSerializer.Serialize(body), Encoding.UTF8, "application/json");
        using var response = await Http.SendAsync(request);
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Sends and expects 200; returns the parsed JSON answer.</summary>
    public async Task<JsonNode?> OkAsync(HttpMethod method, string path, object? body = null)
    {
        var (status, text) = await SendAsync(method, path, body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), $"{method} {path}: {text}");
        return JsonNode.Parse(text);
    }

    public Task<JsonNode?> GetAsync(string path) => OkAsync(HttpMethod.Get, path);

    public Task<JsonNode?> PutAsync(string path, object? body) => OkAsync(HttpMethod.Put, path, body);

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    public async ValueTask DisposeAsync()
    {
        Http.Dispose();
        await _agent.DisposeAsync();
    }
}
