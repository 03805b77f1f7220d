using System.Net;
using Nomad.Agent.Gossip;
using Nomad.Agent.Tests.Consensus;

namespace Nomad.Agent.Tests.Gossip;

[TestFixture]
public sealed class UdpGossipTests
{
    [Test]
    public async Task ThreeNodesOnLoopbackJoinSeeTagsAndTagUpdates()
    {
        var nodes = Enumerable.Range(0, 3).Select(i => new GossipNode(
            GossipOptions.Fast($"udp{i}") with { Tags = new Dictionary<string, string> { ["id"] = $"{i}", ["role"] = "server" } },
            new UdpGossipTransport(new IPEndPoint(IPAddress.Loopback, 0)))).ToList();
        try
        {
            foreach (var n in nodes) n.Start();
            Assert.That(await nodes[1].JoinAsync([nodes[0].Address]), Is.EqualTo(1));
            Assert.That(await nodes[2].JoinAsync([nodes[0].Address]), Is.EqualTo(1));

            bool AllSee(Func<Member, bool> ok) => nodes.All(n =>
                n.Members.Count == 3 && n.Members.All(m => m.State == MemberState.Alive && ok(m)));
            await Eventually.Until(() => AllSee(m => m.Tags["id"] == m.Name[3..] && m.Tags["role"] == "server"),
                TimeSpan.FromSeconds(10), "3 alive members with tags everywhere");

            nodes[1].UpdateTags(new Dictionary<string, string> { ["id"] = "1", ["role"] = "server", ["version"] = "2" });
            await Eventually.Until(() => nodes.All(n => n.Find("udp1")?.Tags.GetValueOrDefault("version") == "2"),
                TimeSpan.FromSeconds(10), "tag update everywhere");

            var updates = new List<MemberEvent>();
            while (nodes[0].Events.TryRead(out var e)) updates.Add(e);
            Assert.That(updates.Any(e => e.Kind == MemberEventKind.Update && e.Member.Name == "udp1"), "Update event");
            Assert.That(updates.Where(e => e.Kind == MemberEventKind.Join).Select(e => e.Member.Name).Distinct(),
                Is.EquivalentTo(new[] { "udp0", "udp1", "udp2" }), "Join events for self and both peers");
            Assert.That(nodes[0].Find("udp1")!.ToServerMember().Addr, Is.EqualTo("127.0.0.1"));
        }
        finally
        {
            foreach (var n in nodes) n.Shutdown();
        }
    }
}
