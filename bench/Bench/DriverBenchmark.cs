using System.Diagnostics;
using System.Text.Json;
using Nomad.Contracts;
using StreamJsonRpc;

namespace Nomad.Bench;

/// <summary>
/// The raw_exec and exec drivers from dist/plugins, driven over their stdio as the agent does: start → first
/// fingerprint, JSON-RPC round trip (1,000 PluginInfo calls), and StartTask → running (p50/p99 of 100 tasks).
/// exec needs root and cgroups; without them its rows are left out.
/// </summary>
public sealed class DriverBenchmark : IBenchmark
{
    public string Name => "driver";

    public async Task<IReadOnlyList<BenchRow>> RunAsync()
    {
        var rows = new List<BenchRow>(await RunDriverAsync("raw_exec", "nomad-driver-raw-exec", new { enabled = true }, includeRpc: true));
        if (Environment.UserName == "root") rows.AddRange(await RunDriverAsync("exec", "nomad-driver-exec", new { }, includeRpc: false));
        return rows;
    }

    private async Task<IReadOnlyList<BenchRow>> RunDriverAsync(string driver, string executable, object pluginConfig, bool includeRpc)
    {
        var exe = Path.Combine(BenchPaths.Root, "dist", "plugins", driver, executable);
        var clock = Stopwatch.StartNew();
        var psi = new ProcessStartInfo(exe) { RedirectStandardInput = true, RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        using var process = Process.Start(psi)!;
        process.ErrorDataReceived += (_, _) => { };
        process.BeginErrorReadLine();
        using var rpc = DriverServer.Connect(process.StandardInput.BaseStream, process.StandardOutput.BaseStream);
        rpc.AddLocalRpcMethod(PluginProtocol.Methods.FingerprintChanged, new Action<DriverFingerprint>(_ => { }));
        rpc.StartListening();
        await rpc.InvokeAsync<PluginInfo>(PluginProtocol.Methods.PluginInfo);
        await rpc.InvokeAsync<ValidationResult>(PluginProtocol.Methods.SetConfig, JsonSerializer.SerializeToElement(pluginConfig));
        var fingerprint = await rpc.InvokeAsync<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        var firstFingerprint = clock.Elapsed.TotalMilliseconds;
        if (fingerprint.Health != DriverHealth.Healthy)
        {
            Console.Error.WriteLine($"{driver}: skipped, {fingerprint.HealthDescription}");
            process.Kill();
            return [];
        }

        for (var i = 0; i < 100; i++) await rpc.InvokeAsync<PluginInfo>(PluginProtocol.Methods.PluginInfo);   // warm-up
        var rtts = new List<double>();
        for (var i = 0; i < 1000; i++)
        {
            var t = Stopwatch.GetTimestamp();
            await rpc.InvokeAsync<PluginInfo>(PluginProtocol.Methods.PluginInfo);
            rtts.Add(Stopwatch.GetElapsedTime(t).TotalMicroseconds);
        }

        var dir = Directory.CreateTempSubdirectory("nomad-bench-tasks-").FullName;
        var starts = new List<double>();
        var ids = new List<string>();
        for (var i = 0; i < 100; i++)
        {
            var task = new TaskConfig
            {
                ID = $"a{i}/t/0", Name = "t", AllocID = $"a{i}", TaskDir = Path.Combine(dir, $"a{i}"),
                DriverConfig = JsonSerializer.SerializeToElement(new { command = "/bin/sleep", args = new[] { "3600" } }),
            };
            var t = Stopwatch.GetTimestamp();
            await rpc.InvokeAsync<TaskHandle>(PluginProtocol.Methods.StartTask, task);
            starts.Add(Stopwatch.GetElapsedTime(t).TotalMilliseconds);
            ids.Add(task.ID);
        }
        foreach (var id in ids) await rpc.InvokeAsync(PluginProtocol.Methods.DestroyTask, id, true);
        process.Kill();

        rtts.Sort();
        starts.Sort();
        var rows = new List<BenchRow> { new(Name, $"{driver} driver start → first fingerprint", firstFingerprint, "ms", "(report)", "n/a") };
        if (includeRpc) rows.Add(new(Name, "JSON-RPC round trip, median of 1,000", rtts[rtts.Count / 2], "µs", "≤ 150 µs", "n/a (gRPC)"));
        var target = driver == "exec" ? "≤ 50 ms (p50)" : "(report)";
        // exec builds each task's chroot inside StartTask (read-only binds of chroot_env, nothing copied), so there is
        // no separate preparation step to report: the figure includes it.
        var label = driver == "exec" ? $"{driver} StartTask → running, p50 (chroot binds included)" : $"{driver} StartTask → running, p50";
        rows.Add(new(Name, label, starts[starts.Count / 2], "ms", target, "n/a"));
        rows.Add(new(Name, $"{driver} StartTask → running, p99", starts[(int)(starts.Count * 0.99)], "ms", "(report)", "n/a"));
        return rows;
    }
}
