using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;

namespace Nomad.Bench;

/// <summary>A dev agent on free loopback ports, timed from process start to its node being ready.</summary>
public sealed class DevAgent : IAsyncDisposable
{
    private readonly Process _process;
    private DevAgent(Process p, TimeSpan ready, int httpPort) { _process = p; ReadyAfter = ready; HttpPort = httpPort; }

    public TimeSpan ReadyAfter { get; }
    public int Pid => _process.Id;
    public int HttpPort { get; }

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
                    return new DevAgent(p, clock.Elapsed, ports[0]);
            }
            catch (HttpRequestException) { }
            await Task.Delay(5);
        }
        p.Kill();
        throw new TimeoutException("the dev agent's node was not ready within 30 s");
    }

    /// <summary>n ports free on loopback right now (ephemeral listeners, closed again).</summary>
    internal static int[] FreePorts(int n)
    {
        var ls = Enumerable.Range(0, n).Select(_ => { var l = new TcpListener(IPAddress.Loopback, 0); l.Start(); return l; }).ToList();
        var ports = ls.Select(l => ((IPEndPoint)l.LocalEndpoint).Port).ToArray();
        ls.ForEach(l => l.Stop());
        return ports;
    }

    /// <summary>
    /// Stops the agent with SIGTERM, so that it deletes its in-memory Raft directory (on /dev/shm, i.e. RAM: a killed
    /// agent leaves it behind, tens of MB after a load); kills it if it has not exited within 10 s.
    /// </summary>
    public async ValueTask DisposeAsync()
    {
        if (!_process.HasExited)
        {
            Kill(_process.Id, SigTerm);
            using var grace = new CancellationTokenSource(TimeSpan.FromSeconds(10));
            try { await _process.WaitForExitAsync(grace.Token); }
            catch (OperationCanceledException) { _process.Kill(); await _process.WaitForExitAsync(); }
        }
        _process.Dispose();
    }

    private const int SigTerm = 15;

    [System.Runtime.InteropServices.DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
