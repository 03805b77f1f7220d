using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/client/stats and /v1/client/allocation/:id/stats: the usage of this agent's host and allocations.</summary>
public static class ClientRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet("/v1/client/stats", ctx =>
        {
            var client = agent.Client ?? throw new BadRequestException("this agent is not a client");
            var nodeId = ctx.Request.Query["node_id"].ToString();
            // Another node's stats live on that node's agent; forwarding there arrives with the jobs work.
            if (nodeId.Length > 0 && !string.Equals(nodeId, client.Identity.NodeId, StringComparison.OrdinalIgnoreCase))
                throw new BadRequestException($"node_id: {nodeId} is not this agent's node; ask that node's agent");
            return ApiJson.WriteAsync(ctx, client.HostStats.Collect());
        });

        app.MapGet("/v1/client/allocation/{alloc}/stats", async ctx =>
        {
            var id = (string)ctx.Request.RouteValues["alloc"]!;
            if (await ClientAllocLookup.LocalOrForwardAsync(ctx, agent, id) is not { } runner) return;
            await ApiJson.WriteAsync(ctx, await runner.StatsAsync(ctx.RequestAborted).ConfigureAwait(false)).ConfigureAwait(false);
        });
    }
}
