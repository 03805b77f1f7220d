namespace Nomad.Executor;

/// <summary>The few fields of <c>/proc/PID/stat</c> the shim needs.</summary>
internal readonly record struct ProcStat(int Pid, char State, int PPid, int PGrp, int Session, ulong StartTime)
{
    /// <summary>Reads <c>/proc/PID/stat</c>; null when the process is gone.</summary>
    public static ProcStat? Read(int pid)
    {
        string text;
        try { text = File.ReadAllText($"/proc/{pid}/stat"); }
        catch (IOException) { return null; }
        catch (UnauthorizedAccessException) { return null; }
        return Parse(pid, text);
    }

    /// <summary>Fields after the command name (which may hold spaces and parentheses): 3 state, 4 ppid, 5 pgrp, 6 session, 22 starttime.</summary>
    public static ProcStat? Parse(int pid, string text)
    {
        int close = text.LastIndexOf(')');
        if (close < 0 || close + 2 >= text.Length) return null;
        var f = text[(close + 2)..].Split(' ');
        if (f.Length < 20) return null;
        return new ProcStat(pid, f[0][0], int.Parse(f[1]), int.Parse(f[2]), int.Parse(f[3]), ulong.Parse(f[19]));
    }

    /// <summary>Our children (zombies included): <c>/proc/self/task/*/children</c>, or a /proc scan where the kernel lacks that file.</summary>
    public static List<int> Children()
    {
        var kids = new List<int>();
        try
        {
            foreach (var t in Directory.EnumerateDirectories("/proc/self/task"))
            {
                var text = File.ReadAllText(t + "/children");
                foreach (var s in text.Split(' ', StringSplitOptions.RemoveEmptyEntries))
                    if (int.TryParse(s, out var pid)) kids.Add(pid);
            }
            return kids;
        }
        catch (IOException) { kids.Clear(); }
        int self = Environment.ProcessId;
        foreach (var d in Directory.EnumerateDirectories("/proc"))
            if (int.TryParse(Path.GetFileName(d.AsSpan()), out var pid) && Read(pid) is { } st && st.PPid == self) kids.Add(pid);
        return kids;
    }
}
