using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Tests;

/// <summary>node status output, from the API answers of a real Nomad 0.11.8 run, must equal what its CLI printed.</summary>
public class NodeStatusFormattingTests
{
    private const string Dir = "nomad-0.11.8/";

    /// <summary>
    /// The host stats behind the captured "Uptime = 27m34s" and "83/4192 MHz  185 MiB/24 GiB  15 GiB/252 GiB" (the capture has no
    /// /v1/client/stats answer, so these are values that print the same).
    /// </summary>
    private static readonly HostStats CapturedHostStats = new()
    {
        Uptime = 27 * 60 + 34,
        CPUTicksConsumed = 83.61,
        Memory = new HostMemoryStats { Total = 25276026880, Used = 185UL * 1024 * 1024 },
        DiskStats = [new HostDiskStats { Device = "/dev/vda", Mountpoint = "/", Size = 270553174016, Used = 15UL * 1024 * 1024 * 1024 }],
    };

    [Test]
    public void List_matches_nomad()
    {
        var nodes = Fixture.Decode<List<NodeListStub>>(Dir + "v1-nodes.json");

        Assert.That(NodeListFormatter.List(nodes, verbose: false) + "\n", Is.EqualTo(Fixture.Text(Dir + "node-status.txt")));
    }

    [Test]
    public void Verbose_list_shows_full_ids_address_and_version()
    {
        var nodes = Fixture.Decode<List<NodeListStub>>(Dir + "v1-nodes.json");

        Assert.That(NodeListFormatter.List(nodes, verbose: true), Is.EqualTo(
            "ID                                    DC   Name  Class   Address    Version  Drain  Eligibility  Status\n" +
            "203fa61b-120a-b6bf-3196-d49e1b29948d  dc1  vm    <none>  127.0.0.1  0.11.8   false  eligible     ready"));
    }

    [Test]
    public void No_nodes_prints_nothing() => Assert.That(NodeListFormatter.List([], verbose: false), Is.Empty);

    [Test]
    public void Self_matches_nomad()
    {
        var node = Fixture.Decode<Node>(Dir + "v1-node.json");

        var text = NodeDetailFormatter.Format(node, verbose: false, CapturedHostStats, TimeZoneInfo.Utc);

        Assert.That(text, Is.EqualTo(Fixture.Text(Dir + "node-status-self.txt")));
    }

    [Test]
    public void Verbose_matches_nomad()
    {
        var node = Fixture.Decode<Node>(Dir + "v1-node.json");

        var text = NodeDetailFormatter.Format(node, verbose: true, CapturedHostStats, TimeZoneInfo.Utc);

        Assert.That(text, Is.EqualTo(Fixture.Text(Dir + "node-status-verbose.txt")));
    }

    [Test]
    public void Without_host_stats_uptime_and_host_utilization_are_left_out()
    {
        var node = Fixture.Decode<Node>(Dir + "v1-node.json");
        var expected = Fixture.Text(Dir + "node-status-self.txt")
            .Replace("Uptime          = 27m34s\n", "")
            .Replace("\nHost Resource Utilization\nCPU          Memory          Disk\n83/4192 MHz  185 MiB/24 GiB  15 GiB/252 GiB\n", "");

        Assert.That(NodeDetailFormatter.Format(node, verbose: false, hostStats: null, TimeZoneInfo.Utc), Is.EqualTo(expected));
    }

    [Test]
    public void Times_are_shown_in_the_given_zone_with_their_offset()
    {
        var node = Fixture.Decode<Node>(Dir + "v1-node.json");
        var zone = TimeZoneInfo.CreateCustomTimeZone("plus2", TimeSpan.FromHours(2), "plus2", "plus2");

        var text = NodeDetailFormatter.Format(node, verbose: false, null, zone);

        Assert.That(text, Does.Contain("2026-11-23T10:31:20+02:00  Cluster    Node registered"));
    }

    [Test]
    public void Driver_status_lists_detected_drivers_sorted_and_marks_unhealthy_ones()
    {
        var node = new Node
        {
            Drivers = new()
            {
                ["raw_exec"] = new DriverInfo { Detected = true, Healthy = true },
                ["docker"] = new DriverInfo { Detected = true, Healthy = false },
                ["qemu"] = new DriverInfo { Detected = false },
            },
        };

        Assert.That(NodeDetailFormatter.DriverStatus(node), Is.EqualTo("docker (unhealthy),raw_exec"));
    }

    [Test]
    public void Events_are_newest_first_and_driver_events_name_the_driver()
    {
        var node = new Node
        {
            ID = "n",
            Events =
            [
                new NodeEvent { Message = "Node registered", Subsystem = "Cluster", Timestamp = new DateTime(2026, 1, 1, 0, 0, 0, DateTimeKind.Utc) },
                new NodeEvent
                {
                    Message = "Driver docker is not detected", Subsystem = "Driver",
                    Details = new() { ["driver"] = "docker" }, Timestamp = new DateTime(2026, 1, 1, 0, 0, 5, DateTimeKind.Utc),
                },
            ],
        };

        var text = NodeDetailFormatter.Format(node, verbose: true, null, TimeZoneInfo.Utc);

        Assert.That(text, Does.Contain(
            "Node Events\n" +
            "Time                  Subsystem       Message                        Details\n" +
            "2026-01-01T00:00:05Z  Driver: docker  Driver docker is not detected  driver: docker\n" +
            "2026-01-01T00:00:00Z  Cluster         Node registered                <none>\n"));
    }

    [Test]
    public void Ambiguous_prefix_candidates_are_a_short_id_table()
    {
        var nodes = new List<NodeListStub>
        {
            new() { ID = "203fa61b-120a-b6bf-3196-d49e1b29948d", Datacenter = "dc1", Name = "a", SchedulingEligibility = "eligible", Status = "ready" },
            new() { ID = "203fa61c-0000-0000-0000-000000000000", Datacenter = "dc2", Name = "bb", SchedulingEligibility = "ineligible", Status = "down" },
        };

        Assert.That(NodeListFormatter.Candidates(nodes, verbose: false), Is.EqualTo(
            "ID        DC   Name  Class   Drain  Eligibility  Status\n" +
            "203fa61b  dc1  a     <none>  false  eligible     ready\n" +
            "203fa61c  dc2  bb    <none>  false  ineligible   down"));
    }

    [TestCase("203fa61b", "203fa61b")]
    [TestCase("203fa61", "203fa6")]
    [TestCase("203fa61b-1", "203fa61b-")]
    [TestCase("203fa61b-12", "203fa61b-12")]
    public void Odd_length_prefixes_lose_their_last_character(string prefix, string expected) =>
        Assert.That(Commands.Lookups.SanitizeUuidPrefix(prefix), Is.EqualTo(expected));
}
