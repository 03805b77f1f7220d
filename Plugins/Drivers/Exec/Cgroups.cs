using Nomad.Contracts;
using Nomad.Drivers.Shared;

namespace Nomad.Drivers.Exec;

/// <summary>
/// Per-task cgroups, <c>nomad/ID</c>. cgroups v1 (separate hierarchies, as on our machines): one directory in each of
/// the memory, cpu, cpuacct and pids hierarchies (deduplicated when controllers share one, as in <c>cpu,cpuacct</c>);
/// limits <c>memory.limit_in_bytes</c>, <c>cpu.shares</c>, <c>pids.max</c>. cgroups v2 (unified, with memory and pids
/// available): one directory, <c>memory.max</c>, <c>cpu.weight</c>, <c>pids.max</c>, killed with <c>cgroup.kill</c>.
/// </summary>
internal sealed class Cgroups
{
    private const string Mount = "/sys/fs/cgroup";
    private const long MiB = 1024 * 1024;
    public int Version { get; }
    /// <summary>v1: controller name → hierarchy root; v2: "" → the unified root.</summary>
    private readonly Dictionary<string, string> _roots;

    private Cgroups(int version, Dictionary<string, string> roots) { Version = version; _roots = roots; }

    /// <summary>
    /// v1 when the memory, cpu, cpuacct and pids hierarchies are mounted (read from /proc/self/mountinfo); else v2
    /// when the unified hierarchy at /sys/fs/cgroup offers memory and pids; else null.
    /// </summary>
    public static Cgroups? Detect()
    {
        var v1 = new Dictionary<string, string>();
        try
        {
            foreach (var line in File.ReadLines("/proc/self/mountinfo"))
            {
                var sep = line.IndexOf(" - ", StringComparison.Ordinal);
                if (sep < 0) continue;
                var after = line[(sep + 3)..].Split(' ');
                if (after.Length < 3 || after[0] != "cgroup") continue;
                var mountPoint = line[..sep].Split(' ')[4];
                foreach (var opt in after[2].Split(','))
                    if (opt is "memory" or "cpu" or "cpuacct" or "pids") v1.TryAdd(opt, mountPoint);
            }
        }
        catch (IOException) { }
        if (v1.ContainsKey("memory") && v1.ContainsKey("pids")) return new Cgroups(1, v1);
        try
        {
            var ctrls = File.ReadAllText(Path.Combine(Mount, "cgroup.controllers")).Split(' ', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            if (ctrls.Contains("memory") && ctrls.Contains("pids")) return new Cgroups(2, new() { [""] = Mount });
        }
        catch (IOException) { }
        return null;
    }

    /// <summary>Creates the task's cgroups with its limits; returns their directories and the memory one.</summary>
    public (string[] Dirs, string Memory) Create(string name, TaskResources r, long pidsLimit)
    {
        long memMB = Math.Max(r.MemoryMB, r.MemoryMaxMB);
        if (Version == 2)
        {
            var root = _roots[""];
            Enable(root);
            var parent = Path.Combine(root, "nomad");
            Directory.CreateDirectory(parent);
            Enable(parent);
            var dir = Path.Combine(parent, name);
            Directory.CreateDirectory(dir);
            if (memMB > 0) Write(dir, "memory.max", (memMB * MiB).ToString());
            if (r.MemoryMaxMB > r.MemoryMB && r.MemoryMB > 0) Write(dir, "memory.low", (r.MemoryMB * MiB).ToString());
            Write(dir, "memory.swap.max", "0", optional: true);
            // cpu.shares (2..262144) → cpu.weight (1..10000), as runc converts.
            var shares = Math.Clamp(r.CpuShares, 2, 262144);
            Write(dir, "cpu.weight", (1 + (shares - 2) * 9999 / 262142).ToString(), optional: true);
            if (pidsLimit > 0) Write(dir, "pids.max", pidsLimit.ToString());
            return ([dir], dir);
        }
        var dirs = new List<string>();
        string memory = "";
        var seen = new HashSet<string>();
        try
        {
            foreach (var (ctrl, root) in _roots)
            {
                if (!seen.Add(root)) continue; // cpu,cpuacct in one hierarchy: one directory
                var dir = Path.Combine(root, "nomad", name);
                Directory.CreateDirectory(dir);
                dirs.Add(dir);
                if (File.Exists(Path.Combine(dir, "memory.limit_in_bytes")))
                {
                    memory = dir;
                    if (memMB > 0)
                    {
                        Write(dir, "memory.limit_in_bytes", (memMB * MiB).ToString());
                        Write(dir, "memory.memsw.limit_in_bytes", (memMB * MiB).ToString(), optional: true); // no swapping past the limit
                        if (r.MemoryMaxMB > r.MemoryMB && r.MemoryMB > 0) Write(dir, "memory.soft_limit_in_bytes", (r.MemoryMB * MiB).ToString(), optional: true);
                    }
                }
                if (File.Exists(Path.Combine(dir, "cpu.shares"))) Write(dir, "cpu.shares", Math.Max(2, r.CpuShares).ToString());
                if (pidsLimit > 0 && File.Exists(Path.Combine(dir, "pids.max"))) Write(dir, "pids.max", pidsLimit.ToString());
            }
        }
        catch { Remove(dirs); throw; } // half-made: leave nothing behind
        return (dirs.ToArray(), memory);
    }

    /// <summary>SIGKILLs every process in the cgroups (v2: cgroup.kill) until they are empty or 5 s pass.</summary>
    public static void Kill(IReadOnlyCollection<string> dirs)
    {
        if (dirs.Count == 0) return;
        var deadline = Environment.TickCount64 + 5000;
        while (true)
        {
            bool any = false;
            foreach (var dir in dirs)
            {
                if (!Directory.Exists(dir)) continue;
                if (File.Exists(Path.Combine(dir, "cgroup.kill"))) Write(dir, "cgroup.kill", "1", optional: true);
                foreach (var pid in Procs(dir)) { any = true; Native.Kill(pid, Native.SIGKILL); }
            }
            if (!any || Environment.TickCount64 > deadline) return;
            Thread.Sleep(10); // the kernel needs a moment to take killed processes out of cgroup.procs
        }
    }

    /// <summary>Kills what is left and removes the directories.</summary>
    public static void Remove(IReadOnlyCollection<string> dirs)
    {
        Kill(dirs);
        foreach (var dir in dirs)
        {
            var deadline = Environment.TickCount64 + 2000;
            while (Directory.Exists(dir))
            {
                try { Directory.Delete(dir); } // rmdir: cgroup directories hold only kernel files
                catch (IOException) when (Environment.TickCount64 < deadline) { Thread.Sleep(10); }
                catch (IOException e) { Console.Error.WriteLine($"[WARN]  exec: cannot remove cgroup {dir}: {e.Message}"); break; }
            }
        }
    }

    public static List<int> Procs(string dir)
    {
        var pids = new List<int>();
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, "cgroup.procs")))
                if (int.TryParse(line, out var pid)) pids.Add(pid);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return pids;
    }

    /// <summary>Usage from the cgroups: memory (v1 usage/max_usage/memory.stat, v2 memory.current/peak/stat) and CPU time in ns.</summary>
    public static (long Rss, long Cache, long Swap, long MaxUsage, ulong UserNs, ulong SysNs, long Throttled)? Stats(IReadOnlyCollection<string> dirs)
    {
        long rss = 0, cache = 0, swap = 0, max = 0, throttled = 0;
        ulong user = 0, sys = 0;
        bool found = false;
        foreach (var dir in dirs)
        {
            if (!Directory.Exists(dir)) continue;
            var stat = KeyValues(dir, "memory.stat");
            if (File.Exists(Path.Combine(dir, "memory.usage_in_bytes")))
            {
                found = true;
                rss = stat.GetValueOrDefault("rss") + stat.GetValueOrDefault("mapped_file");
                cache = stat.GetValueOrDefault("cache");
                swap = stat.GetValueOrDefault("swap");
                max = Read(dir, "memory.max_usage_in_bytes");
            }
            else if (File.Exists(Path.Combine(dir, "memory.current")))
            {
                found = true;
                rss = stat.GetValueOrDefault("anon");
                cache = stat.GetValueOrDefault("file");
                swap = Read(dir, "memory.swap.current");
                max = Read(dir, "memory.peak");
                var cpu = KeyValues(dir, "cpu.stat");
                user = (ulong)cpu.GetValueOrDefault("user_usec") * 1000;
                sys = (ulong)cpu.GetValueOrDefault("system_usec") * 1000;
                throttled = cpu.GetValueOrDefault("nr_throttled");
            }
            if (File.Exists(Path.Combine(dir, "cpuacct.usage_user")))
            {
                user = (ulong)Read(dir, "cpuacct.usage_user");
                sys = (ulong)Read(dir, "cpuacct.usage_sys");
            }
            if (File.Exists(Path.Combine(dir, "cpu.shares")) && File.Exists(Path.Combine(dir, "cpu.stat")))
                throttled = KeyValues(dir, "cpu.stat").GetValueOrDefault("nr_throttled");
        }
        return found ? (rss, cache, swap, Math.Max(max, rss), user, sys, throttled) : null;
    }

    private static Dictionary<string, long> KeyValues(string dir, string file)
    {
        var d = new Dictionary<string, long>();
        try
        {
            foreach (var line in File.ReadLines(Path.Combine(dir, file)))
            {
                var f = line.Split(' ');
                if (f.Length == 2 && long.TryParse(f[1], out var v)) d[f[0]] = v;
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { }
        return d;
    }

    private static long Read(string dir, string file)
    {
        try { return long.TryParse(File.ReadAllText(Path.Combine(dir, file)).Trim(), out var v) ? v : 0; }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException) { return 0; }
    }

    private static void Enable(string dir)
    {
        foreach (var c in new[] { "memory", "pids", "cpu" }) Write(dir, "cgroup.subtree_control", "+" + c, optional: true);
    }

    private static void Write(string dir, string file, string value, bool optional = false)
    {
        try { File.WriteAllText(Path.Combine(dir, file), value); }
        catch (Exception e) when (optional && e is IOException or UnauthorizedAccessException) { }
    }
}
