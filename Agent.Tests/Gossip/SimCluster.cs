using Nomad.Agent.Gossip;

namespace Nomad.Agent.Tests.Gossip;

/// <summary>A cluster of gossip nodes on one simulated network and virtual clock.</summary>
internal sealed class SimCluster : IDisposable
{
    public VirtualClock Clock { get; } = new();
    public SimulatedNetwork Net { get; }
    public List<GossipNode> Nodes { get; } = new();
    public HashSet<string> Stopped { get; } = new();
    /// <summary>Every Failed event seen anywhere: (observer, subject, virtual time).</summary>
    public List<(string Observer, string Subject, TimeSpan At)> Failures { get; } = new();

    public SimCluster(int n, int seed, double loss, Func<string, GossipOptions>? options = null, Nomad.Agent.Logging.Logger? log = null)
    {
        Net = new SimulatedNetwork(Clock, seed) { LossRate = loss };
        for (var i = 0; i < n; i++)
        {
            var name = $"n{i:00}";
            var opts = (options ?? GossipOptions.Lan)(name) with
            {
                Seed = seed * 1000 + i,
                Tags = new Dictionary<string, string> { ["role"] = "server", ["id"] = name },
            };
            var node = new GossipNode(opts, Net.CreateTransport($"10.0.{i / 250}.{i % 250 + 1}:4648"), Clock, log);
            node.MemberChanged += e =>
            {
                if (e.Kind == MemberEventKind.Failed) Failures.Add((name, e.Member.Name, e.At));
            };
            Nodes.Add(node);
        }
    }

    public IEnumerable<GossipNode> Running => Nodes.Where(n => !Stopped.Contains(n.Name));

    /// <summary>Starts everyone and has each join node 0; returns once all see all alive.</summary>
    public void StartAndConverge(TimeSpan within)
    {
        foreach (var n in Nodes) n.Start();
        var joins = Nodes.Skip(1).Select(n => n.JoinAsync([Nodes[0].Address])).ToList();
        Assert.That(Clock.RunUntil(() => joins.All(j => j.IsCompleted), TimeSpan.FromSeconds(30)), "joins completed");
        Assert.That(joins.All(j => j.Result == 1), "every join reached the seed");
        Assert.That(RunUntil(() => Running.All(n => n.AliveCount == Nodes.Count), within),
            $"all {Nodes.Count} see each other alive within {within}");
    }

    public bool RunUntil(Func<bool> condition, TimeSpan within) =>
        Clock.RunUntil(condition, within, TimeSpan.FromMilliseconds(100));

    public void Kill(GossipNode node)
    {
        Stopped.Add(node.Name);
        node.Shutdown();
    }

    public bool AllRunningSee(string subject, MemberState state) =>
        Running.Where(n => n.Name != subject).All(n => n.Find(subject)?.State == state);

    public void Dispose()
    {
        foreach (var n in Nodes) n.Shutdown();
    }
}
