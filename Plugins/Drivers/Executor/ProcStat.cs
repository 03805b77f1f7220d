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

    /// <summary>Every process whose session is <paramref name="sid"/>.</summary>
    public static List<int> SessionMembers(int sid)
    {
        var pids = new List<int>();
        foreach (var d in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(d.AsSpan()), out var pid)) continue;
            if (Read(pid) is { } st && st.Session == sid) pids.Add(pid);
        }
        return pids;
    }
}
