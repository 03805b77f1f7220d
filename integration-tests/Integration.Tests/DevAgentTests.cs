using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>A real `nomad agent -dev` driven through its API and the CLI, as a new user would.</summary>
[TestFixture]
public sealed class DevAgentTests
{
    private AgentProcess _agent = null!;
    private string _nodeId = "";

    [OneTimeSetUp]
    public async Task StartAgent()
    {
        _agent = AgentProcess.Start(["-dev"]);
        _nodeId = await _agent.WaitForReadyNodeAsync();
    }

    [OneTimeTearDown]
    public async Task StopAgent() => await _agent.DisposeAsync();

    [Test]
    public async Task Banner_and_startup_lines_read_like_nomads()
    {
        await _agent.WaitForLineAsync("client: state updated to ready");
        var lines = _agent.Lines;
        Assert.That(lines, Does.Contain("==> Starting Nomad agent..."));
        Assert.That(lines, Does.Contain("==> Nomad agent configuration:"));
        Assert.That(lines, Does.Contain("==> Nomad agent started! Log data will stream in below:"));
        Assert.That(lines.Any(l => Regex.IsMatch(l, @"^\s+Client: true$")), "Client: true");
        Assert.That(lines.Any(l => Regex.IsMatch(l, @"^\s+Server: true$")), "Server: true");
        Assert.That(lines.Any(l => Regex.IsMatch(l, @"^\s+Log Level: DEBUG$")), "Log Level: DEBUG");
        Assert.That(lines.Any(l => Regex.IsMatch(l, @"^\s+Region: global \(DC: dc1\)$")), "Region line");
        foreach (var expected in new[] { "nomad: serf: EventMemberJoin:", "nomad: starting scheduling worker(s)", "client: using state directory:", "client: using alloc directory:", "nomad: cluster leadership acquired", "client: node registration complete", "client: state updated to ready" })
            Assert.That(lines.Any(l => Regex.IsMatch(l, @"^    \d{4}-\d\d-\d\dT[\d:.]+Z \[(INFO|DEBUG)\] +" + Regex.Escape(expected))), $"a log line `{expected}`\n{_agent.Output}");
        var banner = lines.ToList().IndexOf("==> Nomad agent started! Log data will stream in below:");
        var firstLog = lines.ToList().FindIndex(l => l.Contains("[INFO]"));
        Assert.That(banner, Is.LessThan(firstLog), "the banner comes before the log lines");
    }

    [Test]
    public async Task Node_status_lists_the_ready_node_in_nomads_columns()
    {
        foreach (var spelling in new[] { new[] { "node", "status" }, new[] { "node-status" } })
        {
            var r = await CliRun.RunAsync(_agent.Address, spelling);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            var lines = r.Stdout.TrimEnd().Split('\n');
            Assert.That(lines[0], Does.Match(@"^ID\s+DC\s+Name\s+Class\s+Drain\s+Eligibility\s+Status$"));
            Assert.That(lines[1], Does.Match($@"^{_nodeId[..8]}\s+dc1\s+\S+\s+<none>\s+false\s+eligible\s+ready$"));
        }
    }

    [Test]
    public async Task Node_status_self_prefix_verbose_and_json()
    {
        var self = await CliRun.RunAsync(_agent.Address, "node", "status", "-self");
        Assert.That(self.ExitCode, Is.EqualTo(0), self.Stderr);
        Assert.That(self.Stdout, Does.Match($@"(?m)^ID\s+= {_nodeId}"));
        Assert.That(self.Stdout, Does.Match(@"(?m)^Status\s+= ready$"));
        Assert.That(self.Stdout, Does.Match(@"(?m)^Uptime\s+= (\d+h)?(\d+m)?\d+s$"), "uptime from /v1/client/stats");
        Assert.That(self.Stdout, Does.Match(@"(?m)^\d+/\d+ MHz\s+\d+(\.\d+)? [KMGT]?i?B/\d+(\.\d+)? [KMGT]?i?B\s+\d+(\.\d+)? [KMGT]?i?B/\d+(\.\d+)? [KMGT]?i?B$"), "host resource utilization row");

        var byPrefix = await CliRun.RunAsync(_agent.Address, "node", "status", _nodeId[..4]);
        Assert.That(byPrefix.ExitCode, Is.EqualTo(0), byPrefix.Stderr);
        Assert.That(byPrefix.Stdout, Does.Contain(_nodeId));

        var verbose = await CliRun.RunAsync(_agent.Address, "node", "status", "-verbose", _nodeId);
        Assert.That(verbose.ExitCode, Is.EqualTo(0), verbose.Stderr);
        Assert.That(verbose.Stdout, Does.Contain("Attributes"));

        var json = await CliRun.RunAsync(_agent.Address, "node", "status", "-json");
        Assert.That(json.ExitCode, Is.EqualTo(0), json.Stderr);
        var parsed = JsonDocument.Parse(json.Stdout).RootElement;
        Assert.That(parsed.EnumerateArray().Select(n => n.GetProperty("ID").GetString()), Does.Contain(_nodeId));
    }

    [Test]
    public async Task Unknown_node_is_404_in_the_api_and_exit_1_in_the_cli()
    {
        var resp = await _agent.Http.GetAsync("/v1/node/00000000-0000-0000-0000-000000000000");
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.NotFound));
        var cli = await CliRun.RunAsync(_agent.Address, "node", "status", "ffffffff");
        Assert.That(cli.ExitCode, Is.EqualTo(1));
        Assert.That(cli.Stderr.Trim().Split('\n'), Has.Length.EqualTo(1), cli.Stderr);
    }

    [Test]
    public async Task Server_members_shows_the_leader()
    {
        foreach (var spelling in new[] { new[] { "server", "members" }, new[] { "server-members" } })
        {
            var r = await CliRun.RunAsync(_agent.Address, spelling);
            Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
            var lines = r.Stdout.TrimEnd().Split('\n');
            Assert.That(lines[0], Does.Match(@"^Name\s+Address\s+Port\s+Status\s+Leader\s+Protocol\s+Build\s+Datacenter\s+Region$"));
            Assert.That(lines[1], Does.Match($@"^\S+\.global\s+127\.0\.0\.1\s+{_agent.SerfPort}\s+alive\s+true\s+2\s+\S+\s+dc1\s+global$"));
        }
        var detailed = await CliRun.RunAsync(_agent.Address, "server", "members", "-detailed");
        Assert.That(detailed.Stdout, Does.Contain("role=nomad"));
        Assert.That(detailed.Stdout, Does.Contain($"port={_agent.RpcPort}"));
    }

    [Test]
    public async Task Agent_info_prints_its_sections()
    {
        var r = await CliRun.RunAsync(_agent.Address, "agent-info");
        Assert.That(r.ExitCode, Is.EqualTo(0), r.Stderr);
        foreach (var section in new[] { "client", "nomad", "raft", "runtime", "serf" })
            Assert.That(r.Stdout, Does.Match($"(?m)^{section}$"));
        Assert.That(r.Stdout, Does.Match($@"(?m)^  node_id = {_nodeId}$"));
        Assert.That(r.Stdout, Does.Match(@"(?m)^  state = Leader$"));
    }

    [Test]
    public async Task Status_endpoints_answer()
    {
        var leader = await _agent.Http.GetFromJsonAsync<string>("/v1/status/leader");
        Assert.That(leader, Is.EqualTo(_agent.RpcAddress));
        var peers = await _agent.Http.GetFromJsonAsync<string[]>("/v1/status/peers");
        Assert.That(peers, Is.EqualTo(new[] { _agent.RpcAddress }));
        var regions = await _agent.Http.GetFromJsonAsync<string[]>("/v1/regions");
        Assert.That(regions, Is.EqualTo(new[] { "global" }));
        var members = await _agent.Http.GetFromJsonAsync<JsonElement>("/v1/agent/members");
        Assert.That(members.GetProperty("ServerRegion").GetString(), Is.EqualTo("global"));
        var self = await _agent.Http.GetFromJsonAsync<JsonElement>("/v1/agent/self");
        Assert.That(self.GetProperty("stats").GetProperty("client").GetProperty("node_id").GetString(), Is.EqualTo(_nodeId));
        Assert.That(self.GetProperty("config").GetProperty("DevMode").GetBoolean(), Is.True);
    }

    [Test]
    public async Task Agent_servers_are_read_and_set_on_an_agent_that_is_client_and_server()
    {
        // Nomad's PUT /v1/agent/servers sets the client's server list whatever else the agent runs
        // (`nomad node config -update-servers` sends it); its client keeps talking to the server beside it.
        var before = await _agent.Http.GetFromJsonAsync<string[]>("/v1/agent/servers");
        Assert.That(before, Is.EqualTo(new[] { _agent.RpcAddress }));
        // Another server beside ours; the list shows it until the next heartbeat's answer replaces it, so a
        // heartbeat landing between the PUT and the GET only means asking again.
        const string other = "127.0.0.1:14999";
        var wanted = new[] { _agent.RpcAddress, other }.Order(StringComparer.Ordinal).ToArray();
        await Eventually.WaitAsync(async () =>
        {
            var put = await _agent.Http.PutAsync($"/v1/agent/servers?address={_agent.RpcAddress}&address={other}", null);
            Assert.That(put.StatusCode, Is.EqualTo(HttpStatusCode.OK), await put.Content.ReadAsStringAsync());
            return (await _agent.Http.GetFromJsonAsync<string[]>("/v1/agent/servers"))!.SequenceEqual(wanted);
        }, TimeSpan.FromSeconds(30), "GET /v1/agent/servers to show the list just PUT");
        var restore = await _agent.Http.PutAsync($"/v1/agent/servers?address={_agent.RpcAddress}", null);
        Assert.That(restore.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        var bad = await _agent.Http.PutAsync("/v1/agent/servers?address=not%20an%20address", null);
        Assert.That(bad.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
    }

    [Test]
    public async Task Agent_health_answers_for_client_and_server()
    {
        var all = await _agent.Http.GetAsync("/v1/agent/health");
        Assert.That(all.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await all.Content.ReadAsStringAsync(), Is.EqualTo("""{"client":{"ok":true,"message":"ok"},"server":{"ok":true,"message":"ok"}}"""));
        var server = await _agent.Http.GetStringAsync("/v1/agent/health?type=server");
        Assert.That(server, Is.EqualTo("""{"server":{"ok":true,"message":"ok"}}"""));
    }

    [Test]
    public async Task Force_leave_of_an_unknown_member_is_not_an_error()
    {
        // Serf's force-leave of a name it does not know answers without error, and Nomad's API with it.
        var resp = await _agent.Http.PutAsync("/v1/agent/force-leave?node=nobody.global", null);
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.OK), await resp.Content.ReadAsStringAsync());
        var cli = await CliRun.RunAsync(_agent.Address, "server", "force-leave", "nobody.global");
        Assert.That(cli.ExitCode, Is.EqualTo(0), cli.Stderr);
        var members = await _agent.Http.GetFromJsonAsync<JsonElement>("/v1/agent/members");
        Assert.That(members.GetProperty("Members").GetArrayLength(), Is.EqualTo(1));
    }

    [Test]
    public async Task Bad_query_parameters_are_400_with_a_message()
    {
        var resp = await _agent.Http.GetAsync("/v1/nodes?index=abc");
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await resp.Content.ReadAsStringAsync(), Does.Contain("index"));
        resp = await _agent.Http.GetAsync("/v1/nodes?index=1&wait=forever");
        Assert.That(resp.StatusCode, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(await resp.Content.ReadAsStringAsync(), Does.Contain("wait"));
    }

    [Test]
    public async Task Blocking_query_returns_after_wait_when_nothing_moves()
    {
        var first = await _agent.Http.GetAsync("/v1/nodes");
        var index = ulong.Parse(first.Headers.GetValues("X-Nomad-Index").Single());
        Assert.That(first.Headers.GetValues("X-Nomad-KnownLeader").Single(), Is.EqualTo("true"));
        var started = DateTime.UtcNow;
        var blocked = await _agent.Http.GetAsync($"/v1/nodes?index={index}&wait=300ms");
        var elapsed = DateTime.UtcNow - started;
        Assert.That(blocked.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(elapsed, Is.GreaterThanOrEqualTo(TimeSpan.FromMilliseconds(290)));
        Assert.That(ulong.Parse(blocked.Headers.GetValues("X-Nomad-Index").Single()), Is.EqualTo(index));
    }
}
