using System.Net;
using System.Runtime.InteropServices;
using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// <c>os.name</c>, <c>os.version</c>, <c>kernel.name</c>, <c>kernel.version</c> and <c>unique.hostname</c>, as Nomad
/// (gopsutil's host.Info) reports them: on Debian the version is <c>/etc/debian_version</c> (<c>12.11</c>), not
/// os-release's <c>VERSION_ID</c> (<c>12</c>).
/// </summary>
public sealed class HostFingerprinter : IFingerprintPlugin
{
    public string Name => "host";
    public TimeSpan? Period => null;

    public Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        var (platform, version) = Platform("/etc");
        var attrs = new Dictionary<string, string?>
        {
            ["os.name"] = platform,
            ["os.version"] = version,
            ["kernel.name"] = KernelName(),
            ["kernel.version"] = ProcFiles.FirstLine("/proc/sys/kernel/osrelease") ?? KernelReleaseFromDescription(),
            ["unique.hostname"] = Dns.GetHostName(),
        };
        return Task.FromResult(new FingerprintResponse(true, attrs));
    }

    /// <summary>Go's GOOS for this machine.</summary>
    internal static string KernelName() =>
        OperatingSystem.IsLinux() ? "linux" :
        OperatingSystem.IsMacOS() ? "darwin" :
        OperatingSystem.IsWindows() ? "windows" :
        OperatingSystem.IsFreeBSD() ? "freebsd" :
        RuntimeInformation.OSDescription.Split(' ')[0].ToLowerInvariant();

    private static string KernelReleaseFromDescription()
    {
        var parts = RuntimeInformation.OSDescription.Split(' ', StringSplitOptions.RemoveEmptyEntries);
        return parts.Length > 1 ? parts[1] : "";
    }

    /// <summary>
    /// gopsutil's platform rules, the part that matters for the distributions we meet: Debian-family systems
    /// (with <c>debian_version</c>) are <c>ubuntu</c>/<c>linuxmint</c> with the LSB release, else <c>debian</c>
    /// (or <c>raspbian</c>) with the first line of <c>debian_version</c>; otherwise os-release's ID and VERSION_ID.
    /// </summary>
    internal static (string Platform, string Version) Platform(string etc)
    {
        var osRelease = ProcFiles.ShellVars(ProcFiles.ReadAll(Path.Combine(etc, "os-release")) ?? ProcFiles.ReadAll("/usr/lib/os-release"));
        var lsb = ProcFiles.ShellVars(ProcFiles.ReadAll(Path.Combine(etc, "lsb-release")));
        var debianVersion = Path.Combine(etc, "debian_version");
        if (File.Exists(debianVersion))
        {
            var lsbId = lsb.GetValueOrDefault("DISTRIB_ID") ?? "";
            var osId = osRelease.GetValueOrDefault("ID") ?? "";
            if (lsbId == "Ubuntu" || osId == "ubuntu")
                return ("ubuntu", lsb.GetValueOrDefault("DISTRIB_RELEASE") ?? osRelease.GetValueOrDefault("VERSION_ID") ?? "");
            if (lsbId == "LinuxMint" || osId == "linuxmint")
                return ("linuxmint", lsb.GetValueOrDefault("DISTRIB_RELEASE") ?? osRelease.GetValueOrDefault("VERSION_ID") ?? "");
            var platform = File.Exists("/usr/bin/raspi-config") ? "raspbian" : "debian";
            return (platform, ProcFiles.FirstLine(debianVersion) ?? "");
        }
        return (osRelease.GetValueOrDefault("ID") ?? KernelName(), osRelease.GetValueOrDefault("VERSION_ID") ?? "");
    }
}
