using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>The agent's HTTP API on Kestrel: Nomad's /v1 endpoints, by noun.</summary>
public sealed class HttpApi : IAsyncDisposable
{
    private readonly WebApplication _app;
    private readonly Rpc.RpcConnectionPool _forwardPool;

    private HttpApi(WebApplication app, Rpc.RpcConnectionPool forwardPool, HttpReplay replay)
    {
        _app = app;
        _forwardPool = forwardPool;
        Replay = replay;
    }

    /// <summary>Serves requests other servers forward to this one (through the RPC port).</summary>
    public HttpReplay Replay { get; }

    /// <summary>Binds and starts listening; throws <see cref="IOException"/> when the address is in use.</summary>
    public static async Task<HttpApi> StartAsync(IPEndPoint bind, IAgentInfo agent, LogSink sink, CancellationToken ct)
    {
        var builder = WebApplication.CreateSlimBuilder();
        builder.Logging.ClearProviders();
        builder.Logging.AddProvider(new ExtensionsLoggerProvider(sink, _ => "http"));
        builder.Logging.SetMinimumLevel(Microsoft.Extensions.Logging.LogLevel.Warning);
        builder.WebHost.ConfigureKestrel(k =>
        {
            k.Listen(bind);
            k.AddServerHeader = false;
        });
        var app = builder.Build();
        // When the agent stops, requests that end only on their own (blocking queries, log follows, exec sessions)
        // end at once, cleanly: otherwise Kestrel holds the agent's exit for its whole stop timeout, then resets them.
        var stopping = app.Lifetime.ApplicationStopping;
        app.Use(async (ctx, next) =>
        {
            using var ended = CancellationTokenSource.CreateLinkedTokenSource(ctx.RequestAborted, stopping);
            ctx.RequestAborted = ended.Token;
            await next(ctx);
            // One cut short before it could answer (a blocking query) must not read as an empty 200: the client
            // sees the connection drop and retries elsewhere, as with a Nomad agent that goes away.
            if (stopping.IsCancellationRequested && !ctx.Response.HasStarted) ctx.Abort();
        });
        var log = sink.For("http");
        var errors = new ErrorMapping(log);
        app.Use(errors.InvokeAsync);
        // Checked per request: SIGHUP can change the log level while the agent runs.
        app.Use(async (ctx, next) =>
        {
            if (!sink.IsEnabled(LogSeverity.Debug)) { await next(ctx); return; }
            var started = System.Diagnostics.Stopwatch.GetTimestamp();
            await next(ctx);
            log.Debug($"request complete: method={ctx.Request.Method} path={ctx.Request.Path}{ctx.Request.QueryString} duration={System.Diagnostics.Stopwatch.GetElapsedTime(started).TotalMilliseconds:0.###}ms");
        });
        app.Use(RawPathRouting.BeforeRoutingAsync);
        app.UseRouting();
        app.Use(RawPathRouting.AfterRoutingAsync);
        var forwardPool = new Rpc.RpcConnectionPool();
        app.Use(new RequestForwarding(agent, forwardPool).InvokeAsync);

        AgentRoutes.Map(app, agent);
        StatusRoutes.Map(app, agent);
        NodeRoutes.Map(app, agent, sink.For("nomad.node"));
        JobRoutes.Map(app, agent, sink.For("nomad.job"));
        EvalRoutes.Map(app, agent);
        AllocRoutes.Map(app, agent);
        ClientRoutes.Map(app, agent);
        ClientFsRoutes.Map(app, agent);
        ClientExecRoutes.Map(app, agent);
        SystemRoutes.Map(app, agent);
        OperatorRoutes.Map(app, agent);
        SchedulerConfigRoutes.Map(app, agent);

        try { await app.StartAsync(ct).ConfigureAwait(false); }
        catch
        {
            forwardPool.Dispose();
            throw;
        }
        return new HttpApi(app, forwardPool, new HttpReplay(bind));
    }

    public async ValueTask DisposeAsync()
    {
        using var cts = new CancellationTokenSource(TimeSpan.FromSeconds(2));
        await _app.StopAsync(cts.Token).ConfigureAwait(false);
        await _app.DisposeAsync().ConfigureAwait(false);
        _forwardPool.Dispose();
        Replay.Dispose();
    }
}
