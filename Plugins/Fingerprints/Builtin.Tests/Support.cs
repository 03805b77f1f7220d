using System.Collections.Concurrent;
using System.Diagnostics;

namespace Nomad.Fingerprints.Tests;

/// <summary>Runs a fingerprinter with a request whose log lines are kept.</summary>
internal sealed class Run
{
    public ConcurrentQueue<(string Level, string Message)> Lines { get; } = new();
    public FingerprintResponse Response { get; private set; } = FingerprintResponse.NotDetected;
    public TimeSpan Elapsed { get; private set; }

    public static async Task<Run> OfAsync(IFingerprintPlugin fp, FingerprintRequest? request = null)
    {
        var run = new Run();
        var req = (request ?? new FingerprintRequest()) with { Log = (level, msg) => run.Lines.Enqueue((level, msg)) };
        var sw = Stopwatch.StartNew();
        run.Response = await fp.FingerprintAsync(req);
        run.Elapsed = sw.Elapsed;
        return run;
    }

    public string Attr(string name)
    {
        Assert.That(Response.Attributes, Does.ContainKey(name), $"attribute {name}; have: {string.Join(", ", Response.Attributes.Keys)}");
        return Response.Attributes[name]!;
    }

    public bool Logged(string level, string message) => Lines.Contains((level, message));

    public string LogText => string.Join("\n", Lines.Select(l => $"[{l.Level}] {l.Message}"));
}

/// <summary>Runs a command of the machine, to cross-check a fingerprint independently.</summary>
internal static class Sh
{
    public static string Run(string file, params string[] args)
    {
        var psi = new ProcessStartInfo(file, args)
        {
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        using var p = Process.Start(psi)!;
        var output = p.StandardOutput.ReadToEnd();
        p.StandardError.ReadToEnd();
        p.WaitForExit();
        Assert.That(p.ExitCode, Is.Zero, $"{file} {string.Join(' ', args)}");
        return output.Trim();
    }
}
