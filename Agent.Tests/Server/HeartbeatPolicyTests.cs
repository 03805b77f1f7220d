using Nomad.Agent.Server;

namespace Nomad.Agent.Tests.Server;

public sealed class HeartbeatPolicyTests
{
    private static readonly HeartbeatPolicy Policy = HeartbeatPolicy.Default;

    [TestCase(1, 10)]
    [TestCase(500, 10)]
    [TestCase(1000, 20)]
    [TestCase(5000, 100)]
    public void Base_ttl_is_max_of_min_ttl_and_nodes_over_rate(int nodes, int seconds) =>
        Assert.That(Policy.BaseTtl(nodes), Is.EqualTo(TimeSpan.FromSeconds(seconds)));

    [Test]
    public void Ttl_adds_a_stagger_below_the_base()
    {
        var random = new Random(1);
        var ttls = Enumerable.Range(0, 200).Select(_ => Policy.Ttl(1, random)).ToList();
        Assert.That(ttls, Is.All.InRange(TimeSpan.FromSeconds(10), TimeSpan.FromSeconds(20)));
        Assert.That(ttls.Distinct().Count(), Is.GreaterThan(100), "staggered, not all equal");
    }

    [Test]
    public void Server_timeout_adds_the_grace() =>
        Assert.That(Policy.ServerTimeout(TimeSpan.FromSeconds(12)), Is.EqualTo(TimeSpan.FromSeconds(22)));
}
