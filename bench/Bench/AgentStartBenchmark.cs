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

/// <summary>A dev agent on free loopback ports, timed from process start to its node being ready.</summary>
public sealed class DevAgent : IAsyncDisposable
{
    private readonly Process _process;
    private DevAgent(Process p, TimeSpan ready) { _process = p; ReadyAfter = ready; }

    public TimeSpan ReadyAfter { get; }
    public int Pid => _process.Id;

    public static async Task<DevAgent> StartAsync()
    {
        var ports = FreePorts(3);
        var dir = Directory.CreateTempSubdirectory("nomad-bench-").FullName;
        var config = Path.Combine(dir, "ports.hcl");
        await File.WriteAllTextAsync(config, $"ports {{\n  http = {ports[0]}\n  rpc = {ports[1]}\n  serf = {ports[2]}\n}}\n");
        var psi = new ProcessStartInfo(BenchPaths.Nomad) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "agent", "-dev", $"-config={config}", "-log-level=WARN" }) psi.ArgumentList.Add(a);
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{ports[0]}") };
        var clock = Stopwatch.StartNew();
        var p = Process.Start(psi)!;
        p.OutputDataReceived += (_, _) => { };
        p.ErrorDataReceived += (_, _) => { };
        p.BeginOutputReadLine();
        p.BeginErrorReadLine();
        while (clock.Elapsed < TimeSpan.FromSeconds(30))
        {
            try
            {
                var nodes = JsonDocument.Parse(await http.GetStringAsync("/v1/nodes")).RootElement;
                if (nodes.EnumerateArray().Any(n => n.GetProperty("Status").GetString() == "ready"))
                    return new DevAgent(p, clock.Elapsed);
            }
            catch (HttpRequestException) { }
            await Task.Delay(5);
        }
        p.Kill();
        throw new TimeoutException("the dev agent's node was not ready within 30 s");
    }

    private static int[] FreePorts(int n)
    {
        var ls = Enumerable.Range(0, n).Select(_ => { var l = new TcpListener(IPAddress.Loopback, 0); l.Start(); return l; }).ToList();
        var ports = ls.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        ls.ForEach(l => l.Stop());
        return ports;
    }

    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited) { _process.Kill(); await _process.WaitForExitAsync(); }
        _process.Dispose();
    }
}
