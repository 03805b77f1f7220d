using System.Diagnostics;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nomad.Bench;

/// <summary>
/// A real dev agent runs a service job of count 200 with raw_exec `/bin/sleep` (job-200) or, as root, with exec
/// (exec-200: each task in its namespaces, chroot and cgroups): submit → all 200 running, RSS of the agent and
/// every process it started, the RSS each task added, and stop → every task process gone.
/// </summary>
public sealed class JobCountBenchmark(string driver = "raw_exec") : IBenchmark
{
    public string Name => driver == "raw_exec" ? "job-200" : $"{driver}-200";

    private const int Count = 200;
    // A marker in the tasks' command line, so only this benchmark's processes are counted.
    private static readonly string[] SleepArgs = ["3000", "601"];

    public async Task<IReadOnlyList<BenchRow>> RunAsync()
    {
        await using var agent = await DevAgent.StartAsync();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{agent.HttpPort}"), Timeout = TimeSpan.FromSeconds(30) };

        var (idleMb, _) = Footprint(agent.Pid);
        var clock = Stopwatch.StartNew();
        var put = await http.PutAsync("/v1/jobs", new StringContent(JobJson(), Encoding.UTF8, "application/json"));
        if (!put.IsSuccessStatusCode) throw new InvalidOperationException($"job rejected: {await put.Content.ReadAsStringAsync()}");
        await WaitAsync(async () => await RunningAsync(http) == Count, TimeSpan.FromMinutes(3), "all allocations running");
        var allRunning = clock.Elapsed;

        var (rssMb, processes) = Footprint(agent.Pid);

        clock.Restart();
        (await http.DeleteAsync("/v1/job/bench200")).EnsureSuccessStatusCode();
        await WaitAsync(() => Task.FromResult(TaskPids().Count == 0), TimeSpan.FromMinutes(1), "every task process gone");
        var stopped = clock.Elapsed;
        // Not timed: the client destroys each task once its exit is recorded (exec: removes its cgroups). Leave the
        // agent running until that is done, or every exec-200 run leaves 200 × 4 cgroup directories behind.
        if (driver == "exec")
            try { await WaitAsync(() => Task.FromResult(!TaskCgroupsLeft()), TimeSpan.FromMinutes(1), "the tasks' cgroups removed"); }
            catch (TimeoutException e) { Console.Error.WriteLine($"    warning: {e.Message}"); }

        return
        [
            new(Name, $"submit → {Count} running", allRunning.TotalMilliseconds, "ms", "≤ 5 s", "32.8 s (0.4.1), 44.5 s (0.11.8)"),
            new(Name, $"RSS of agent + everything it started ({processes} processes)", rssMb, "MB", "≤ 1 GB", "10 GB over 601 processes (0.11.8)"),
            new(Name, "RSS added per running task (shim, isolation stage, task)", (rssMb - idleMb) * 1024 / Count, "KB", "", ""),
            new(Name, "stop → every task process gone", stopped.TotalMilliseconds, "ms", "≤ 1 s", "2.2–6.7 s"),
        ];
    }

    private string JobJson() => new JsonObject
    {
        ["Job"] = new JsonObject
        {
            ["ID"] = "bench200", ["Name"] = "bench200", ["Type"] = "service", ["Datacenters"] = new JsonArray("dc1"),
            ["TaskGroups"] = new JsonArray(new JsonObject
            {
                ["Name"] = "g", ["Count"] = Count,
                ["EphemeralDisk"] = new JsonObject { ["SizeMB"] = 10 },
                ["Tasks"] = new JsonArray(new JsonObject
                {
                    ["Name"] = "sleep", ["Driver"] = driver,
                    ["Config"] = new JsonObject { ["command"] = "/bin/sleep", ["args"] = new JsonArray(SleepArgs.Select(a => (JsonNode)a).ToArray()) },
                    ["Resources"] = new JsonObject { ["CPU"] = 10, ["MemoryMB"] = 10 },
                    ["LogConfig"] = new JsonObject { ["MaxFiles"] = 1, ["MaxFileSizeMB"] = 1 },
                }),
            }),
        },
    }.ToJsonString();

    private static async Task<int> RunningAsync(HttpClient http)
    {
        var summary = JsonNode.Parse(await http.GetStringAsync("/v1/job/bench200/summary"))!;
        return summary["Summary"]!["g"]!["Running"]!.GetValue<int>();
    }

    /// <summary>
    /// The agent, its descendants (drivers, shims) and the tasks, by RSS (the sum of VmRSS, as the target and
    /// Nomad's figure count it: shared library pages count once per process). Prints where it goes, with PSS
    /// (shared pages divided among their users) beside it, on stderr.
    /// </summary>
    private static (double RssMb, int Processes) Footprint(int agentPid)
    {
        var parents = Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d))
            .Where(n => int.TryParse(n, out _)).Select(int.Parse)
            .Select(pid => (pid, ppid: ParentOf(pid))).Where(p => p.ppid >= 0).ToDictionary(p => p.pid, p => p.ppid);
        var ours = new HashSet<int> { agentPid };
        bool changed;
        do
        {
            changed = false;
            foreach (var (pid, ppid) in parents)
                if (ours.Contains(ppid) && ours.Add(pid)) changed = true;
        } while (changed);
        // Task shims re-parent to init so they outlive the agent: count them through their tasks' marker.
        // The shim is the task's parent (exec: task → isolation stage → shim, so up to two levels).
        var tasks = TaskPids().ToHashSet();
        var shims = new HashSet<int>();
        foreach (var pid in tasks)
        {
            ours.Add(pid);
            for (int up = pid, i = 0; i < 2 && parents.TryGetValue(up, out var p) && p > 1 && p != agentPid && parents.GetValueOrDefault(p) != agentPid; i++, up = p)
            {
                ours.Add(p);
                shims.Add(p);
            }
        }
        var groups = new (string Name, List<int> Pids)[]
        {
            ("agent", [agentPid]),
            ("drivers and other helpers", ours.Where(p => p != agentPid && !tasks.Contains(p) && !shims.Contains(p)).ToList()),
            ("task shims", shims.ToList()),
            ("tasks", tasks.ToList()),
        };
        foreach (var (name, pids) in groups)
        {
            var rss = pids.Sum(RssKb) / 1024.0;
            var pss = pids.Sum(p => Rollup(p, "Pss:")) / 1024.0;
            var anon = pids.Sum(p => Rollup(p, "Anonymous:")) / 1024.0;
            Console.Error.WriteLine($"    {name,-26} {pids.Count,4} processes  RSS {rss,8:0.0} MB ({(pids.Count > 0 ? rss * 1024 / pids.Count : 0),7:0} kB each)  PSS {pss,7:0.0} MB  anon {anon,7:0.0} MB");
        }
        var kb = ours.Sum(RssKb);
        return (kb / 1024.0, ours.Count);
    }

    /// <summary>A field of /proc/PID/smaps_rollup in kB (0 when the process is gone).</summary>
    private static long Rollup(int pid, string field)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/smaps_rollup").Where(l => l.StartsWith(field, StringComparison.Ordinal))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).FirstOrDefault();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }

    private static List<int> TaskPids() =>
        Directory.EnumerateDirectories("/proc").Select(d => Path.GetFileName(d)).Where(n => int.TryParse(n, out _)).Select(int.Parse)
            .Where(pid => Cmdline(pid) == "/bin/sleep\0" + string.Join('\0', SleepArgs) + "\0").ToList();

    /// <summary>Whether a cgroup of this benchmark's tasks (named ALLOC_sleep_0 under a nomad parent) still exists.</summary>
    private static bool TaskCgroupsLeft()
    {
        if (!Directory.Exists("/sys/fs/cgroup")) return false;
        foreach (var controller in Directory.EnumerateDirectories("/sys/fs/cgroup"))
        {
            var nomad = Path.Combine(controller, "nomad");
            if (Directory.Exists(nomad) && Directory.EnumerateDirectories(nomad, "*_sleep_0").Any()) return true;
        }
        return Directory.Exists("/sys/fs/cgroup/nomad") && Directory.EnumerateDirectories("/sys/fs/cgroup/nomad", "*_sleep_0").Any();
    }

    private static string Cmdline(int pid) { try { return File.ReadAllText($"/proc/{pid}/cmdline"); } catch (IOException) { return ""; } }

    private static int ParentOf(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1]);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return -1; }
    }

    private static long RssKb(int pid)
    {
        try
        {
            return File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:"))
                .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).FirstOrDefault();
        }
        catch (IOException) { return 0; }
    }

    private static async Task WaitAsync(Func<Task<bool>> condition, TimeSpan deadline, string what)
    {
        var clock = Stopwatch.StartNew();
        while (!await condition())
        {
            if (clock.Elapsed > deadline) throw new TimeoutException($"timed out after {deadline} waiting for {what}");
            await Task.Delay(20);
        }
    }
}
