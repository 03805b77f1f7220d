using System.Net.Http.Json;
using System.Text.Json;
using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>A server with a data_dir keeps every acknowledged write across kill -9; blocking queries wake on writes.</summary>
[TestFixture]
public sealed class ServerPersistenceTests
{
    [Test]
    public async Task Acknowledged_registrations_survive_kill_9()
    {
        var dataDir = Directory.CreateTempSubdirectory("nomad-it-data-").FullName;
        var config = $"data_dir = \"{dataDir}\"\nserver {{\n  enabled = true\n  bootstrap_expect = 1\n}}\n";
        var ports = FreePorts.Take(3);
        var acknowledged = new List<string>();
        await using (var server = AgentProcess.Start([], config, ports: ports))
        {
            await server.WaitForLineAsync("nomad: cluster leadership acquired");
            using var rpc = new RemoteNodeService([server.RpcAddress], Logger.Null);
            for (var i = 0; i < 25; i++)
            {
                var node = TestNode(i);
                await rpc.RegisterAsync(new NodeRegisterRequest(node));
                acknowledged.Add(node.ID);
            }
            server.Signal("KILL");
            await server.WaitForExitAsync(TimeSpan.FromSeconds(10));
        }

        await using var restarted = AgentProcess.Start([], config, ports: ports);
        await restarted.WaitForLineAsync("nomad: cluster leadership acquired");
        var nodes = await restarted.Http.GetFromJsonAsync<JsonElement>("/v1/nodes");
        var ids = nodes.EnumerateArray().Select(n => n.GetProperty("ID").GetString()).ToList();
        Assert.That(ids, Is.EquivalentTo(acknowledged), "every acknowledged registration, none twice");
    }

    [Test]
    public async Task Blocking_query_returns_when_the_index_moves()
    {
        await using var server = AgentProcess.Start(["-dev"]);
        await server.WaitForReadyNodeAsync();
        var first = await server.Http.GetAsync("/v1/nodes");
        var index = ulong.Parse(first.Headers.GetValues("X-Nomad-Index").Single());

        var blocked = server.Http.GetAsync($"/v1/nodes?index={index}&wait=60s");
        await Task.Delay(100);
        Assert.That(blocked.IsCompleted, Is.False, "the query waits while nothing changes");
        using var rpc = new RemoteNodeService([server.RpcAddress], Logger.Null);
        var node = TestNode(1);
        await rpc.RegisterAsync(new NodeRegisterRequest(node));

        var resp = await blocked.WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(ulong.Parse(resp.Headers.GetValues("X-Nomad-Index").Single()), Is.GreaterThan(index));
        var list = JsonDocument.Parse(await resp.Content.ReadAsStringAsync()).RootElement;
        Assert.That(list.EnumerateArray().Select(n => n.GetProperty("ID").GetString()), Does.Contain(node.ID));
    }

    private static Node TestNode(int i) => new()
    {
        ID = Guid.NewGuid().ToString(),
        SecretID = Guid.NewGuid().ToString(),
        Name = $"test-node-{i}",
        Datacenter = "dc1",
        Status = NodeStatus.Initializing,
        HTTPAddr = "127.0.0.1:1",
    };
}
