using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Primitives;
using Nomad.Agent.Http;
using Nomad.Agent.State;
using Nomad.Agent.Structs;
using Nomad.Agent.Tests.Server;

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

    /// <summary>
    /// Nomad's Job.GetJob, Alloc.GetAlloc, Eval.GetEval and Node.GetNode answer with the object's ModifyIndex and
    /// block until the object itself changes: a write to another row of its table must not end the wait.
    /// </summary>
    [Test]
    public async Task Single_object_reads_report_and_wait_on_the_objects_own_ModifyIndex()
    {
        await using var api = await ApiServer.StartAsync();
        var now = UnixNanos.Now();
        async Task WriteOneOfEachAsync(string suffix)
        {
            var node = TestServer.Node("node-" + suffix);
            var job = TestServer.Job("job-" + suffix);
            var eval = TestServer.Eval(job, EvalStatus.Complete) with { ID = "eval-" + suffix };
            await api.ApplyAsync(new NodeRegisterCommand(node, null));
            await api.ApplyAsync(new JobRegisterCommand(job, null, now));
            await api.ApplyAsync(new EvalUpsertCommand([eval]));
            await api.ApplyAsync(new PlanApplyCommand(eval.ID, null, [TestServer.Alloc(job, node.ID, eval.ID) with { ID = "alloc-" + suffix }], [], now));
        }
        await WriteOneOfEachAsync("a");
        var first = api.State;
        await WriteOneOfEachAsync("b");
        var objects = new (string Path, ulong ModifyIndex)[]
        {
            ("/v1/node/node-a", first.NodeById("node-a")!.ModifyIndex),
            ("/v1/job/job-a", first.JobById("job-a")!.ModifyIndex),
            ("/v1/evaluation/eval-a", first.EvalById("eval-a")!.ModifyIndex),
            ("/v1/allocation/alloc-a", first.AllocById("alloc-a")!.ModifyIndex),
        };

        async Task<string> IndexOf(string path)
        {
            using var response = await api.Http.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), path);
            return response.Headers.GetValues("X-Nomad-Index").Single();
        }
        foreach (var (path, modifyIndex) in objects)
        {
            Assert.That(modifyIndex, Is.LessThan(api.State.Index), "the table moved on after the object was written");
            Assert.That(await IndexOf(path), Is.EqualTo(modifyIndex.ToString()), path);
            // The tables moved past the object's index, but the object did not: the query waits out its wait.
            Assert.That(await IndexOf($"{path}?index={modifyIndex}&wait=500ms"), Is.EqualTo(modifyIndex.ToString()), path + "?index");
        }

        // A change to the object itself ends the wait, whether it lands before or during the query.
        var nodeIndex = objects[0].ModifyIndex;
        var waiting = IndexOf($"/v1/node/node-a?index={nodeIndex}&wait=60s");
        var changed = await api.ApplyAsync(new NodeEligibilityCommand("node-a", "ineligible", null, null));
        Assert.That(await waiting, Is.EqualTo(changed.ToString()));
    }

    /// <summary>Deployments are never written, so both deployment reads report the deployment table's index, 0, as Nomad does.</summary>
    [Test]
    public async Task Job_deployment_reads_report_the_deployment_tables_index()
    {
        await using var api = await ApiServer.StartAsync();
        await api.ApplyAsync(new JobRegisterCommand(TestServer.Job("web"), null, UnixNanos.Now()));
        foreach (var path in new[] { "/v1/job/web/deployment", "/v1/job/web/deployments" })
        {
            using var response = await api.Http.GetAsync(path);
            Assert.That(response.StatusCode, Is.EqualTo(System.Net.HttpStatusCode.OK), path);
            Assert.That(response.Headers.GetValues("X-Nomad-Index").Single(), Is.EqualTo("0"), path);
        }
    }
}
