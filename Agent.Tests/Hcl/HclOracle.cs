using System.Diagnostics;
using System.Text.Json;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// Runs the reference parser (@cdktf/hcl2json, installed by scripts/install-test-deps) over many files in
/// one node process. <see cref="Unavailable"/> says why it cannot run, so tests can be ignored, not passed.
/// </summary>
internal sealed class HclOracle
{
    public static string Dir => Path.Combine(TestPaths.TestsDir, "Hcl", "oracle");

    /// <summary>Why the oracle cannot run (no node, not installed), or null if it can.</summary>
    public static string? Unavailable()
    {
        if (!File.Exists(Path.Combine(Dir, "node_modules", "@cdktf", "hcl2json", "package.json")))
            return "HCL oracle not installed: run scripts/install-test-deps";
        try
        {
            using var p = Process.Start(new ProcessStartInfo("node", "--version") { RedirectStandardOutput = true, RedirectStandardError = true });
            p!.WaitForExit(30_000);
            return p.ExitCode == 0 ? null : "node --version failed";
        }
        catch (Exception e) when (e is System.ComponentModel.Win32Exception or InvalidOperationException)
        {
            return "node is not installed: " + e.Message;
        }
    }

    /// <summary>Converts each file; the value is the oracle's JSON, or an error string it gave.</summary>
    public static Dictionary<string, (JsonElement? Json, string? Error)> Convert(IReadOnlyList<string> files)
    {
        var psi = new ProcessStartInfo("node") { RedirectStandardOutput = true, RedirectStandardError = true, WorkingDirectory = Dir };
        psi.ArgumentList.Add(Path.Combine(Dir, "hcl2json.js"));
        // A lone file would be printed bare; a dummy second argument keeps the batch shape.
        foreach (var f in files.Count == 1 ? [files[0], files[0]] : files) psi.ArgumentList.Add(f);
        using var p = Process.Start(psi)!;
        var stdout = p.StandardOutput.ReadToEndAsync();
        var stderr = p.StandardError.ReadToEndAsync();
        if (!p.WaitForExit(120_000))
        {
            p.Kill();
            throw new TimeoutException("hcl2json oracle took over 120 s");
        }
        if (p.ExitCode != 0) throw new InvalidOperationException($"hcl2json oracle failed ({p.ExitCode}): {stderr.Result}");

        using var doc = JsonDocument.Parse(stdout.Result);
        var result = new Dictionary<string, (JsonElement?, string?)>();
        foreach (var entry in doc.RootElement.EnumerateObject())
        {
            result[entry.Name] = entry.Value.TryGetProperty("error", out var err)
                ? (null, err.GetString())
                : (entry.Value.GetProperty("json").Clone(), null);
        }
        return result;
    }
}
