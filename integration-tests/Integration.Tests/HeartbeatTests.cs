using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// A server agent and a separate client agent: stopping the client's process (SIGSTOP) stops its
/// heartbeats, so the node goes down after TTL + grace, comes back when it resumes, and is garbage
/// collected once it has been down longer than the threshold.
/// </summary>
[TestFixture]
public sealed class HeartbeatTests
{
    private const string FastHeartbeats = """
        server {
          enabled = true
          bootstrap_expect = 1
          min_heartbeat_ttl = "1s"
          heartbeat_grace = "1s"
          node_gc_threshold = "2s"
          node_gc_interval = "500ms"
        }
        """;

    [Test]
    public async Task Node_goes_down_without_heartbeats_comes_back_and_is_collected()
    {
        await using var server = AgentProcess.Start([], $"data_dir = \"{Dir()}\"\n" + FastHeartbeats);
        await server.WaitForLineAsync("nomad: cluster leadership acquired");
        await using var client = AgentProcess.Start(["-client", $"-servers={server.RpcAddress}", $"-data-dir={Dir()}"]);
        var nodeId = await server.WaitForReadyNodeAsync();

        client.Signal("STOP");
        await WaitForStatus(server, nodeId, "down", TimeSpan.FromSeconds(15));
        var node = await server.Http.GetFromJsonAsync<JsonElement>($"/v1/node/{nodeId}");
        Assert.That(node.GetProperty("Events").EnumerateArray().Select(e => e.GetProperty("Message").GetString()), Does.Contain("Node heartbeat missed"));

        client.Signal("CONT");
        await WaitForStatus(server, nodeId, "ready", TimeSpan.FromSeconds(15));

        client.Signal("STOP");
        await WaitForStatus(server, nodeId, "down", TimeSpan.FromSeconds(15));
        await Eventually.WaitAsync(async () => (await server.Http.GetAsync($"/v1/node/{nodeId}")).StatusCode == HttpStatusCode.NotFound,
            TimeSpan.FromSeconds(15), "node GC to remove the down node");
        client.Signal("CONT");
    }

    [Test]
    public async Task A_client_pointed_at_a_new_server_list_registers_there()
    {
        await using var server = AgentProcess.Start([], $"data_dir = \"{Dir()}\"\n" + FastHeartbeats);
        await server.WaitForLineAsync("nomad: cluster leadership acquired");
        var nowhere = $"127.0.0.1:{FreePorts.Take(1)[0]}";
        await using var client = AgentProcess.Start(["-client", $"-servers={nowhere}", $"-data-dir={Dir()}"]);
        await client.WaitForLineAsync("client: error registering");

        var bad = await client.Http.PutAsync("/v1/agent/servers?address=not%20an%20address", null);
        Assert.That((int)bad.StatusCode, Is.EqualTo(400));
        var put = await client.Http.PutAsync($"/v1/agent/servers?address={server.RpcAddress}", null);
        Assert.That(put.IsSuccessStatusCode, Is.True, await put.Content.ReadAsStringAsync());
        await server.WaitForReadyNodeAsync();
        var servers = await client.Http.GetFromJsonAsync<string[]>("/v1/agent/servers");
        Assert.That(servers, Does.Contain(server.RpcAddress));
    }

    private static Task WaitForStatus(AgentProcess server, string nodeId, string status, TimeSpan timeout) =>
        Eventually.WaitAsync(async () =>
        {
            var node = await server.Http.GetFromJsonAsync<JsonElement>($"/v1/node/{nodeId}");
            return node.GetProperty("Status").GetString() == status;
        }, timeout, $"node {nodeId} to be {status}");

    private static string Dir() => Directory.CreateTempSubdirectory("nomad-it-data-").FullName;
}
