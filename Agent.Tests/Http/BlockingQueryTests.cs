using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Nomad.Agent.Http;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Http;

public sealed class BlockingQueryTests
{
    private static IQueryCollection Q(params (string, string)[] kv) =>
        new QueryCollection(kv.ToDictionary(p => p.Item1, p => new StringValues(p.Item2)));

    [Test]
    public void Defaults_to_no_index_and_five_minutes() =>
        Assert.That(BlockingQuery.Parse(Q()), Is.EqualTo((0UL, TimeSpan.FromMinutes(5))));

    [Test]
    public void Wait_is_capped_at_five_minutes_plus_jitter()
    {
        var (index, wait) = BlockingQuery.Parse(Q(("index", "4"), ("wait", "1h")));
        Assert.That(index, Is.EqualTo(4UL));
        Assert.That(wait, Is.InRange(TimeSpan.FromMinutes(5), TimeSpan.FromMinutes(5) + TimeSpan.FromMinutes(5) / 16));
    }

    [TestCase("index", "-1")]
    [TestCase("index", "abc")]
    [TestCase("wait", "soon")]
    [TestCase("wait", "-5s")]
    public void Bad_values_name_the_parameter(string key, string value)
    {
        var e = Assert.Throws<BadRequestException>(() => BlockingQuery.Parse(Q((key, value))));
        Assert.That(e!.Message, Does.Contain(key));
    }
}
