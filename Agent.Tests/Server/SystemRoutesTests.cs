using System.Net;
using System.Net.Sockets;
using Nomad.Agent.Client;
using Nomad.Agent.Config;
using Nomad.Agent.Http;
using Nomad.Agent.Logging;
using Nomad.Agent.Server;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Server;

public sealed class SystemRoutesTests
{
    private sealed class Agent(NomadServer server) : IAgentInfo
    {
        public AgentConfig Config { get; } = new() { Region = "global" };
        public NomadServer? Server => server;
        public NomadClient? Client => null;
        public Task SetClientServersAsync(IReadOnlyList<string> servers) => Task.CompletedTask;
        public Dictionary<string, Dictionary<string, string>> Stats() => new();
    }

    private static int FreePort()
    {
        using var l = new TcpListener(IPAddress.Loopback, 0);
        l.Start();
        return ((IPEndPoint)l.LocalEndpoint).Port;
    }

    [Test]
    public async Task Put_system_gc_collects_at_once_and_reconcile_summaries_answers_200()
    {
        await using var ts = await TestServer.StartAsync();
        var job = TestServer.Job("done", type: JobType.Batch);
        var eval = TestServer.Eval(job, EvalStatus.Complete);
        await ts.ApplyAsync(new JobRegisterCommand(job, eval, UnixNanos.Now()));
        var live = TestServer.Job("live");
        await ts.ApplyAsync(new JobRegisterCommand(live, TestServer.Eval(live), UnixNanos.Now()));
        Assert.That(ts.State.Current.JobById("done")!.Status, Is.EqualTo(JobStatus.Dead));

        var port = FreePort();
        await using var http = await HttpApi.StartAsync(new IPEndPoint(IPAddress.Loopback, port), new Agent(ts.Server),
            new LogSink(TextWriter.Null, LogSeverity.Off), CancellationToken.None);
        using var client = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}") };

        var gc = await client.PutAsync("/v1/system/gc", null);
        Assert.That(gc.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That(await gc.Content.ReadAsStringAsync(), Is.Empty);
        Assert.That(ts.State.Current.JobById("done"), Is.Null);
        Assert.That(ts.State.Current.EvalById(eval.ID), Is.Null);
        Assert.That(ts.State.Current.JobById("live"), Is.Not.Null, "a pending job stays");

        var reconcile = await client.PutAsync("/v1/system/reconcile/summaries", null);
        Assert.That(reconcile.StatusCode, Is.EqualTo(HttpStatusCode.OK));
        Assert.That((await client.GetAsync("/v1/system/gc")).StatusCode, Is.Not.EqualTo(HttpStatusCode.OK), "GC is a PUT");
    }
}
