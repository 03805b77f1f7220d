using System.Net.Http.Json;
using System.Text.Json;

namespace Nomad.IntegrationTests.Harness;

/// <summary>
/// N real server agents on 127.0.0.1 (each on its own ports and data_dir) with bootstrap_expect = N, joined
/// through retry_join to the first one's serf port. A server can be killed and restarted on the same ports and data.
/// </summary>
public sealed class ServerCluster : IAsyncDisposable
{
    private readonly List<int[]> _ports = new();
    private readonly List<string> _dirs = new();
    private readonly string _extra;

    public AgentProcess?[] Servers { get; }

    private ServerCluster(int n, string extra)
    {
        Servers = new AgentProcess?[n];
        _extra = extra;
        for (var i = 0; i < n; i++)
        {
            _ports.Add(FreePorts.Take(3));
            _dirs.Add(Directory.CreateTempSubdirectory("nomad-it-cluster-").FullName);
        }
    }

    public static ServerCluster Start(int n, string extraConfig = "")
    {
        var c = new ServerCluster(n, extraConfig);
        for (var i = 0; i < n; i++) c.StartServer(i);
        return c;
    }

    public string Name(int i) => $"s{i}";

    public AgentProcess StartServer(int i)
    {
        var config = $$"""
            name = "{{Name(i)}}"
            data_dir = "{{_dirs[i]}}/data"
            server {
              enabled = true
              bootstrap_expect = {{Servers.Length}}
              server_join {
                retry_join = ["127.0.0.1:{{_ports[0][2]}}"]
                retry_interval = "1s"
              }
            }
            {{_extra}}
            """;
        return Servers[i] = AgentProcess.Start([], config, dir: _dirs[i], ports: _ports[i]);
    }

    public IEnumerable<AgentProcess> Running => Servers.Where(s => s is { HasExited: false })!;

    public string RpcAddress(int i) => $"127.0.0.1:{_ports[i][1]}";

    public int IndexOf(string rpcAddress) => Enumerable.Range(0, Servers.Length).First(i => RpcAddress(i) == rpcAddress);

    /// <summary>Waits until every running server names the same leader and has <paramref name="peers"/> voters; returns the leader's index.</summary>
    public async Task<int> WaitForLeaderAsync(int peers, TimeSpan timeout) => (int)await Eventually.WaitAsync<object>(async () =>
    {
        var leaders = new HashSet<string>();
        foreach (var s in Running)
        {
            var leader = await s.Http.GetFromJsonAsync<string>("/v1/status/leader");
            var voters = await s.Http.GetFromJsonAsync<string[]>("/v1/status/peers");
            if (string.IsNullOrEmpty(leader) || voters!.Length != peers) return null;
            leaders.Add(leader);
        }
        return leaders.Count == 1 ? IndexOf(leaders.Single()) : null;
    }, timeout, $"one leader and {peers} peers on every running server");

    public static async Task<string[]> JobIdsAsync(AgentProcess server, bool stale = false)
    {
        var jobs = await server.Http.GetFromJsonAsync<JsonElement>(stale ? "/v1/jobs?stale=true" : "/v1/jobs");
        return jobs.EnumerateArray().Select(j => j.GetProperty("ID").GetString()!).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var s in Servers)
            if (s is not null) await s.DisposeAsync();
    }
}
