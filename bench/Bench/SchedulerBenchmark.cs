using System.Collections.Concurrent;
using System.Diagnostics;
using Nomad.Agent.Logging;
using Nomad.Agent.Scheduler;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Bench;

/// <summary>
/// The service scheduler on simulated nodes (state only, no processes): every job's registration evaluation
/// runs through the real scheduler, Environment.ProcessorCount workers in parallel, with plans checked and
/// applied one at a time by a <see cref="SnapshotPlanner"/> as at the leader. Reports placements per second
/// and evaluation latency at 100, 1,000 and 5,000 nodes (the last with 1,000 jobs × 100 allocations), each
/// size once with bin-packing alone and once with a 70/30 spread over two datacenters and a rack affinity
/// (Nomad then scores at least 100 nodes per placement instead of log2 of them).
/// </summary>
public sealed class SchedulerBenchmark : IBenchmark
{
    private const int AllocsPerJob = 100;

    public string Name => "scheduler";

    public async Task<IReadOnlyList<BenchRow>> RunAsync()
    {
        var rows = new List<BenchRow>();
        await RunScenarioAsync(100, 20, warmUpOnly: true);   // JIT warm-up
        // NOMAD_BENCH_SCHEDULER_NODES=5000 runs one size only (for profiling).
        var only = int.TryParse(Environment.GetEnvironmentVariable("NOMAD_BENCH_SCHEDULER_NODES"), out var n) ? n : 0;
        // NOMAD_BENCH_SCHEDULER_SOFT=only (or =none) runs only the spread + affinity scenarios (or none of them).
        var softMode = Environment.GetEnvironmentVariable("NOMAD_BENCH_SCHEDULER_SOFT") ?? "";
        var softs = softMode switch { "only" => new[] { true }, "none" => new[] { false }, _ => new[] { false, true } };
        foreach (var (nodes, jobs) in new[] { (100, 20), (1_000, 200), (5_000, 1_000) }.Where(s => only == 0 || s.Item1 == only))
        foreach (var soft in softs)
        {
            var (rate, p50, p99, placed, failedEvals) = await RunScenarioAsync(nodes, jobs, warmUpOnly: false, soft);
            var label = $"{nodes:N0} nodes, {jobs:N0} jobs × {AllocsPerJob}{(soft ? ", spread + affinity" : "")}";
            Console.Error.WriteLine($"scheduler: {label}: {placed} placed, {rate:0} placements/s, p50 {p50:0.0} ms, p99 {p99:0.0} ms, {failedEvals} evals not fully placed");
            var target = nodes == 5_000 && !soft ? "≥ 3,750/s" : "";
            rows.Add(new(Name, $"placements/s ({label})", rate, "/s", target, nodes == 5_000 && !soft ? "C1M: 1M allocs on 5,000 nodes in < 5 min" : ""));
            rows.Add(new(Name, $"eval latency p50 ({label})", p50, "ms", "", ""));
            rows.Add(new(Name, $"eval latency p99 ({label})", p99, "ms", "", ""));
        }
        return rows;
    }

    private static async Task<(double Rate, double P50, double P99, int Placed, int FailedEvals)> RunScenarioAsync(int nodeCount, int jobCount, bool warmUpOnly, bool soft = false)
    {
        var setup = Stopwatch.StartNew();
        var state = StateSnapshot.Empty;
        ulong index = 0;
        for (var i = 0; i < nodeCount; i++) state = StateApplier.Apply(state, ++index, new NodeRegisterCommand(SimulatedNode(i), null));
        var evals = new List<Evaluation>(jobCount);
        for (var j = 0; j < jobCount; j++)
        {
            var job = ServiceJob($"bench-{j}", soft);
            var eval = new Evaluation
            {
                ID = Guid.NewGuid().ToString(), Type = JobType.Service, Priority = job.Priority, JobID = job.ID,
                TriggeredBy = EvalTrigger.JobRegister, Status = EvalStatus.Pending,
            };
            state = StateApplier.Apply(state, ++index, new JobRegisterCommand(job, eval, UnixNanos.Now()));
            evals.Add(state.EvalById(eval.ID)!);
        }

        if (!warmUpOnly) Console.Error.WriteLine($"scheduler: {nodeCount} nodes: cluster and jobs set up in {setup.Elapsed.TotalSeconds:0.0} s");
        var planner = new SnapshotPlanner(state);
        var timing = new TimingPlanner(planner);
        var queue = new ConcurrentQueue<Evaluation>(evals);
        var latencies = new ConcurrentBag<double>();
        var clock = Stopwatch.StartNew();
        var workers = Enumerable.Range(0, Environment.ProcessorCount).Select(_ => Task.Run(async () =>
        {
            while (queue.TryDequeue(out var eval))
            {
                var start = Stopwatch.GetTimestamp();
                await Schedulers.Create(eval.Type, planner.State, timing, Logger.Null).ProcessAsync(eval, CancellationToken.None);
                latencies.Add(Stopwatch.GetElapsedTime(start).TotalMilliseconds);
            }
        })).ToArray();
        await Task.WhenAll(workers);
        var seconds = clock.Elapsed.TotalSeconds;

        var final = planner.State;
        Console.Error.WriteLine($"scheduler: {nodeCount} nodes: {seconds:0.0} s wall, {timing.Elapsed.TotalSeconds:0.0} s in planner calls (summed over {Environment.ProcessorCount} workers)");
        var placed = final.Allocs.Count;
        var failedEvals = evals.Count(e => final.EvalById(e.ID) is { } x && (x.Status != EvalStatus.Complete || x.BlockedEval.Length > 0));
        if (!warmUpOnly) CheckNoOvercommit(final);
        if (!warmUpOnly && soft) ReportSpread(final);
        var sorted = latencies.OrderBy(x => x).ToList();
        return (placed / seconds, Percentile(sorted, 0.50), Percentile(sorted, 0.99), placed, failedEvals);
    }

    private static void CheckNoOvercommit(StateSnapshot s)
    {
        foreach (var node in s.Nodes.Values)
        {
            var fit = NodeFit.Check(node, s.AllocsForNode(node.ID));
            if (!fit.Fits) throw new InvalidOperationException($"node {node.Name} overcommitted: {fit.Dimension}");
        }
    }

    /// <summary>How the 70/30 spread came out over all jobs (a sanity check that the scores took effect).</summary>
    private static void ReportSpread(StateSnapshot s)
    {
        var byDc = s.Allocs.Values.GroupBy(a => s.NodeById(a.NodeID)!.Datacenter).ToDictionary(g => g.Key, g => g.Count());
        var total = Math.Max(1, byDc.Values.Sum());
        Console.Error.WriteLine($"scheduler: spread: {string.Join(", ", byDc.OrderBy(p => p.Key).Select(p => $"{p.Key} {100.0 * p.Value / total:0.0}%"))}");
    }

    private static double Percentile(List<double> sorted, double p) =>
        sorted.Count == 0 ? 0 : sorted[Math.Min(sorted.Count - 1, (int)Math.Ceiling(p * sorted.Count) - 1)];

    private static Node SimulatedNode(int i) => new()
    {
        ID = Guid.NewGuid().ToString(),
        Name = $"sim-{i}",
        Datacenter = i % 2 == 0 ? "dc1" : "dc2",
        Status = NodeStatus.Ready,
        Attributes = new() { ["kernel.name"] = "linux", ["cpu.arch"] = "amd64", ["unique.hostname"] = $"sim-{i}" },
        Meta = new() { ["rack"] = $"r{i % 10}" },
        Drivers = new() { ["mock"] = new DriverInfo { Detected = true, Healthy = true } },
        NodeResources = new NodeResources
        {
            Cpu = new NodeCpuResources { CpuShares = 4000 },
            Memory = new NodeMemoryResources { MemoryMB = 8192 },
            Disk = new NodeDiskResources { DiskMB = 100_000 },
            Networks = [new NetworkResource { Device = "eth0", IP = $"10.{i / 65536 % 256}.{i / 256 % 256}.{i % 256}", CIDR = "", MBits = 1000 }],
        },
    };

    private static Job ServiceJob(string id, bool soft) => new()
    {
        ID = id, Name = id, Type = JobType.Service, Datacenters = ["dc1", "dc2"],
        Constraints = [new Constraint { LTarget = "${attr.kernel.name}", Operand = "=", RTarget = "linux" }],
        Spreads = soft
            ? [new Spread { Attribute = "${node.datacenter}", Weight = 100, SpreadTarget = [new SpreadTarget { Value = "dc1", Percent = 70 }, new SpreadTarget { Value = "dc2", Percent = 30 }] }]
            : null,
        Affinities = soft ? [new Affinity { LTarget = "${meta.rack}", Operand = "set_contains_any", RTarget = "r1,r2", Weight = 50 }] : null,
        TaskGroups =
        [
            new TaskGroup
            {
                Name = "web", Count = AllocsPerJob, EphemeralDisk = new EphemeralDisk { SizeMB = 100 },
                ReschedulePolicy = ReschedulePolicy.ServiceDefault,
                Tasks =
                [
                    new JobTask
                    {
                        Name = "server", Driver = "mock",
                        Resources = new Resources { CPU = 100, MemoryMB = 256, Networks = [new NetworkResource { MBits = 1, DynamicPorts = [new Port { Label = "http" }] }] },
                    },
                ],
            },
        ],
    };
}
