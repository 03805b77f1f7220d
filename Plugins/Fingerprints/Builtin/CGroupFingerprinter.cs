using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// <c>unique.cgroup.mountpoint</c> and <c>unique.cgroup.version</c> (<c>v1</c> or <c>v2</c>), every 15 s as Nomad.
/// v2 when /sys/fs/cgroup is the unified hierarchy (or only a cgroup2 mount with controllers exists); v1 when
/// controllers are mounted as separate v1 hierarchies, whose parent directory is the mount point (as Nomad's
/// <c>FindCgroupMountpointDir</c>). Logs <c>cgroups are available</c> / <c>unavailable</c> when that changes.
/// </summary>
public sealed class CGroupFingerprinter : IFingerprintPlugin
{
    /// <summary>Where cgroups live on every distribution we know.</summary>
    internal const string DefaultRoot = "/sys/fs/cgroup";

    private static readonly HashSet<string> V1Controllers =
    [
        "cpu", "cpuacct", "cpuset", "memory", "devices", "freezer", "blkio", "pids", "net_cls", "net_prio",
        "perf_event", "hugetlb", "rdma", "misc",
    ];

    // Nomad starts "unavailable", so the first detection logs "cgroups are available".
    private int _available;

    public string Name => "cgroup";
    public TimeSpan? Period => TimeSpan.FromSeconds(15);

    public Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        var log = new FingerprintLog(request);
        var found = Detect(MountInfo.ReadSelf(), File.Exists);
        if (found is null)
        {
            if (Interlocked.Exchange(ref _available, 0) == 1) log.Info("cgroups are unavailable");
            return Task.FromResult(new FingerprintResponse(false, new()
            {
                ["unique.cgroup.mountpoint"] = null,
                ["unique.cgroup.version"] = null,
            }));
        }

        if (Interlocked.Exchange(ref _available, 1) == 0) log.Info("cgroups are available");
        return Task.FromResult(new FingerprintResponse(true, new()
        {
            ["unique.cgroup.mountpoint"] = found.MountPoint,
            ["unique.cgroup.version"] = found.Version,
        }));
    }

    /// <summary>Finds the cgroup hierarchy from the mount table.</summary>
    /// <param name="mounts">The process's mounts (/proc/self/mountinfo).</param>
    /// <param name="fileExists">Checks a path (to see a cgroup2 mount's <c>cgroup.controllers</c>).</param>
    internal static CgroupMount? Detect(IReadOnlyList<MountInfo> mounts, Func<string, bool> fileExists)
    {
        // Unified mode: /sys/fs/cgroup itself is cgroup2 (the last mount on a path is the visible one).
        var atRoot = mounts.LastOrDefault(m => m.MountPoint == DefaultRoot);
        if (atRoot is { FsType: "cgroup2" } && fileExists($"{DefaultRoot}/cgroup.controllers"))
            return new CgroupMount(DefaultRoot, "v2");

        // Legacy or hybrid: v1 controllers mounted one per hierarchy, e.g. /sys/fs/cgroup/memory.
        var v1 = mounts.FirstOrDefault(m => m.FsType == "cgroup"
                                            && m.SuperOptions.Split(',').Any(V1Controllers.Contains));
        if (v1 is not null)
            return new CgroupMount(Path.GetDirectoryName(v1.MountPoint.TrimEnd('/')) is { Length: > 0 } dir ? dir : "/", "v1");

        // Only a cgroup2 hierarchy somewhere else (e.g. a container's own mount).
        var v2 = mounts.Where(m => m.FsType == "cgroup2" && fileExists($"{m.MountPoint.TrimEnd('/')}/cgroup.controllers"))
                       .OrderBy(m => m.MountPoint.Length)
                       .FirstOrDefault();
        return v2 is null ? null : new CgroupMount(v2.MountPoint, "v2");
    }
}

/// <summary>Where the cgroup hierarchy is and which version it is.</summary>
internal sealed record CgroupMount(string MountPoint, string Version);
