using System.Globalization;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client;

/// <summary>
/// The host's usage for /v1/client/stats, read from /proc: uptime, memory, the alloc dir's disk, and CPU
/// busy time since the previous sample (the first sample covers the time since boot).
/// </summary>
public sealed class HostStatsCollector(string allocDir, Func<double> totalComputeMHz)
{
    private readonly Lock _gate = new();
    private (ulong Busy, ulong Total)[]? _previous;

    public HostStats Collect()
    {
        var cpus = CpuTimes();
        List<HostCpuStats> perCpu;
        double busyFraction;
        lock (_gate)
        {
            var prev = _previous ?? cpus.Select(_ => (0UL, 0UL)).ToArray();
            perCpu = cpus.Select((c, i) =>
            {
                var total = Math.Max(1, (double)(c.Total - prev[Math.Min(i, prev.Length - 1)].Total));
                var busy = (c.Busy - prev[Math.Min(i, prev.Length - 1)].Busy) / total * 100;
                return new HostCpuStats { CPU = $"cpu{i}", Total = busy, Idle = 100 - busy };
            }).ToList();
            busyFraction = perCpu.Count == 0 ? 0 : perCpu.Average(c => c.Total) / 100;
            _previous = cpus;
        }
        return new HostStats
        {
            Uptime = (ulong)double.Parse(File.ReadAllText("/proc/uptime").Split(' ')[0], CultureInfo.InvariantCulture),
            Memory = Memory(),
            DiskStats = [Disk()],
            CPU = perCpu,
            CPUTicksConsumed = busyFraction * totalComputeMHz(),
            Timestamp = DateTimeOffset.UtcNow.ToUnixTimeMilliseconds() * 1_000_000,
        };
    }

    /// <summary>Per CPU (cpu0, cpu1, ...) busy and total jiffies from /proc/stat.</summary>
    private static (ulong Busy, ulong Total)[] CpuTimes() =>
        File.ReadLines("/proc/stat")
            .Where(l => l.StartsWith("cpu", StringComparison.Ordinal) && char.IsDigit(l[3]))
            .Select(l =>
            {
                var v = l.Split(' ', StringSplitOptions.RemoveEmptyEntries).Skip(1).Select(ulong.Parse).ToArray();
                var idle = v[3] + (v.Length > 4 ? v[4] : 0);   // idle + iowait
                var total = v.Aggregate(0UL, (a, b) => a + b);
                return (total - idle, total);
            }).ToArray();

    private static HostMemoryStats Memory()
    {
        var kb = File.ReadLines("/proc/meminfo")
            .Select(l => l.Split(':', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => ulong.Parse(p[1].Trim().Split(' ')[0]) * 1024);
        var total = kb.GetValueOrDefault("MemTotal");
        var available = kb.GetValueOrDefault("MemAvailable");
        return new HostMemoryStats { Total = total, Available = available, Free = kb.GetValueOrDefault("MemFree"), Used = total - available };
    }

    private HostDiskStats Disk()
    {
        var path = Directory.Exists(allocDir) ? Path.GetFullPath(allocDir) : "/";
        var (device, mountpoint) = MountOf(path);
        var drive = new DriveInfo(mountpoint);
        var size = (ulong)drive.TotalSize;
        return new HostDiskStats
        {
            Device = device, Mountpoint = mountpoint, Size = size,
            Available = (ulong)drive.AvailableFreeSpace, Used = size - (ulong)drive.TotalFreeSpace,
        };
    }

    /// <summary>The device and mount point of the filesystem holding <paramref name="path"/> (longest matching mount).</summary>
    private static (string Device, string Mountpoint) MountOf(string path) =>
        File.ReadLines("/proc/self/mounts")
            .Select(l => l.Split(' '))
            .Where(f => f.Length > 2 && (path == f[1] || path.StartsWith(f[1].TrimEnd('/') + "/", StringComparison.Ordinal)))
            .Select(f => (Device: f[0], Mountpoint: f[1]))
            .OrderByDescending(m => m.Mountpoint.Length)
            .FirstOrDefault(("", "/"));
}
