using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Tests;

/// <summary>server members output, from captured API answers, must equal what Nomad's CLI printed.</summary>
public class ServerMembersFormattingTests
{
    [Test]
    public void Members_match_nomad_0_11()
    {
        var members = ServerMembersFormatter.Sorted(Fixture.Decode<AgentMembers>("nomad-0.11.8/v1-agent-members.json").Members);
        var leader = Fixture.Decode<string>("nomad-0.11.8/v1-status-leader.json");

        var text = ServerMembersFormatter.Standard(members, new Dictionary<string, string> { ["global"] = leader });

        Assert.That(text + "\n", Is.EqualTo(Fixture.Text("nomad-0.11.8/server-members.txt")));
    }

    [Test]
    public void Members_match_nomad_0_4_whose_answer_is_a_bare_array()
    {
        var members = ServerMembersFormatter.Sorted(Fixture.Decode<List<ServerMember>>("nomad-0.4.1/v1-agent-members.json"));

        var text = ServerMembersFormatter.Standard(members, new Dictionary<string, string> { ["global"] = "127.0.0.1:4647" });

        Assert.That(text + "\n", Is.EqualTo(Fixture.Text("nomad-0.4.1/server-members.txt")));
    }

    /// <summary>
    /// Nomad prints tags in Go's random map order; we print them in the order the agent sent. The capture's CLI run and API
    /// call saw different orders, so the tags are laid out here in the order the CLI happened to print.
    /// </summary>
    [TestCase("nomad-0.11.8")]
    [TestCase("nomad-0.4.1")]
    public void Detailed_matches_nomad(string version)
    {
        var expected = Fixture.Text(version + "/server-members-detailed.txt");
        var json = Fixture.Json(version + "/v1-agent-members.json");
        var decoded = json.ValueKind == System.Text.Json.JsonValueKind.Array
            ? Fixture.Decode<List<ServerMember>>(version + "/v1-agent-members.json")
            : Fixture.Decode<AgentMembers>(version + "/v1-agent-members.json").Members;
        var printedTagOrder = expected.Split('\n')[1].Split("  ").Last().Split(',').Select(kv => kv.Split('=')[0]).ToList();
        var member = decoded.Single();
        Assert.That(printedTagOrder, Is.EquivalentTo(member.Tags.Keys), "same tags, possibly another order");
        member = member with { Tags = printedTagOrder.ToDictionary(k => k, k => member.Tags[k]) };

        Assert.That(ServerMembersFormatter.Detailed([member]) + "\n", Is.EqualTo(expected));
    }

    [Test]
    public void Members_sort_by_region_then_datacenter_then_name_and_each_region_has_its_leader()
    {
        static ServerMember Member(string name, string addr, string region, string dc) => new()
        {
            Name = name, Addr = addr, Port = 4648,
            Tags = new() { ["region"] = region, ["dc"] = dc, ["port"] = "4647", ["build"] = "0.1.0" },
        };
        var members = ServerMembersFormatter.Sorted([
            Member("c.west", "10.0.0.3", "west", "dc1"),
            Member("b.east", "10.0.0.2", "east", "dc2"),
            Member("a.east", "10.0.0.1", "east", "dc2"),
            Member("z.east", "::1", "east", "dc1"),
        ]);
        var leaders = new Dictionary<string, string> { ["east"] = "10.0.0.2:4647", ["west"] = "[::9]:4647" };

        Assert.That(ServerMembersFormatter.Standard(members, leaders), Is.EqualTo(
            "Name    Address   Port  Status  Leader  Protocol  Build  Datacenter  Region\n" +
            "z.east  ::1       4648  alive   false   2         0.1.0  dc1         east\n" +
            "a.east  10.0.0.1  4648  alive   false   2         0.1.0  dc2         east\n" +
            "b.east  10.0.0.2  4648  alive   true    2         0.1.0  dc2         east\n" +
            "c.west  10.0.0.3  4648  alive   false   2         0.1.0  dc1         west"));
    }

    [Test]
    public void Leaders_are_asked_only_for_regions_with_members_that_have_not_left()
    {
        ServerMember[] members =
        [
            new() { Name = "a", Status = "left", Tags = new() { ["region"] = "gone" } },
            new() { Name = "b", Status = "alive", Tags = new() { ["region"] = "global" } },
            new() { Name = "c", Status = "failed", Tags = new() { ["region"] = "global" } },
        ];

        Assert.That(ServerMembersFormatter.RegionsToAsk(members), Is.EqualTo(new[] { "global" }));
    }
}
