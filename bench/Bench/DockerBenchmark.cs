using System.Diagnostics;
using System.Text.Json;
using Nomad.Contracts;

namespace Nomad.Bench;

/// <summary>
/// The docker driver from dist/plugins/docker against the local daemon, driven over its stdio as the agent does:
/// StartTask → running (p50/p99 of 20 containers from the local image local/busybox:1, network "none"), then 50
/// containers started and then stopped and destroyed, in wall time. Skipped (with the reason) without a healthy
/// daemon or the image. Real Nomad's docker driver cannot be measured here (no Nomad binary, no registry), so
/// the nomad column says so instead of a ratio.
/// </summary>
public sealed class DockerBenchmark : IBenchmark
{
    private const string Image = "local/busybox:1";
    private const string NotMeasured = "not measured here";

    public string Name => "docker";

    public async Task<IReadOnlyList<BenchRow>> RunAsync()
    {
        var exe = Path.Combine(BenchPaths.Root, "dist", "plugins", "docker", "nomad-driver-docker");
        if (!File.Exists(exe)) { Console.Error.WriteLine($"docker: skipped, {exe} not built (scripts/build docker)"); return []; }
        var psi = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var rpc = DriverServer.Connect(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.FingerprintChanged, new Action<DriverFingerprint>(_ => { }));
        rpc.StartListening();
        try
        {
            await rpc.InvokeAsync<ValidationResult>(PluginProtocol.Methods.SetConfig, JsonSerializer.SerializeToElement(new { }));
            var fp = await rpc.InvokeAsync<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
            if (fp.Health != DriverHealth.Healthy) { Console.Error.WriteLine($"docker: skipped, {fp.HealthDescription}"); return []; }

            var dir = Directory.CreateTempSubdirectory("nomad-bench-docker-").FullName;
            var run = Guid.NewGuid().ToString("N")[..8];
            TaskConfig Task(int i) => new()
            {
                ID = $"bench-{run}-{i}/t/0", Name = "t", AllocID = $"bench-{run}-{i}", JobName = "bench",
                AllocDir = Path.Combine(dir, $"a{i}"), TaskDir = Path.Combine(dir, $"a{i}", "t"),
                StdoutPath = Path.Combine(dir, $"a{i}", "alloc", "logs", "t.stdout"), StderrPath = Path.Combine(dir, $"a{i}", "alloc", "logs", "t.stderr"),
                DriverConfig = JsonSerializer.SerializeToElement(new { image = Image, command = "sleep", args = new[] { "3600" }, network_mode = "none" }),
            };

            // Warm-up: the first container pays for the daemon's caches and our JIT.
            var warm = Task(-1);
            await rpc.InvokeAsync<TaskHandle>(PluginProtocol.Methods.StartTask, warm);
            await rpc.InvokeAsync(PluginProtocol.Methods.DestroyTask, warm.ID, true);

            var starts = new List<double>();
            for (var i = 0; i < 20; i++)
            {
                var t = Task(i);
                var at = Stopwatch.GetTimestamp();
                await rpc.InvokeAsync<TaskHandle>(PluginProtocol.Methods.StartTask, t);
                starts.Add(Stopwatch.GetElapsedTime(at).TotalMilliseconds);
                await rpc.InvokeAsync(PluginProtocol.Methods.DestroyTask, t.ID, true);
            }
            starts.Sort();

            var batch = Enumerable.Range(100, 50).Select(Task).ToList();
            var clock = Stopwatch.StartNew();
            foreach (var t in batch) await rpc.InvokeAsync<TaskHandle>(PluginProtocol.Methods.StartTask, t);
            var started = clock.Elapsed.TotalSeconds;
            clock.Restart();
            // sleep as PID 1 ignores SIGTERM: a short timeout, then the kill, as a stop of such a task does.
            await System.Threading.Tasks.Task.WhenAll(batch.Select(t => rpc.InvokeAsync(PluginProtocol.Methods.StopTask, t.ID, 100L, "SIGTERM")));
            foreach (var t in batch) await rpc.InvokeAsync(PluginProtocol.Methods.DestroyTask, t.ID, false);
            var stopped = clock.Elapsed.TotalSeconds;
            try { Directory.Delete(dir, true); } catch (IOException) { }

            return
            [
                new(Name, "docker StartTask → running, p50 (local image)", starts[starts.Count / 2], "ms", "(report)", NotMeasured),
                new(Name, "docker StartTask → running, p99 (local image)", starts[^1], "ms", "(report)", NotMeasured),
                new(Name, "50 containers started, one after another", started, "s", "(report)", NotMeasured),
                new(Name, "50 containers stopped (100 ms timeout) and destroyed", stopped, "s", "(report)", NotMeasured),
            ];
        }
        finally { process.Kill(); }
    }
}
