namespace Nomad.Drivers.Shared;

/// <summary>The fields of <c>/proc/PID/stat</c> the driver uses.</summary>
public readonly record struct ProcStat(int Pid, char State, int PPid, int PGrp, int Session, ulong UTime, ulong STime, ulong StartTime, long RssPages)
{
    /// <summary>Zombie or dead: exited, whatever <c>kill(pid, 0)</c> says.</summary>
    public bool IsDead => State is 'Z' or 'X' or 'x';
}

/// <summary>Reading processes from /proc.</summary>
public static class ProcFs
{
    public static readonly long ClockTicks = Math.Max(1, Native.sysconf(Native._SC_CLK_TCK));
    public static readonly long PageSize = Math.Max(4096, Native.sysconf(Native._SC_PAGESIZE));

    public static ProcStat? Stat(int pid)
    {
        if (pid <= 0) return null;
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return null; }
        return Parse(pid, text);
    }

    /// <summary>Parses a stat line; the command name (field 2) may hold spaces and parentheses, so fields are counted from the last ')'.</summary>
    public static ProcStat? Parse(int pid, string text)
    {
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length) return null;
        var f = text[(close + 2)..].Split(' ');
        if (f.Length < 22) return null;
        // f[i] is field i+3: 3 state, 4 ppid, 5 pgrp, 6 session, 14 utime, 15 stime, 22 starttime, 24 rss
        return new ProcStat(pid, f[0][0], int.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]),
            ulong.Parse(f[11]), ulong.Parse(f[12]), ulong.Parse(f[19]), long.Parse(f[21]));
    }

    /// <summary>True when <paramref name="pid"/> runs (not a zombie) and started at <paramref name="startTime"/>: the same process, not a reused PID.</summary>
    public static bool IsAlive(int pid, ulong startTime) =>
        Stat(pid) is { } s && s.StartTime == startTime && !s.IsDead;

    /// <summary>True when <paramref name="pid"/> is the process that started at <paramref name="startTime"/>, even as a zombie.</summary>
    public static bool IsSame(int pid, ulong startTime) =>
        Stat(pid) is { } s && s.StartTime == startTime;

    /// <summary><paramref name="pid"/>'s descendants (not itself), through <c>/proc/PID/task/TID/children</c>.</summary>
    public static List<int> Descendants(int pid)
    {
        var result = new List<int>();
        var queue = new Queue<int>();
        queue.Enqueue(pid);
        var seen = new HashSet<int> { pid };
        while (queue.Count > 0)
        {
            var p = queue.Dequeue();
            foreach (var child in Children(p))
                if (seen.Add(child)) { result.Add(child); queue.Enqueue(child); }
        }
        return result;
    }

    private static IEnumerable<int> Children(int pid)
    {
        string[] tasks;
        try { tasks = Directory.GetDirectories($"/proc/{pid}/task"); }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { yield break; }
        foreach (var t in tasks)
        {
            string text;
            try { text = File.ReadAllText(Path.Combine(t, "children")); }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException) { continue; }
            foreach (var s in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                if (int.TryParse(s, out var c)) yield return c;
        }
    }

    /// <summary>VmSwap of a process in bytes, 0 when unknown.</summary>
    public static long SwapBytes(int pid)
    {
        try
        {
            foreach (var line in File.ReadLines($"/proc/{pid}/status"))
                if (line.StartsWith("VmSwap:", StringComparison.Ordinal))
                    return long.Parse(line.AsSpan(7).Trim().TrimEnd("kB").Trim()) * 1024;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or FormatException) { }
        return 0;
    }

    /// <summary>The first <c>cpu MHz</c> in /proc/cpuinfo, 0 when unknown.</summary>
    public static double CpuMHz()
    {
        try
        {
            foreach (var line in File.ReadLines("/proc/cpuinfo"))
                if (line.StartsWith("cpu MHz", StringComparison.Ordinal) &&
                    double.TryParse(line[(line.IndexOf(':') + 1)..].Trim(), System.Globalization.CultureInfo.InvariantCulture, out var mhz))
                    return mhz;
        }
        catch (IOException) { }
        return 0;
    }
}
