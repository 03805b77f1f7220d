using System.Diagnostics;
using Nomad.Agent.Jobspec;

namespace Nomad.Bench;

/// <summary>
/// Job files: parse + evaluate + decode throughput of a ~200-line HCL2 job file with variables, locals, functions and
/// dynamic blocks (in process, after warm-up), and the wall time of `nomad job run -output` on it from a cold start
/// of the CLI (a new process each time, as a user runs it).
/// </summary>
public sealed class JobspecBenchmark : IBenchmark
{
    public string Name => "jobspec";

    private const int ColdRuns = 11;

    public static string JobFilePath => Path.Combine(BenchPaths.Root, "bench", "Bench", "jobspec-bench.nomad.hcl");

    public async Task<IReadOnlyList<BenchRow>> RunAsync()
    {
        var source = await File.ReadAllTextAsync(JobFilePath);
        var options = new JobFileOptions { AllowFileSystem = true, Vars = new Dictionary<string, string> { ["replicas"] = "4" } };

        for (var i = 0; i < 50; i++) JobFile.ParseToApiJson(source, JobFilePath, options, canonicalize: true);
        var clock = Stopwatch.StartNew();
        var parses = 0;
        while (clock.Elapsed < TimeSpan.FromSeconds(3))
        {
            JobFile.ParseToApiJson(source, JobFilePath, options, canonicalize: true);
            parses++;
        }
        double perSecond = parses / clock.Elapsed.TotalSeconds;

        var cold = new List<double>();
        for (var i = 0; i < ColdRuns; i++) cold.Add(await RunOutputAsync());
        cold.Sort();

        return
        [
            new(Name, "parse + decode + canonicalize, 217-line HCL2 file", perSecond, "files/s", "—", "not measured here"),
            new(Name, "`job run -output` from cold CLI start (median of 11)", cold[cold.Count / 2], "ms", "≤ 150 ms", "not measured here"),
            new(Name, "`job run -output` from cold CLI start (worst of 11)", cold[^1], "ms", "≤ 150 ms", "not measured here"),
        ];
    }

    private static async Task<double> RunOutputAsync()
    {
        var psi = new ProcessStartInfo(BenchPaths.Nomad) { RedirectStandardOutput = true, RedirectStandardError = true, UseShellExecute = false };
        foreach (var a in new[] { "job", "run", "-output", "-var", "replicas=4", JobFilePath }) psi.ArgumentList.Add(a);
        var clock = Stopwatch.StartNew();
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        await p.WaitForExitAsync();
        var elapsed = clock.Elapsed.TotalMilliseconds;
        if (p.ExitCode != 0) throw new InvalidOperationException($"nomad job run -output failed ({p.ExitCode}): {await stderr}");
        await stdout;
        return elapsed;
    }
}
