using System.Globalization;
using Nomad.Agent.Config;
using System.Text;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;

namespace Nomad.Cli.Output;

/// <summary>
/// `nomad node status &lt;id&gt;` / `-self`: the node's summary block, driver and event tables, resources and allocations,
/// and with -verbose its drivers, attributes and meta. Laid out as Nomad 0.11 does.
/// </summary>
public static class NodeDetailFormatter
{
    /// <param name="node">the node as GET /v1/node/:id returned it.</param>
    /// <param name="verbose">-verbose: the Drivers table, event details, attributes and meta.</param>
    /// <param name="hostStats">the client's host stats, or null when unavailable: then Uptime and Host Resource Utilization are left out.</param>
    /// <param name="zone">the time zone to print times in (the local one in the CLI).</param>
    /// <returns>the text, ending with a newline.</returns>
    public static string Format(Node node, bool verbose, HostStats? hostStats, TimeZoneInfo zone)
    {
        var text = new StringBuilder();
        void Line(string s) => text.Append(s).Append('\n');
        void Section(string title) { Line(""); Line(title); }

        var summary = new List<(string, string)>
        {
            ("ID", node.ID),
            ("Name", node.Name),
            ("Class", node.NodeClass),
            ("DC", node.Datacenter),
            ("Drain", NodeListFormatter.Bool(node.Drain)),
            ("Eligibility", node.SchedulingEligibility),
            ("Status", node.Status),
            ("CSI Controllers", ""),
            ("CSI Drivers", ""),
        };
        if (hostStats is not null)
            summary.Add(("Uptime", GoDuration.Format(TimeSpan.FromSeconds(hostStats.Uptime))));
        if (!verbose)
        {
            summary.Add(("Host Volumes", string.Join(",", HostVolumes(node).Select(v => v.Key))));
            summary.Add(("CSI Volumes", ""));
            summary.Add(("Driver Status", DriverStatus(node)));
        }
        Line(Columns.KeyValues(summary));

        if (verbose)
        {
            Section("Host Volumes");
            Line(Columns.Table([new[] { "Name", "ReadOnly", "Source" },
                .. HostVolumes(node).Select(v => new[] { v.Key, v.Value.ReadOnly ? "true" : "false", v.Value.Path })]));
            Section("CSI Volumes");
            Section("Drivers");
            Line(DriversTable(node, zone));
        }

        Section("Node Events");
        Line(EventsTable(node, verbose, zone));

        var total = AllocatableResources(node);
        // Allocations are not tracked yet: nothing is allocated and nothing is used.
        Section("Allocated Resources");
        Line(Columns.Table([
            new[] { "CPU", "Memory", "Disk" },
            new[] { $"0/{total.Cpu} MHz", $"{ByteSize.Iec(0UL)}/{ByteSize.FromMegabytes(total.MemoryMB)}", $"{ByteSize.Iec(0UL)}/{ByteSize.FromMegabytes(total.DiskMB)}" },
        ]));

        Section("Allocation Resource Utilization");
        Line(Columns.Table([
            new[] { "CPU", "Memory" },
            new[] { $"0/{total.Cpu} MHz", $"{ByteSize.Iec(0UL)}/{ByteSize.FromMegabytes(total.MemoryMB)}" },
        ]));

        if (hostStats is not null)
        {
            Section("Host Resource Utilization");
            Line(Columns.Table(HostResources(node, hostStats)));
        }

        Section("Allocations");
        Line("No allocations placed");

        if (verbose)
        {
            Section("Attributes");
            Line(Columns.KeyValues(Sorted(node.Attributes)));
            Section("Meta");
            Line(Columns.KeyValues(Sorted(node.Meta)));
        }

        return text.ToString();
    }

    /// <summary>The detected drivers, sorted, comma-separated; an unhealthy one is marked "(unhealthy)".</summary>
    public static string DriverStatus(Node node) =>
        string.Join(",", (node.Drivers ?? new())
            .Where(d => d.Value is { Detected: true })
            .Select(d => d.Value.Healthy ? d.Key : $"{d.Key} (unhealthy)")
            .Order(StringComparer.Ordinal));

    /// <summary>The node's host volumes by name, in Nomad's order (sorted).</summary>
    private static IEnumerable<KeyValuePair<string, ClientHostVolumeConfig>> HostVolumes(Node node) =>
        (node.HostVolumes ?? new()).OrderBy(v => v.Key, StringComparer.Ordinal);

    private static string DriversTable(Node node, TimeZoneInfo zone)
    {
        var rows = new List<IReadOnlyList<string>> { new[] { "Driver", "Detected", "Healthy", "Message", "Time" } };
        foreach (var (name, info) in (node.Drivers ?? new()).OrderBy(d => d.Key, StringComparer.Ordinal))
        {
            rows.Add([name, NodeListFormatter.Bool(info.Detected), NodeListFormatter.Bool(info.Healthy),
                info.HealthDescription, Timestamps.Format(info.UpdateTime, zone)]);
        }
        return Columns.Table(rows);
    }

    /// <summary>Newest event first; a driver's event names the driver as its subsystem.</summary>
    private static string EventsTable(Node node, bool verbose, TimeZoneInfo zone)
    {
        var rows = new List<IReadOnlyList<string>>
        {
            verbose ? new[] { "Time", "Subsystem", "Message", "Details" } : new[] { "Time", "Subsystem", "Message" },
        };
        var events = node.Events ?? new();
        for (var i = events.Count - 1; i >= 0; i--)
        {
            var e = events[i];
            var driver = e.Details is not null && e.Details.TryGetValue("driver", out var d) ? d : "";
            var subsystem = driver.Length == 0 ? e.Subsystem : $"Driver: {driver}";
            var time = Timestamps.Format(e.Timestamp, zone);
            rows.Add(verbose ? [time, subsystem, e.Message, EventDetails(e.Details)] : [time, subsystem, e.Message]);
        }
        return Columns.Table(rows);
    }

    /// <summary>Nomad's formatEventDetails ("k: v , k2: v2"), with keys sorted so the text is stable.</summary>
    private static string EventDetails(Dictionary<string, string>? details) =>
        details is null ? "" : string.Join(", ", details.OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => $"{p.Key}: {p.Value} "));

    private readonly record struct Allocatable(long Cpu, long MemoryMB, long DiskMB);

    /// <summary>What the node offers to allocations: its resources less what is reserved.</summary>
    private static Allocatable AllocatableResources(Node node)
    {
        var resources = node.NodeResources ?? new();
        var reserved = node.ReservedResources ?? new();
        return new Allocatable(
            (resources.Cpu?.CpuShares ?? 0) - (reserved.Cpu?.CpuShares ?? 0),
            (resources.Memory?.MemoryMB ?? 0) - (reserved.Memory?.MemoryMB ?? 0),
            (resources.Disk?.DiskMB ?? 0) - (reserved.Disk?.DiskMB ?? 0));
    }

    /// <summary>CPU, memory and the disk holding the node's storage volume (by device name only when it has no stats).</summary>
    private static List<IReadOnlyList<string>> HostResources(Node node, HostStats stats)
    {
        var cpuTotal = node.NodeResources?.Cpu?.CpuShares ?? 0;
        var cpu = $"{Math.Floor(stats.CPUTicksConsumed).ToString(CultureInfo.InvariantCulture)}/{cpuTotal} MHz";
        var memory = $"{ByteSize.Iec(stats.Memory?.Used ?? 0)}/{ByteSize.Iec(stats.Memory?.Total ?? 0)}";

        var device = node.Attributes is not null && node.Attributes.TryGetValue("unique.storage.volume", out var v) ? v : "";
        var disk = stats.DiskStats?.LastOrDefault(s => s.Device == device);
        var diskText = disk is not null ? $"{ByteSize.Iec(disk.Used)}/{ByteSize.Iec(disk.Size)}" : $"({device})";

        return [new[] { "CPU", "Memory", "Disk" }, new[] { cpu, memory, diskText }];
    }

    private static IEnumerable<(string, string)> Sorted(Dictionary<string, string>? values) =>
        (values ?? new()).Where(p => p.Key.Length > 0).OrderBy(p => p.Key, StringComparer.Ordinal).Select(p => (p.Key, p.Value));
}
