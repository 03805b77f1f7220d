using Docker.DotNet.Models;
using Nomad.Contracts;

namespace Nomad.Drivers.Docker;

/// <summary>Docker's stats (one sample with the previous one) → the agent's resource usage, as Nomad's docker driver computes it.</summary>
internal static class ContainerStats
{
    public static TaskResourceUsage From(ContainerStatsResponse s)
    {
        var mem = s.MemoryStats;
        ulong V(string k) => mem?.Stats is { } st && st.TryGetValue(k, out var v) ? v : 0;
        // cgroup v1 reports rss and cache; v2 reports anon and file.
        long rss = (long)(V("rss") is > 0 and var r ? r : V("anon"));
        long cache = (long)(V("cache") is > 0 and var c ? c : V("file"));
        long swap = (long)V("swap");
        var cpu = s.CPUStats;
        var pre = s.PreCPUStats;
        double cpuDelta = (double)(cpu?.CPUUsage?.TotalUsage ?? 0) - (pre?.CPUUsage?.TotalUsage ?? 0);
        double sysDelta = (double)(cpu?.SystemUsage ?? 0) - (pre?.SystemUsage ?? 0);
        double cores = cpu?.OnlineCPUs > 0 ? cpu.OnlineCPUs : Math.Max(1, cpu?.CPUUsage?.PercpuUsage?.Count ?? Environment.ProcessorCount);
        double pct = cpuDelta > 0 && sysDelta > 0 ? cpuDelta / sysDelta * cores * 100 : 0;
        double userDelta = (double)(cpu?.CPUUsage?.UsageInUsermode ?? 0) - (pre?.CPUUsage?.UsageInUsermode ?? 0);
        double kernDelta = (double)(cpu?.CPUUsage?.UsageInKernelmode ?? 0) - (pre?.CPUUsage?.UsageInKernelmode ?? 0);
        double user = cpuDelta > 0 ? pct * Math.Max(0, userDelta) / cpuDelta : 0;
        double kern = cpuDelta > 0 ? pct * Math.Max(0, kernDelta) / cpuDelta : 0;
        var read = s.Read.Year > 1 ? s.Read.ToUniversalTime() : DateTime.UtcNow;
        return new TaskResourceUsage(rss, cache, swap, (long)(mem?.MaxUsage ?? 0), pct, user, kern,
            pct / 100 * CpuMHz.Value, (long)(cpu?.ThrottlingData?.ThrottledPeriods ?? 0), (read - DateTime.UnixEpoch).Ticks * 100);
    }

    private static readonly Lazy<double> CpuMHz = new(Nomad.Drivers.Shared.ProcFs.CpuMHz);
}
