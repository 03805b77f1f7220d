using System.Net;
using Nomad.Agent.Gossip;
using Nomad.Agent.Logging;
using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Server;

/// <summary>
/// The server's place in the gossip pool (Nomad's serf port, 4648): a <see cref="GossipNode"/> named
/// `name.region` carrying Nomad's member tags, so servers (of every region) find each other and learn
/// each other's RPC address, region and bootstrap_expect.
/// </summary>
public sealed class ServerGossip : IDisposable
{
    public const int DefaultPort = 4648;
    private readonly Logger _log;

    /// <param name="transport">UDP/TCP on the serf port, or a simulated one in tests.</param>
    public ServerGossip(ServerOptions options, IGossipTransport transport, Logger log, GossipOptions? tuning = null)
    {
        _log = log;
        var gossip = (tuning ?? GossipOptions.Lan(options.MemberName)) with { Name = options.MemberName, Tags = Tags(options) };
        Node = new GossipNode(gossip, transport, logger: log.Named("memberlist"));
        Node.MemberChanged += e =>
        {
            var verb = e.Kind switch
            {
                MemberEventKind.Join => "EventMemberJoin",
                MemberEventKind.Leave => "EventMemberLeave",
                MemberEventKind.Failed => "EventMemberFailed",
                MemberEventKind.Update => "EventMemberUpdate",
                _ => "EventMemberReap",
            };
            _log.Info($"serf: {verb}: {e.Member.Name} {e.Member.Address.Split(':')[0]}");
            Changed?.Invoke(e);
        };
    }

    /// <summary>Binds the serf port (UDP and TCP) on <paramref name="bind"/>, advertising <paramref name="advertise"/>.</summary>
    public static ServerGossip Bind(ServerOptions options, IPEndPoint bind, IPAddress advertise, Logger log) =>
        new(options, new UdpGossipTransport(bind, advertise, log.Named("memberlist")), log);

    public GossipNode Node { get; }

    /// <summary>Raised (under the gossip node's lock: keep it short) for each membership event.</summary>
    public event Action<MemberEvent>? Changed;

    public void Start() => Node.Start();

    /// <summary>Nomad's serf tags for this server (as `server members -detailed` shows them).</summary>
    public static Dictionary<string, string> Tags(ServerOptions o)
    {
        var (rpcHost, rpcPort) = RpcConnection.SplitHostPort(o.RpcAdvertise, 4647);
        return new Dictionary<string, string>
        {
            ["role"] = "nomad",
            ["region"] = o.Region,
            ["dc"] = o.Datacenter,
            ["build"] = o.Build,
            ["id"] = o.ServerId,
            ["vsn"] = "1",
            ["mvn"] = "1",
            ["raft_vsn"] = "3",
            ["rpc_addr"] = rpcHost,
            ["port"] = rpcPort.ToString(),
            ["expect"] = o.BootstrapExpect.ToString(),
            ["bootstrap"] = o.BootstrapExpect == 1 ? "1" : "0",
        };
    }

    /// <summary>
    /// Tag set once this server is part of a Raft configuration. A fresh server with bootstrap_expect that sees
    /// it on a peer joins that cluster instead of forming its own (Nomad asks each peer for its Raft peers).
    /// </summary>
    public const string InClusterTag = "raft_in_cluster";

    /// <summary>Gossips <see cref="InClusterTag"/> (once).</summary>
    public void MarkInCluster()
    {
        var self = Node.Find(Node.Name);
        if (self is null || self.Tags.ContainsKey(InClusterTag)) return;
        Node.UpdateTags(new Dictionary<string, string>(self.Tags) { [InClusterTag] = "1" });
    }

    /// <summary>Every member as /v1/agent/members shows it.</summary>
    public IReadOnlyList<ServerMember> Members() => Node.Members.Select(m => m.ToServerMember()).ToList();

    /// <summary>The Nomad servers in the pool (members with role=nomad), parsed.</summary>
    public IReadOnlyList<ServerPeer> Servers() => Node.Members.Select(ServerPeer.From).OfType<ServerPeer>().ToList();

    /// <summary>Joins the pool through each address ("host" or "host:port", default port 4648); returns how many answered.</summary>
    public Task<int> JoinAsync(IEnumerable<string> addresses) =>
        Node.JoinAsync(addresses.Select(a => WithPort(a, DefaultPort)));

    /// <summary>Moves a member (by `name.region` or bare name) to left; with prune drops it from the list. False if unknown.</summary>
    public bool ForceLeave(string name, bool prune, string region)
    {
        var member = Node.Find(name) ?? Node.Find($"{name}.{region}");
        return member is not null && Node.ForceLeave(member.Name, prune);
    }

    /// <summary>Gossips our leave intent, then stops answering.</summary>
    public async Task LeaveAsync(TimeSpan timeout)
    {
        await Node.LeaveAsync(timeout).ConfigureAwait(false);
        Node.Shutdown();
    }

    public void Dispose() => Node.Shutdown();

    internal static string WithPort(string address, int port)
    {
        address = address.Trim();
        if (address.StartsWith('[')) return address.Contains("]:") ? address : $"{address}:{port}";
        return address.Count(c => c == ':') == 1 ? address : address.Contains(':') ? $"[{address}]:{port}" : $"{address}:{port}";
    }

}

/// <summary>A Nomad server as its gossip tags describe it.</summary>
public sealed record ServerPeer(string Name, string Id, string Region, string Datacenter, string RpcAddress, int Expect, MemberState State,
    bool InCluster = false)
{
    public bool IsAlive => State is MemberState.Alive or MemberState.Suspect;

    public static ServerPeer? From(Member m)
    {
        var t = m.Tags;
        if (!t.TryGetValue("role", out var role) || role != "nomad") return null;
        var host = t.GetValueOrDefault("rpc_addr", "");
        var port = t.GetValueOrDefault("port", "4647");
        var rpc = host.Contains(':') ? $"[{host}]:{port}" : $"{host}:{port}";
        return new ServerPeer(m.Name, t.GetValueOrDefault("id", ""), t.GetValueOrDefault("region", ""),
            t.GetValueOrDefault("dc", ""), rpc, int.TryParse(t.GetValueOrDefault("expect"), out var e) ? e : 0, m.State,
            t.ContainsKey(ServerGossip.InClusterTag));
    }
}
