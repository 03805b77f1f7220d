using System.Diagnostics;
using System.Runtime.InteropServices;

namespace Nomad.Drivers.RawExec.Tests.Harness;

/// <summary>Looking at and signalling processes the way the tests need.</summary>
public static class Os
{
    [DllImport("libc", SetLastError = true)] private static extern int kill(int pid, int sig);
    [DllImport("libc", SetLastError = true)] private static extern int mkfifo(string path, int mode);

    public static bool Kill(int pid, int sig) => kill(pid, sig) == 0;

    public static void MkFifo(string path)
    {
        if (mkfifo(path, 0b110_000_000) != 0) throw new IOException($"mkfifo {path}: errno {Marshal.GetLastPInvokeError()}");
    }

    /// <summary>(state, start time) from /proc/PID/stat, or null when the process is gone.</summary>
    public static (char State, ulong StartTime, int PGrp, int Session)? Stat(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        var f = text[(text.LastIndexOf(')') + 2)..].Split(' ');
        return (f[0][0], ulong.Parse(f[19]), int.Parse(f[2]), int.Parse(f[3]));
    }

    /// <summary>Running (not a zombie) — and, when given, the same process (start time), not a reused PID.</summary>
    public static bool IsRunning(int pid, ulong? startTime = null) =>
        Stat(pid) is { } s && s.State is not ('Z' or 'X') && (startTime is null || s.StartTime == startTime);

    /// <summary>Polls <paramref name="condition"/> until it holds or <paramref name="timeout"/> passes (then fails the test).</summary>
    public static async Task Eventually(Func<bool> condition, string what, TimeSpan? timeout = null)
    {
        var deadline = Stopwatch.StartNew();
        var limit = timeout ?? TimeSpan.FromSeconds(15);
        while (!condition())
        {
            if (deadline.Elapsed > limit) Assert.Fail($"timed out after {limit.TotalSeconds:0.#} s waiting for: {what}");
            await Task.Delay(20);
        }
    }

    /// <summary>Writes <paramref name="text"/> into a FIFO a task reads (opening blocks until the task opens it), with a deadline.</summary>
    public static async Task WriteFifo(string path, string text) =>
        await Task.Run(() => File.WriteAllText(path, text)).WaitAsync(TimeSpan.FromSeconds(15));
}
