using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/nodes and /v1/node/:id.</summary>
public static class NodeRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet("/v1/nodes", ctx =>
        {
            var prefix = ctx.Request.Query["prefix"].ToString();
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Nodes, snap =>
                (prefix.Length == 0 ? snap.Nodes.Values : snap.NodesByPrefix(prefix)).Select(NodeListStub.From).ToList());
        });

        app.MapGet("/v1/node/{id}", ctx =>
        {
            var id = (string)ctx.Request.RouteValues["id"]!;
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Nodes, snap => Public(snap.NodeById(id)));
        });

        // Allocations arrive with the jobs work; until then every node has none.
        app.MapGet("/v1/node/{id}/allocations", ctx =>
            BlockingQuery.RespondAsync(ctx, agent, Tables.Nodes, _ => Array.Empty<object>()));
    }

    /// <summary>The node as the API shows it: the secret never leaves the servers.</summary>
    private static Node? Public(Node? n) => n is null ? null : n with { SecretID = "" };
}
