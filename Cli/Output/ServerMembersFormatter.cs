using Nomad.Agent.Structs;

namespace Nomad.Cli.Output;

/// <summary>`nomad server members`: the gossip pool as a table, or with -detailed each member's tags.</summary>
public static class ServerMembersFormatter
{
    /// <summary>Nomad's order: by region tag, then datacenter tag, then name.</summary>
    public static List<ServerMember> Sorted(IEnumerable<ServerMember> members) =>
        members.OrderBy(m => Tag(m, "region"), StringComparer.Ordinal)
            .ThenBy(m => Tag(m, "dc"), StringComparer.Ordinal)
            .ThenBy(m => m.Name, StringComparer.Ordinal)
            .ToList();

    /// <summary>The regions whose leader must be asked for: those of members that have not left.</summary>
    public static IReadOnlyList<string> RegionsToAsk(IEnumerable<ServerMember> members) =>
        members.Where(m => m.Status != "left").Select(m => Tag(m, "region")).Distinct().Order(StringComparer.Ordinal).ToList();

    /// <param name="members">already in display order (<see cref="Sorted"/>).</param>
    /// <param name="leaders">region → leader's RPC address, for the Leader column.</param>
    public static string Standard(IReadOnlyList<ServerMember> members, IReadOnlyDictionary<string, string> leaders)
    {
        var rows = new List<IReadOnlyList<string>>
        {
            new[] { "Name", "Address", "Port", "Status", "Leader", "Protocol", "Build", "Datacenter", "Region" },
        };
        foreach (var m in members)
        {
            var region = Tag(m, "region");
            var isLeader = leaders.TryGetValue(region, out var leader) && leader == JoinHostPort(m.Addr, Tag(m, "port"));
            rows.Add([m.Name, m.Addr, m.Port.ToString(), m.Status, isLeader ? "true" : "false",
                m.ProtocolCur.ToString(), Tag(m, "build"), Tag(m, "dc"), region]);
        }
        return Columns.PlainTable(rows);
    }

    /// <summary>-detailed: name, address, port and all tags as k=v in the order the agent sent them.</summary>
    public static string Detailed(IReadOnlyList<ServerMember> members)
    {
        var rows = new List<IReadOnlyList<string>> { new[] { "Name", "Address", "Port", "Tags" } };
        foreach (var m in members)
        {
            var tags = string.Join(",", (m.Tags ?? new()).Select(t => $"{t.Key}={t.Value}"));
            rows.Add([m.Name, m.Addr, m.Port.ToString(), tags]);
        }
        return Columns.PlainTable(rows);
    }

    private static string Tag(ServerMember member, string key) =>
        member.Tags is not null && member.Tags.TryGetValue(key, out var value) ? value : "";

    /// <summary>Go's net.JoinHostPort: IPv6 hosts in brackets.</summary>
    private static string JoinHostPort(string host, string port) =>
        host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
}
