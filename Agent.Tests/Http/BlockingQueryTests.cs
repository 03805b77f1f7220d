using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Nomad.Agent.Http;
using Nomad.Agent.State;
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

    /// <summary>Nomad reports a table's own index, 0 until it is first written (its HTTP layer does not clamp it to 1).</summary>
    [Test]
    public async Task Tables_never_written_report_index_0_and_a_query_at_index_0_answers_at_once()
    {
        await using var api = await ApiServer.StartAsync();
        async Task<string> IndexOf(string path)
        {
            using var response = await api.Http.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), path);
            return response.Headers.GetValues("X-Nomad-Index").Single();
        }

        foreach (var path in new[] { "/v1/nodes", "/v1/jobs", "/v1/allocations", "/v1/evaluations" })
        {
            Assert.That(await IndexOf(path), Is.EqualTo("0"), path);
            // What a client asks next with the index it got: Nomad answers ?index=0 without blocking.
            // (A blocking answer would run into the 10-minute wait, far past the HTTP client's timeout.)
            Assert.That(await IndexOf(path + "?index=0&wait=10m"), Is.EqualTo("0"), path + "?index=0");
        }

        var index = await api.ApplyAsync(new NodeRegisterCommand(ShapeFixtures.TestNode, null));
        Assert.That(await IndexOf("/v1/nodes"), Is.EqualTo(index.ToString()));
        Assert.That(await IndexOf("/v1/allocations"), Is.EqualTo("0"), "other tables stay at 0");
    }
}
