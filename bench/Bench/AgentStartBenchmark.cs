using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Nomad.Bench;

/// <summary>`nomad agent -dev`: start → node ready in /v1/nodes (median of several starts), and RSS after 30 s idle.</summary>
public sealed class AgentStartBenchmark : IBenchmark
{
    public string Name => "agent-start";

    private const int Starts = 5;

    public async Task<IReadOnlyList<BenchRow>> RunAsync()
    {
        var times = new List<double>();
        for (var i = 0; i < Starts; i++)
        {
            await using var agent = await DevAgent.StartAsync();
            times.Add(agent.ReadyAfter.TotalMilliseconds);
        }
        times.Sort();

        await using var idle = await DevAgent.StartAsync();
        await Task.Delay(TimeSpan.FromSeconds(30));
        var rssMb = ReadRssKb(idle.Pid) / 1024.0;

        return
        [
            new(Name, "start → node ready (median of 5)", times[times.Count / 2], "ms", "≤ 500 ms", "1.7–2.2 s"),
            new(Name, "start → node ready (worst of 5)", times[^1], "ms", "≤ 500 ms", "1.7–2.2 s"),
            new(Name, "idle RSS after 30 s", rssMb, "MB", "≤ 57 MB (aim 40)", "21 MB (0.4.1), 57 MB (0.11.8)"),
        ];
    }

    private static long ReadRssKb(int pid) =>
        File.ReadLines($"/proc/{pid}/status").Where(l => l.StartsWith("VmRSS:"))
            .Select(l => long.Parse(l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1])).Single();
}
