using System.Net.Http.Json;
using System.Text.Json;

namespace Nomad.IntegrationTests.Harness;

/// <summary>
/// N real server agents on 127.0.0.1 (each on its own ports and data_dir) with bootstrap_expect = N, joined
/// through retry_join to the others' serf ports (so a replaced server 0 joins too). A server can be killed and restarted on the same ports and data.
/// Client-only agents (raw_exec enabled) can join, pointed at every server's RPC address.
/// </summary>
public sealed class ServerCluster : IAsyncDisposable
{
    private readonly List<int[]> _ports = new();
    private readonly List<string> _dirs = new();
    private readonly string _extra;
    private readonly string _serverBlock;
    private readonly NetNsNetwork? _net;

    public AgentProcess?[] Servers { get; }
    public List<AgentProcess> Clients { get; } = new();

    private ServerCluster(int n, string extra, string serverBlock, NetNsNetwork? net)
    {
        _net = net;
        Servers = new AgentProcess?[n];
        _extra = extra;
        _serverBlock = serverBlock;
        for (var i = 0; i < n; i++)
        {
            _ports.Add(FreePorts.Take(3));
            _dirs.Add(Directory.CreateTempSubdirectory("nomad-it-cluster-").FullName);
        }
    }

    /// <param name="extraConfig">appended to each server's config file</param>
    /// <param name="serverBlock">appended inside each server's `server { }` block</param>
    /// <param name="network">run server i as host i of this network (its own namespace and address) instead of on loopback</param>
    public static ServerCluster Start(int n, string extraConfig = "", string serverBlock = "", NetNsNetwork? network = null)
    {
        var c = new ServerCluster(n, extraConfig, serverBlock, network);
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
                retry_join = [{{string.Join(", ", Enumerable.Range(0, Servers.Length).Where(j => j != i).Select(j => $"\"{Host(j)}:{_ports[j][2]}\""))}}]
                retry_interval = "1s"
              }
              {{_serverBlock}}
            }
            {{_extra}}
            """;
        return Servers[i] = AgentProcess.Start([], config, dir: _dirs[i], ports: _ports[i], host: Host(i), prefix: _net?.Exec(i));
    }

    /// <summary>
    /// Starts server <paramref name="i"/> as a brand-new server on the same name and ports: an empty data dir
    /// whose server ID is <paramref name="serverId"/> (e.g. lower than every other, to be the one bootstrap_expect would pick).
    /// </summary>
    public AgentProcess StartFreshServer(int i, string serverId)
    {
        _dirs[i] = Directory.CreateTempSubdirectory("nomad-it-cluster-").FullName;
        // The agent keeps its server ID in <server data_dir>/server/node-id; server.data_dir defaults to <data_dir>/server.
        var server = Path.Combine(_dirs[i], "data", "server", "server");
        Directory.CreateDirectory(server);
        File.WriteAllText(Path.Combine(server, "node-id"), serverId);
        return StartServer(i);
    }

    /// <summary>Starts a client-only agent `c{index}` configured with these servers' RPC addresses (default: all).</summary>
    public AgentProcess StartClient(params int[] servers)
    {
        var name = $"c{Clients.Count}";
        var dir = Directory.CreateTempSubdirectory("nomad-it-cluster-client-").FullName;
        var list = string.Join(", ", (servers.Length > 0 ? servers : Enumerable.Range(0, Servers.Length)).Select(i => $"\"{RpcAddress(i)}\""));
        var config = $$"""
            name = "{{name}}"
            data_dir = "{{dir}}/data"
            client {
              enabled = true
              servers = [{{list}}]
            }
            plugin "raw_exec" {
              config {
                enabled = true
              }
            }
            """;
        var client = AgentProcess.Start([], config, dir: dir);
        Clients.Add(client);
        return client;
    }

    public IEnumerable<AgentProcess> Running => Servers.Where(s => s is { HasExited: false })!;

    public string Host(int i) => _net?.Ip(i) ?? "127.0.0.1";

    public string RpcAddress(int i) => $"{Host(i)}:{_ports[i][1]}";

    public int IndexOf(string rpcAddress) => Enumerable.Range(0, Servers.Length).First(i => RpcAddress(i) == rpcAddress);

    /// <summary>Waits until every running server names the same leader and has <paramref name="peers"/> voters; returns the leader's index.</summary>
    /// <param name="other">a server that must not be that leader (one just killed, still named until an election)</param>
    public async Task<int> WaitForLeaderAsync(int peers, TimeSpan timeout, int? other = null)
    {
        try
        {
            return (int)await Eventually.WaitAsync<object>(async () =>
            {
                var leaders = new HashSet<string>();
                foreach (var s in Running)
                {
                    var leader = await s.Http.GetFromJsonAsync<string>("/v1/status/leader");
                    var voters = await s.Http.GetFromJsonAsync<string[]>("/v1/status/peers");
                    if (string.IsNullOrEmpty(leader) || voters!.Length != peers) return null;
                    leaders.Add(leader);
                }
                return leaders.Count == 1 && IndexOf(leaders.Single()) is var index && index != other ? index : null;
            }, timeout, $"one leader and {peers} peers on every running server");
        }
        catch (AssertionException)
        {
            // What each server said is what tells a slow election from a server that never came up.
            for (var i = 0; i < Servers.Length; i++)
                if (Servers[i] is { } s)
                    TestContext.Out.WriteLine($"--- {Name(i)} ({(s.HasExited ? "exited" : "running")}), last lines:\n{string.Join("\n", s.Lines.TakeLast(40))}");
            throw;
        }
    }

    public static async Task<string[]> JobIdsAsync(AgentProcess server, bool stale = false)
    {
        var jobs = await server.Http.GetFromJsonAsync<JsonElement>(stale ? "/v1/jobs?stale=true" : "/v1/jobs");
        return jobs.EnumerateArray().Select(j => j.GetProperty("ID").GetString()!).ToArray();
    }

    public async ValueTask DisposeAsync()
    {
        // Clients first, then the servers. (Tasks outlive their agent under their shims: tests stop their jobs.)
        foreach (var c in Clients) await c.DisposeAsync();
        foreach (var s in Servers)
            if (s is not null) await s.DisposeAsync();
    }
}
