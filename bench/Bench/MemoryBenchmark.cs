using System.Diagnostics;
using System.Net;
using System.Text;
using System.Text.Json.Nodes;

namespace Nomad.Bench;

/// <summary>
/// Memory after load: a dev agent's RSS before, right after 30 s of ~4,000 HTTP requests/s (reads, blocking queries,
/// job registrations and purges, some jobs of ~10 MB, a few that run), and 60 s after a `PUT /v1/system/gc`. An idle
/// agent should give back what the load took: the target is after ≤ 1.5 × before.
/// </summary>
/// <remarks>
/// The load is paced to <see cref="TargetRate"/> by <see cref="Workers"/> concurrent requesters; on a busy 2-core
/// machine (the agent and this process share it) it reaches less, and the achieved rate is reported.
/// </remarks>
public sealed class MemoryBenchmark : IBenchmark
{
    public string Name => "memory";

    private const int TargetRate = 4000;
    private const int Workers = 48;
    private const int BlockingQueries = 8;
    private const int JobIds = 200;
    private static readonly TimeSpan Settle = TimeSpan.FromSeconds(5);
    private static readonly TimeSpan LoadTime = TimeSpan.FromSeconds(30);
    private static readonly TimeSpan IdleTime = TimeSpan.FromSeconds(60);
    private static readonly TimeSpan BigJobEvery = TimeSpan.FromSeconds(3);
    private static readonly TimeSpan RunnableJobEvery = TimeSpan.FromSeconds(1);

    private long _issued, _requests, _errors, _bigJobs, _runnableJobs;

    public async Task<IReadOnlyList<BenchRow>> RunAsync()
    {
        await using var agent = await DevAgent.StartAsync();
        using var handler = new SocketsHttpHandler { MaxConnectionsPerServer = Workers + BlockingQueries + 4 };
        using var http = new HttpClient(handler) { BaseAddress = new Uri($"http://127.0.0.1:{agent.HttpPort}"), Timeout = TimeSpan.FromSeconds(60) };

        await Task.Delay(Settle);
        var before = ProcessMemory.Of(agent.Pid);
        Console.Error.WriteLine($"    before load: {before}");

        var clock = Stopwatch.StartNew();
        using (var load = new CancellationTokenSource(LoadTime))
        {
            var tasks = new List<Task>();
            tasks.AddRange(Enumerable.Range(0, Workers).Select(_ => Task.Run(() => PacedRequestsAsync(http, clock, load.Token))));
            tasks.AddRange(Enumerable.Range(0, BlockingQueries).Select(i => Task.Run(() => BlockingQueriesAsync(http, i % 2 == 0 ? "/v1/jobs" : "/v1/allocations", load.Token))));
            tasks.Add(Task.Run(() => BigJobsAsync(http, load.Token)));
            tasks.Add(Task.Run(() => RunnableJobsAsync(http, load.Token)));
            await Task.WhenAll(tasks);
        }
        var loadSeconds = clock.Elapsed.TotalSeconds;
        var rate = _requests / loadSeconds;
        var atEnd = ProcessMemory.Of(agent.Pid);
        Console.Error.WriteLine($"    after {loadSeconds:0.0} s of load: {_requests} requests ({rate:0}/s of {TargetRate}/s targeted, {_errors} errors), " +
                                $"{_bigJobs} jobs of ~10 MB, {_runnableJobs} jobs run; {atEnd}");

        (await http.PutAsync("/v1/system/gc", null)).EnsureSuccessStatusCode();
        var idle = Stopwatch.StartNew();
        while (idle.Elapsed < IdleTime)
        {
            await Task.Delay(TimeSpan.FromSeconds(10));
            Console.Error.WriteLine($"    idle {idle.Elapsed.TotalSeconds:0} s: {ProcessMemory.Of(agent.Pid)}");
        }
        var after = ProcessMemory.Of(agent.Pid);

        return
        [
            new(Name, "RSS before load", before.RssMb, "MB", "", ""),
            new(Name, $"load achieved (target {TargetRate}/s for {LoadTime.TotalSeconds:0} s)", rate, "req/s", $"{TargetRate}/s", ""),
            new(Name, "requests failed (5xx, 400, timeouts)", _errors, "", "0", ""),
            new(Name, "RSS right after load", atEnd.RssMb, "MB", "", ""),
            new(Name, $"RSS {IdleTime.TotalSeconds:0} s after load and system gc", after.RssMb, "MB", "", ""),
            new(Name, "RSS after idle ÷ RSS before", after.RssMb / before.RssMb, "×", "≤ 1.5×", ""),
            new(Name, "tmpfs held open after idle (in-memory Raft log)", after.OpenTmpfsMb, "MB", "", ""),
        ];
    }

    /// <summary>One of <see cref="Workers"/>: takes the next request slot (paced to <see cref="TargetRate"/>) and sends a request of the mix.</summary>
    private async Task PacedRequestsAsync(HttpClient http, Stopwatch clock, CancellationToken ct)
    {
        var random = new Random();
        while (!ct.IsCancellationRequested)
        {
            var slot = TimeSpan.FromSeconds((Interlocked.Increment(ref _issued) - 1) / (double)TargetRate);
            if (slot > clock.Elapsed)
            {
                try { await Task.Delay(slot - clock.Elapsed, ct); }
                catch (OperationCanceledException) { return; }
            }
            var id = $"mem-{random.Next(JobIds)}";
            var pick = random.Next(100);
            await SendAsync(http, pick switch
            {
                < 18 => Get("/v1/nodes"),
                < 34 => Get("/v1/jobs"),
                < 52 => Get($"/v1/job/{id}"),
                < 68 => Get("/v1/allocations"),
                < 76 => Get($"/v1/job/{id}/summary"),
                < 88 => Put("/v1/jobs", SmallJob(id)),
                _ => new HttpRequestMessage(HttpMethod.Delete, $"/v1/job/{id}?purge=true"),
            }, ct);
        }
    }

    /// <summary>A client's watch: a blocking query that asks again as soon as it is answered.</summary>
    private async Task BlockingQueriesAsync(HttpClient http, string path, CancellationToken ct)
    {
        ulong index = 1;
        while (!ct.IsCancellationRequested)
        {
            var response = await SendAsync(http, Get($"{path}?index={index}&wait=2s"), ct);
            if (response?.Headers.TryGetValues("X-Nomad-Index", out var v) == true) index = ulong.Parse(v.First());
        }
    }

    /// <summary>Every few seconds a ~10 MB job (a big meta map) is registered, read back whole, and purged.</summary>
    private async Task BigJobsAsync(HttpClient http, CancellationToken ct)
    {
        for (var n = 0; !ct.IsCancellationRequested; n++)
        {
            var started = Stopwatch.StartNew();
            var id = $"mem-big-{n}";
            if (await SendAsync(http, Put("/v1/jobs", BigJob(id)), ct) is { IsSuccessStatusCode: true }) Interlocked.Increment(ref _bigJobs);
            await SendAsync(http, Get($"/v1/job/{id}"), ct);
            await SendAsync(http, new HttpRequestMessage(HttpMethod.Delete, $"/v1/job/{id}?purge=true"), ct);
            try { await Task.Delay(BigJobEvery - started.Elapsed is var rest && rest > TimeSpan.Zero ? rest : TimeSpan.Zero, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Every second a batch job that the dev client really runs (/bin/true); the previous one is purged.</summary>
    private async Task RunnableJobsAsync(HttpClient http, CancellationToken ct)
    {
        for (var n = 0; !ct.IsCancellationRequested; n++)
        {
            if (await SendAsync(http, Put("/v1/jobs", RunnableJob($"mem-run-{n}")), ct) is { IsSuccessStatusCode: true }) Interlocked.Increment(ref _runnableJobs);
            if (n > 0) await SendAsync(http, new HttpRequestMessage(HttpMethod.Delete, $"/v1/job/mem-run-{n - 1}?purge=true"), ct);
            try { await Task.Delay(RunnableJobEvery, ct); }
            catch (OperationCanceledException) { return; }
        }
    }

    /// <summary>Sends and drains one request; counts it, and counts it failed unless it is a success or a 404.</summary>
    private async Task<HttpResponseMessage?> SendAsync(HttpClient http, HttpRequestMessage request, CancellationToken ct)
    {
        try
        {
            // Requests already sent finish even when the load period ends, so the agent sees every request to its end.
            using var response = await http.SendAsync(request, HttpCompletionOption.ResponseContentRead, CancellationToken.None);
            Interlocked.Increment(ref _requests);
            if (!response.IsSuccessStatusCode && response.StatusCode != HttpStatusCode.NotFound) Interlocked.Increment(ref _errors);
            return response;
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
        {
            Interlocked.Increment(ref _errors);
            return null;
        }
        finally
        {
            request.Dispose();
        }
    }

    private static HttpRequestMessage Get(string path) => new(HttpMethod.Get, path);

    private static HttpRequestMessage Put(string path, string json) =>
        new(HttpMethod.Put, path) { Content = new StringContent(json, Encoding.UTF8, "application/json") };

    /// <summary>A service job for a datacenter no node is in: stored and evaluated (blocked), never placed.</summary>
    private static string SmallJob(string id) => Job(id, "service", "bench-nowhere", "/bin/sleep", ["600"], new JsonObject { ["owner"] = "bench" });

    /// <summary>As <see cref="SmallJob"/> with ~10 MB of job meta (1,000 values of 10 KB).</summary>
    private static string BigJob(string id)
    {
        var meta = new JsonObject();
        for (var i = 0; i < 1000; i++) meta[$"k{i}"] = new string((char)('a' + i % 26), 10 * 1024);
        return Job(id, "service", "bench-nowhere", "/bin/sleep", ["600"], meta);
    }

    private static string RunnableJob(string id) => Job(id, "batch", "dc1", "/bin/true", [], null);

    private static string Job(string id, string type, string datacenter, string command, string[] args, JsonObject? meta) => new JsonObject
    {
        ["Job"] = new JsonObject
        {
            ["ID"] = id, ["Name"] = id, ["Type"] = type, ["Datacenters"] = new JsonArray(datacenter), ["Meta"] = meta,
            ["TaskGroups"] = new JsonArray(new JsonObject
            {
                ["Name"] = "g", ["Count"] = 1,
                ["EphemeralDisk"] = new JsonObject { ["SizeMB"] = 10 },
                ["Tasks"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "t", ["Driver"] = "raw_exec",
                    ["Config"] = new JsonObject { ["command"] = command, ["args"] = new JsonArray(args.Select(a => (JsonNode)a).ToArray()) },
                    ["Resources"] = new JsonObject { ["CPU"] = 10, ["MemoryMB"] = 10 },
                    ["LogConfig"] = new JsonObject { ["MaxFiles"] = 1, ["MaxFileSizeMB"] = 1 },
                }),
            }),
        },
    }.ToJsonString();
}
