using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text;
using System.Text.Json;

namespace Nomad.Bench;

/// <summary>
/// Three real server processes (bootstrap_expect = 3, state on disk): job register latency through the leader and
/// through a follower (which forwards to the leader), and through the leader of a cluster whose state is on tmpfs
/// (the servers' own cost, without the shared disk); failures and elections seen while the CPU is saturated; then
/// kill -9 of the leader while writing through a follower: how long until writes are accepted again, and until
/// gossip marks the killed server failed.
/// </summary>
public sealed class ClusterBenchmark : IBenchmark
{
    public string Name => "cluster";

    private const int Samples = 300;
    private const int Warmup = 30;

    public async Task<IReadOnlyList<BenchRow>> RunAsync()
    {
        // Baseline: the same writes on a lone server (no replication), to tell Raft's share from the rest.
        List<double> alone;
        await using (var single = await BenchServerCluster.StartAsync(1))
        {
            await single.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
            alone = await RegisterLatenciesAsync(single.Http[0], "alone");
        }

        // The same through a leader whose Raft log is on tmpfs: what the servers cost without the disk. The three
        // servers of this benchmark share one disk, and every commit syncs it on each of them.
        List<double> inMemory;
        await using (var tmpfs = await BenchServerCluster.StartAsync(3, TmpfsRoot()))
        {
            var tmpfsLeader = await tmpfs.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
            inMemory = await RegisterLatenciesAsync(tmpfs.Http[tmpfsLeader], "tmpfs");
        }

        await using var cluster = await BenchServerCluster.StartAsync(3);
        var leader = await cluster.WaitForLeaderAsync(TimeSpan.FromSeconds(60));
        var follower = (leader + 1) % 3;

        var viaLeader = await RegisterLatenciesAsync(cluster.Http[leader], "leader");
        var viaFollower = await RegisterLatenciesAsync(cluster.Http[follower], "follower");

        var termBefore = await cluster.RaftTermAsync(leader);
        var falseFailures = await FalseFailuresUnderLoadAsync(cluster, TimeSpan.FromSeconds(30));
        var elections = await cluster.RaftTermAsync(leader) - termBefore;

        // kill -9 of the leader, writing through a follower without pause.
        var killed = cluster.Kill(leader);
        var clock = Stopwatch.StartNew();
        var failed = TimeUntilFailedAsync(cluster.Http[follower], cluster.MemberName(leader));
        TimeSpan? accepted = null;
        for (var i = 0; accepted is null; i++)
        {
            if (clock.Elapsed > TimeSpan.FromSeconds(60)) throw new TimeoutException("no write accepted within 60 s of the leader's kill");
            try
            {
                using var resp = await cluster.Http[follower].PutAsync("/v1/jobs", JobBody($"after-kill-{i}"));
                if (resp.StatusCode == HttpStatusCode.OK) accepted = clock.Elapsed;
            }
            catch (HttpRequestException) { }
        }
        var failedAfter = await failed;
        await killed;

        return
        [
            new(Name, "job register p50, lone server (baseline)", Percentile(alone, 0.50), "ms", "", ""),
            new(Name, "job register p50 via leader", Percentile(viaLeader, 0.50), "ms", "≤ 5 ms", ""),
            new(Name, "job register p99 via leader", Percentile(viaLeader, 0.99), "ms", "", ""),
            new(Name, "job register p50 via follower", Percentile(viaFollower, 0.50), "ms", "", ""),
            new(Name, "job register p99 via follower", Percentile(viaFollower, 0.99), "ms", "≤ 25 ms", ""),
            new(Name, "job register p50 via leader, Raft log on tmpfs", Percentile(inMemory, 0.50), "ms", "", ""),
            new(Name, "job register p99 via leader, Raft log on tmpfs", Percentile(inMemory, 0.99), "ms", "", ""),
            new(Name, "leader kill -9 → writes accepted again", accepted.Value.TotalMilliseconds, "ms", "≤ 2 s", ""),
            new(Name, "killed server marked failed (server members)", failedAfter.TotalMilliseconds, "ms", "≤ 10 s", ""),
            new(Name, "servers seen failed/suspect during 30 s of full CPU load", falseFailures, "", "0", ""),
            new(Name, "Raft elections during 30 s of full CPU load", elections, "", "0", ""),
        ];
    }

    /// <summary>
    /// Busy-loops on every core (twice over) for <paramref name="duration"/> while polling each server's members;
    /// returns how many (observer, member) pairs were ever seen other than alive.
    /// </summary>
    private static async Task<int> FalseFailuresUnderLoadAsync(BenchServerCluster cluster, TimeSpan duration)
    {
        var burners = Enumerable.Range(0, Environment.ProcessorCount * 2)
            .Select(_ => Process.Start(new ProcessStartInfo("/bin/sh", ["-c", "while :; do :; done"]) { UseShellExecute = false })!).ToList();
        var seen = new HashSet<(int, string)>();
        try
        {
            var clock = Stopwatch.StartNew();
            while (clock.Elapsed < duration)
            {
                for (var i = 0; i < cluster.Http.Count; i++)
                {
                    try
                    {
                        var members = JsonDocument.Parse(await cluster.Http[i].GetStringAsync("/v1/agent/members")).RootElement.GetProperty("Members");
                        foreach (var m in members.EnumerateArray().Where(m => m.GetProperty("Status").GetString() != "alive"))
                            seen.Add((i, m.GetProperty("Name").GetString()!));
                    }
                    catch (HttpRequestException) { }
                }
                await Task.Delay(250);
            }
        }
        finally
        {
            foreach (var b in burners) { b.Kill(); b.WaitForExit(); b.Dispose(); }
        }
        return seen.Count;
    }

    private static async Task<List<double>> RegisterLatenciesAsync(HttpClient http, string via)
    {
        var samples = new List<double>(Samples);
        for (var i = 0; i < Warmup + Samples; i++)
        {
            var started = Stopwatch.GetTimestamp();
            using var resp = await http.PutAsync("/v1/jobs", JobBody($"{via}-{i}"));
            var ms = Stopwatch.GetElapsedTime(started).TotalMilliseconds;
            if (resp.StatusCode != HttpStatusCode.OK) throw new InvalidOperationException($"register via {via} failed: {await resp.Content.ReadAsStringAsync()}");
            if (i >= Warmup) samples.Add(ms);
        }
        return samples;
    }

    private static double Percentile(List<double> samples, double p)
    {
        var sorted = samples.Order().ToList();
        return sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];
    }

    private static async Task<TimeSpan> TimeUntilFailedAsync(HttpClient observer, string member)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < TimeSpan.FromSeconds(60))
        {
            try
            {
                var members = JsonDocument.Parse(await observer.GetStringAsync("/v1/agent/members")).RootElement.GetProperty("Members");
                if (members.EnumerateArray().Any(m => m.GetProperty("Name").GetString() == member && m.GetProperty("Status").GetString() == "failed"))
                    return clock.Elapsed;
            }
            catch (HttpRequestException) { }
            await Task.Delay(20);
        }
        throw new TimeoutException($"{member} not marked failed within 60 s");
    }

    /// <summary>A fresh directory on /dev/shm, or null (the default temp dir) where there is no tmpfs there.</summary>
    private static string? TmpfsRoot() => Directory.Exists("/dev/shm") ? "/dev/shm" : null;

    private static StringContent JobBody(string id) => new(
        $$$"""{"Job":{"ID":"{{{id}}}","Name":"{{{id}}}","Type":"batch","Datacenters":["dc1"],"TaskGroups":[{"Name":"g","Count":1,"Tasks":[{"Name":"t","Driver":"raw_exec","Config":{"command":"/bin/true"}}]}]}}""",
        Encoding.UTF8, "application/json");
}

/// <summary>N real server agents on loopback, each with its own ports and data_dir, joined through retry_join.</summary>
internal sealed class BenchServerCluster : IAsyncDisposable
{
    private readonly List<Process> _processes = new();
    private readonly List<string> _dirs = new();
    private readonly List<int[]> _ports = new();

    public List<HttpClient> Http { get; } = new();

    public string MemberName(int i) => $"bench{i}.global";

    /// <param name="root">Where the servers' data dirs go (default: the temp directory).</param>
    public static async Task<BenchServerCluster> StartAsync(int n, string? root = null)
    {
        var c = new BenchServerCluster();
        for (var i = 0; i < n; i++) c._ports.Add(DevAgent.FreePorts(3));
        for (var i = 0; i < n; i++)
        {
            var dir = root is null
                ? Directory.CreateTempSubdirectory("nomad-bench-cluster-").FullName
                : Directory.CreateDirectory(Path.Combine(root, "nomad-bench-cluster-" + Guid.NewGuid().ToString("N")[..8])).FullName;
            c._dirs.Add(dir);
            var config = Path.Combine(dir, "server.hcl");
            await File.WriteAllTextAsync(config, $$"""
                name = "bench{{i}}"
                bind_addr = "127.0.0.1"
                data_dir = "{{dir}}/data"
                ports {
                  http = {{c._ports[i][0]}}
                  rpc  = {{c._ports[i][1]}}
                  serf = {{c._ports[i][2]}}
                }
                server {
                  enabled = true
                  bootstrap_expect = {{n}}
                  server_join {
                    retry_join = ["127.0.0.1:{{c._ports[0][2]}}"]
                    retry_interval = "1s"
                  }
                }
                """);
            var psi = new ProcessStartInfo(BenchPaths.Nomad) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
            foreach (var a in new[] { "agent", $"-config={config}", "-log-level=WARN" }) psi.ArgumentList.Add(a);
            var p = Process.Start(psi)!;
            p.OutputDataReceived += (_, _) => { };
            p.ErrorDataReceived += (_, _) => { };
            p.BeginOutputReadLine();
            p.BeginErrorReadLine();
            c._processes.Add(p);
            c.Http.Add(new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{c._ports[i][0]}"), Timeout = TimeSpan.FromSeconds(30) });
        }
        return c;
    }

    /// <summary>Waits until every server names the same leader among 3 voters; returns its index.</summary>
    public async Task<int> WaitForLeaderAsync(TimeSpan timeout)
    {
        var clock = Stopwatch.StartNew();
        while (clock.Elapsed < timeout)
        {
            try
            {
                var leaders = new HashSet<string>();
                var ok = true;
                foreach (var http in Http)
                {
                    var leader = JsonSerializer.Deserialize<string>(await http.GetStringAsync("/v1/status/leader"));
                    var peers = JsonSerializer.Deserialize<string[]>(await http.GetStringAsync("/v1/status/peers"))!;
                    if (string.IsNullOrEmpty(leader) || peers.Length != Http.Count) { ok = false; break; }
                    leaders.Add(leader);
                }
                if (ok && leaders.Count == 1)
                    return _ports.FindIndex(p => $"127.0.0.1:{p[1]}" == leaders.Single());
            }
            catch (HttpRequestException) { }
            await Task.Delay(50);
        }
        throw new TimeoutException("no leader among the servers within " + timeout);
    }

    /// <summary>Server <paramref name="i"/>'s Raft term (agent-info): it grows by one per election.</summary>
    public async Task<long> RaftTermAsync(int i)
    {
        using var self = JsonDocument.Parse(await Http[i].GetStringAsync("/v1/agent/self"));
        return long.Parse(self.RootElement.GetProperty("stats").GetProperty("raft").GetProperty("term").GetString()!);
    }

    /// <summary>SIGKILL; the task completes once the process is gone.</summary>
    public Task Kill(int i)
    {
        _processes[i].Kill();
        return _processes[i].WaitForExitAsync();
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var p in _processes)
        {
            if (!p.HasExited) { p.Kill(); await p.WaitForExitAsync(); }
            p.Dispose();
        }
        foreach (var h in Http) h.Dispose();
        foreach (var d in _dirs) { try { Directory.Delete(d, recursive: true); } catch (IOException) { } }
    }
}
