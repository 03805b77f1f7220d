using System.Diagnostics;
using System.Runtime;

namespace Nomad.Cli;

/// <summary>
/// With NOMAD_CLI_TRACE set, the CLI's cold-start cost on stderr at exit: per phase, milliseconds since Main, and how
/// many methods the JIT had compiled the time it had spent, and the garbage collections so far; and the time before Main (runtime start-up, from
/// the kernel's process start time, so to its 10 ms resolution). Off, it costs one environment lookup.
/// </summary>
internal static class StartupTrace
{
    // Null when tracing is off (no list to build, no generic instantiation to compile).
    private static readonly List<(string Phase, long Timestamp, long Methods, TimeSpan JitTime, int Gcs)>? Marks =
        Environment.GetEnvironmentVariable("NOMAD_CLI_TRACE") is { Length: > 0 } ? [] : null;

    /// <summary>Notes that <paramref name="phase"/> is reached (cheap: the figures are printed by <see cref="Report"/>).</summary>
    public static void Mark(string phase)
    {
        Marks?.Add((phase, Stopwatch.GetTimestamp(), JitInfo.GetCompiledMethodCount(), JitInfo.GetCompilationTime(), GC.CollectionCount(0)));
    }

    /// <summary>Marks the exit and prints every phase.</summary>
    public static void Report()
    {
        if (Marks is not { Count: > 0 }) return;
        Mark("exit");
        var main = Marks[0].Timestamp;
        var sinceMain = Stopwatch.GetElapsedTime(main);
        var beforeMain = DateTime.Now - Process.GetCurrentProcess().StartTime - sinceMain;
        Console.Error.WriteLine($"trace: before main ~{beforeMain.TotalMilliseconds:F0} ms (runtime start-up)");
        foreach (var (phase, timestamp, methods, jitTime, gcs) in Marks)
        {
            Console.Error.WriteLine(
                $"trace: {Stopwatch.GetElapsedTime(main, timestamp).TotalMilliseconds,7:F1} ms  {phase,-12} " +
                $"jit {methods,5} methods {jitTime.TotalMilliseconds,6:F1} ms  gc {gcs}");
        }
    }
}
