namespace Nomad.IntegrationTests.Harness;

/// <summary>Processes of this machine, from /proc: finding a task by a marker in its command line, liveness.</summary>
public static class HostProcesses
{
    /// <summary>PIDs of live processes whose command line has an argument equal to <paramref name="marker"/>.</summary>
    public static IReadOnlyList<int> WithArgument(string marker)
    {
        var found = new List<int>();
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (!int.TryParse(Path.GetFileName(dir), out var pid)) continue;
            try
            {
                var args = File.ReadAllText(Path.Combine(dir, "cmdline")).Split('\0');
                if (args.Contains(marker) && Alive(pid)) found.Add(pid);
            }
            catch (IOException) { } // gone meanwhile
            catch (UnauthorizedAccessException) { }
        }
        return found;
    }

    /// <summary>Whether <paramref name="pid"/> runs (a zombie, waiting for its parent to reap it, does not).</summary>
    public static bool Alive(int pid)
    {
        try
        {
            var stat = File.ReadAllText($"/proc/{pid}/stat");
            return stat[stat.LastIndexOf(')') + 2] != 'Z';
        }
        catch (IOException) { return false; }
    }

    /// <summary>Kills what a test left running (its tasks outlive the agent by design).</summary>
    public static void Kill(IEnumerable<int> pids)
    {
        foreach (var pid in pids)
        {
            try { System.Diagnostics.Process.GetProcessById(pid).Kill(); }
            catch (ArgumentException) { }
            catch (InvalidOperationException) { }
        }
    }
}
