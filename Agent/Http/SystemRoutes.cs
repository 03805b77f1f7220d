using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/system/gc and /v1/system/reconcile/summaries (Nomad's System endpoints; both answer 200 with no body).</summary>
public static class SystemRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent)
    {
        // A forced GC ignores the age thresholds: every terminal evaluation, allocation, dead job and down node goes.
        app.MapPut("/v1/system/gc", async ctx =>
        {
            var server = Server(agent);
            await server.CoreGc.ForceAsync(ctx.RequestAborted);
            await server.NodeGc.ForceAsync(ctx.RequestAborted);
            ctx.Response.StatusCode = StatusCodes.Status200OK;
        });
        // Job summaries are derived from the allocations on every read here, so there is nothing to reconcile.
        app.MapPut("/v1/system/reconcile/summaries", ctx =>
        {
            Server(agent);
            ctx.Response.StatusCode = StatusCodes.Status200OK;
            return Task.CompletedTask;
        });
    }

    private static Server.NomadServer Server(IAgentInfo agent) =>
        agent.Server ?? throw new BadRequestException("this agent is not a server and has no server to forward this request to");
}
