using Microsoft.AspNetCore.Builder;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/allocations and /v1/allocation/:id (the servers' view; /v1/client/allocation/* is the client's).</summary>
public static class AllocRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet("/v1/allocations", ctx =>
        {
            var prefix = ctx.Request.Query["prefix"].ToString();
            var resources = RequestBody.QueryBool(ctx, "resources", whenEmpty: false);
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Allocs, snap =>
                ListOrder.Apply(ctx, prefix.Length == 0 ? snap.Allocs.Values : snap.AllocsByPrefix(prefix), prefix.Length > 0,
                    a => a.CreateIndex, a => a.ID).Select(a => AllocListStub.From(a, resources)).ToList());
        });

        // The full allocation, its job included.
        app.MapGet("/v1/allocation/{id}", ctx =>
        {
            var id = (string)ctx.Request.RouteValues["id"]!;
            return BlockingQuery.RespondOneAsync(ctx, agent, Tables.Allocs, snap => snap.AllocById(id), a => a.ModifyIndex);
        });
    }
}
