using System.Text.Json;

namespace Nomad.Bench;

/// <summary>
/// Runs the benchmarks named on the command line (all by default), prints one table and writes
/// bench/results/&lt;benchmark&gt;.json. Usage: nomad-bench [name...]
/// </summary>
public static class Program
{
    private static readonly IBenchmark[] All = [new AgentStartBenchmark(), new DriverBenchmark(), new SchedulerBenchmark(), new JobCountBenchmark(), new JobCountBenchmark("exec"), new DockerBenchmark(), new ClusterBenchmark(), new MemoryBenchmark(), new JobspecBenchmark()];

    public static async Task<int> Main(string[] args)
    {
        var selected = args.Length == 0 ? All : All.Where(b => args.Contains(b.Name)).ToArray();
        if (selected.Length == 0)
        {
            Console.Error.WriteLine($"unknown benchmark; choose from: {string.Join(", ", All.Select(b => b.Name))}");
            return 1;
        }
        var rows = new List<BenchRow>();
        foreach (var b in selected)
        {
            Console.Error.WriteLine($"==> running {b.Name}");
            var result = await b.RunAsync();
            rows.AddRange(result);
            var dir = Path.Combine(BenchPaths.Root, "bench", "results");
            Directory.CreateDirectory(dir);
            await File.WriteAllTextAsync(Path.Combine(dir, b.Name + ".json"), JsonSerializer.Serialize(result, new JsonSerializerOptions { WriteIndented = true }));
        }
        BenchTable.Print(rows);
        return 0;
    }
}
