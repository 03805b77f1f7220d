using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.NetworkInformation;
using System.Net.Sockets;
using System.Text.RegularExpressions;
using Nomad.Contracts;

namespace Nomad.Fingerprints;

/// <summary>
/// The node's network: one <see cref="NetworkFingerprint"/> per address of the chosen interface (the configured
/// one, else the default route's, else loopback), <c>unique.network.ip-address</c> (the first address), and the
/// link speed (ethtool, then /sys/class/net/&lt;if&gt;/speed, else the configured speed, else 1000 Mbit/s), with
/// Nomad's DEBUG lines.
/// </summary>
public sealed partial class NetworkFingerprinter : IFingerprintPlugin
{
    /// <summary>Nomad's speed when none is detected or configured.</summary>
    public const int DefaultNetworkSpeed = 1000;

    /// <summary>Nomad's option: ignore an interface's link-local addresses even when it has nothing else.</summary>
    public const string DisallowLinkLocalOption = "fingerprint.network.disallow_link_local";

    public string Name => "network";
    public TimeSpan? Period => null;

    public async Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default)
    {
        var log = new FingerprintLog(request);
        var name = request.NetworkInterface;
        if (name.Length == 0)
        {
            name = DefaultRouteInterface(ProcFiles.ReadAll("/proc/net/route")) ?? "";
            if (name.Length == 0)
            {
                name = LoopbackName();
                log.Debug("no network_interface given and no default route; using the loopback interface", ("interface", name));
            }
        }

        var intf = NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(i => i.Name == name)
                   ?? throw new InvalidOperationException(
                       $"Error while detecting network interface {name} during fingerprinting: no such network interface");

        // As Nomad: the link speed is probed (and logged) even when the user configured one.
        var throughput = await LinkSpeedAsync(name, log, ct).ConfigureAwait(false);
        int mbits;
        if (request.NetworkSpeed != 0)
        {
            mbits = request.NetworkSpeed;
            log.Debug("setting link speed to user configured speed", ("mbits", mbits));
        }
        else if (throughput != 0)
        {
            mbits = throughput;
            log.Debug("link speed detected", ("mbits", mbits));
        }
        else
        {
            mbits = DefaultNetworkSpeed;
            log.Debug("link speed could not be detected and no speed specified by user, falling back to default speed", ("mbits", mbits));
        }

        var disallowLinkLocal = Options.Bool(request.Options, DisallowLinkLocalOption, false);
        var addresses = intf.GetIPProperties().UnicastAddresses.Select(a => a.Address).ToList();
        var networks = NetworkResources(name, mbits, addresses, disallowLinkLocal, log);
        foreach (var n in networks)
            log.Debug("detected interface IP", ("interface", name), ("IP", n.IP));

        var attrs = new Dictionary<string, string?>();
        if (networks.Count > 0) attrs["unique.network.ip-address"] = networks[0].IP;
        return new FingerprintResponse(true, attrs, new NodeResourcesFingerprint(Networks: networks));
    }

    /// <summary>One network per address (CIDR /32 or /128); link-local addresses only when there is nothing else and they are allowed.</summary>
    internal static List<NetworkFingerprint> NetworkResources(string device, int mbits, IEnumerable<IPAddress> addresses, bool disallowLinkLocal, FingerprintLog log)
    {
        var usable = new List<NetworkFingerprint>();
        var linkLocal = new List<NetworkFingerprint>();
        foreach (var address in addresses)
        {
            // Go prints IPv6 addresses without the zone ("fe80::1", not "fe80::1%2").
            var ip = new IPAddress(address.GetAddressBytes());
            if (ip.IsIPv4MappedToIPv6) ip = ip.MapToIPv4();
            var text = ip.ToString();
            var net = new NetworkFingerprint(device, ip.AddressFamily == AddressFamily.InterNetwork ? text + "/32" : text + "/128", text, mbits);
            if (IsLinkLocal(ip)) linkLocal.Add(net);
            else usable.Add(net);
        }
        if (usable.Count == 0 && linkLocal.Count > 0)
        {
            if (!disallowLinkLocal) return linkLocal;
            log.Debug("ignoring detected link-local address on interface", ("interface", device));
        }
        return usable;
    }

    /// <summary>Go's IsLinkLocalUnicast || IsLinkLocalMulticast.</summary>
    internal static bool IsLinkLocal(IPAddress ip)
    {
        if (ip.AddressFamily == AddressFamily.InterNetwork)
        {
            var b = ip.GetAddressBytes();
            return (b[0] == 169 && b[1] == 254) || (b[0] == 224 && b[1] == 0 && b[2] == 0);
        }
        if (ip.IsIPv6LinkLocal) return true;
        var v6 = ip.GetAddressBytes();
        return v6[0] == 0xff && (v6[1] & 0x0f) == 0x02;
    }

    /// <summary>The interface of the lowest-metric IPv4 default route in /proc/net/route text, or null.</summary>
    internal static string? DefaultRouteInterface(string? routeTable)
    {
        if (routeTable is null) return null;
        string? best = null;
        var bestMetric = long.MaxValue;
        foreach (var line in routeTable.Split('\n').Skip(1))
        {
            // Iface Destination Gateway Flags RefCnt Use Metric Mask MTU Window IRTT
            var f = line.Split((char[])['\t', ' '], StringSplitOptions.RemoveEmptyEntries);
            if (f.Length < 8 || f[1] != "00000000" || f[7] != "00000000") continue;
            if (!int.TryParse(f[3], NumberStyles.HexNumber, CultureInfo.InvariantCulture, out var flags) || (flags & 0x1) == 0) continue; // RTF_UP
            var metric = long.TryParse(f[6], NumberStyles.Integer, CultureInfo.InvariantCulture, out var m) ? m : 0;
            if (metric < bestMetric) { best = f[0]; bestMetric = metric; }
        }
        return best;
    }

    private static string LoopbackName() =>
        NetworkInterface.GetAllNetworkInterfaces().FirstOrDefault(i => i.NetworkInterfaceType == NetworkInterfaceType.Loopback)?.Name ?? "lo";

    /// <summary>The link speed in Mbit/s, 0 when unknown: ethtool when it is installed, then sysfs (as Nomad's network_linux.go).</summary>
    internal static async Task<int> LinkSpeedAsync(string device, FingerprintLog log, CancellationToken ct)
    {
        var ethtool = FindOnPath("ethtool");
        if (ethtool is not null)
        {
            var speed = await LinkSpeedEthtoolAsync(ethtool, device, log, ct).ConfigureAwait(false);
            if (speed > 0) return speed;
        }
        return LinkSpeedSys(device, log);
    }

    internal static int LinkSpeedSys(string device, FingerprintLog log)
    {
        var path = $"/sys/class/net/{device}/speed";
        var content = ProcFiles.FirstLine(path);
        if (content is null)
        {
            log.Debug("unable to read link speed", ("path", path));
            return 0;
        }
        if (!int.TryParse(content, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mbs) || mbs <= 0)
        {
            log.Debug("unable to parse link speed", ("path", path));
            return 0;
        }
        return mbs;
    }

    private static async Task<int> LinkSpeedEthtoolAsync(string path, string device, FingerprintLog log, CancellationToken ct)
    {
        string output;
        try
        {
            using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
            timeout.CancelAfter(TimeSpan.FromSeconds(2));
            var psi = new ProcessStartInfo(path, [device])
            {
                RedirectStandardOutput = true,
                RedirectStandardError = true,
                RedirectStandardInput = true,
                UseShellExecute = false,
            };
            using var p = Process.Start(psi) ?? throw new InvalidOperationException("ethtool did not start");
            p.StandardInput.Close();
            var stdout = p.StandardOutput.ReadToEndAsync(timeout.Token);
            _ = p.StandardError.ReadToEndAsync(timeout.Token);
            try { await p.WaitForExitAsync(timeout.Token).ConfigureAwait(false); }
            catch (OperationCanceledException) { try { p.Kill(); } catch { /* gone */ } throw; }
            output = (await stdout.ConfigureAwait(false)).Trim();
            if (p.ExitCode != 0) throw new InvalidOperationException($"exit status {p.ExitCode}");
        }
        catch (Exception e) when (e is not OperationCanceledException || !ct.IsCancellationRequested)
        {
            log.Warn("error calling ethtool", ("error", e.Message), ("path", path), ("device", device));
            return 0;
        }

        var m = EthtoolSpeed().Match(output);
        if (!m.Success)
        {
            log.Warn("unable to parse speed", ("path", path), ("device", device));
            return 0;
        }
        if (!int.TryParse(m.Groups[1].Value, NumberStyles.Integer, CultureInfo.InvariantCulture, out var mbs) || mbs <= 0)
        {
            log.Warn("unable to parse Mb/s", ("path", path), ("device", device));
            return 0;
        }
        return mbs;
    }

    [GeneratedRegex(@"Speed: ([0-9]+)Mb/s")]
    private static partial Regex EthtoolSpeed();

    private static string? FindOnPath(string program)
    {
        foreach (var dir in (Environment.GetEnvironmentVariable("PATH") ?? "").Split(':', StringSplitOptions.RemoveEmptyEntries))
        {
            var candidate = Path.Combine(dir, program);
            if (File.Exists(candidate)) return candidate;
        }
        return null;
    }
}
