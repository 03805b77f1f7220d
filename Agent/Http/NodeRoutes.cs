using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using System.Text.Json.Nodes;
using Nomad.Agent.Logging;
using Nomad.Agent.Server;
using Nomad.Agent.State;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/nodes and /v1/node/:id.</summary>
public static class NodeRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent, Logger log)
    {
        app.MapGet("/v1/nodes", ctx =>
        {
            var prefix = ctx.Request.Query["prefix"].ToString();
            var resources = RequestBody.QueryBool(ctx, "resources", whenEmpty: false);
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Nodes, snap =>
                (prefix.Length == 0 ? snap.Nodes.Values : snap.NodesByPrefix(prefix)).Select(n => NodeListStub.From(n, resources)).ToList());
        });

        app.MapGet("/v1/node/{id}", ctx =>
        {
            var id = (string)ctx.Request.RouteValues["id"]!;
            return BlockingQuery.RespondOneAsync(ctx, agent, Tables.Nodes, snap => Public(snap.NodeById(id)), n => n.ModifyIndex);
        });

        // Full allocations, as Nomad's Node.GetAllocs answers (not list stubs).
        app.MapGet("/v1/node/{id}/allocations", ctx =>
        {
            var id = (string)ctx.Request.RouteValues["id"]!;
            return BlockingQuery.RespondAsync(ctx, agent, Tables.Allocs, snap =>
                snap.AllocsForNode(id).OrderByDescending(a => a.CreateIndex).ThenBy(a => a.ID, StringComparer.Ordinal).ToList());
        });

        var control = new Lazy<NodeControlEndpoint>(() =>
        {
            var server = Server(agent);
            return new NodeControlEndpoint(server.Consensus, server.State, log);
        });

        // Body: Nomad's api.NodeUpdateDrainRequest {DrainSpec: {Deadline, IgnoreSystemJobs} | null, MarkEligible}.
        app.MapMethods("/v1/node/{id}/drain", ["PUT", "POST"], async ctx =>
        {
            var body = await RequestBody.ReadObjectAsync(ctx).ConfigureAwait(false);
            DrainSpec? spec = null;
            switch (RequestBody.Get(body, "DrainSpec"))
            {
                case null: break;
                case JsonObject o:
                    spec = new DrainSpec(RequestBody.Int64(o, "Deadline"), RequestBody.Bool(o, "IgnoreSystemJobs"));
                    break;
                default: throw new BadRequestException("DrainSpec: must be an object or null");
            }
            var reply = await control.Value.UpdateDrainAsync(Id(ctx), spec, RequestBody.Bool(body, "MarkEligible"), ctx.RequestAborted).ConfigureAwait(false);
            await WriteAsync(ctx, agent, reply).ConfigureAwait(false);
        });

        // Body: {"Eligibility": "eligible" | "ineligible"}.
        app.MapMethods("/v1/node/{id}/eligibility", ["PUT", "POST"], async ctx =>
        {
            var body = await RequestBody.ReadObjectAsync(ctx).ConfigureAwait(false);
            var eligibility = RequestBody.String(body, "Eligibility") ?? "";
            var reply = await control.Value.UpdateEligibilityAsync(Id(ctx), eligibility, ctx.RequestAborted).ConfigureAwait(false);
            await WriteAsync(ctx, agent, reply).ConfigureAwait(false);
        });

        app.MapMethods("/v1/node/{id}/evaluate", ["PUT", "POST"], async ctx =>
        {
            var reply = await control.Value.EvaluateAsync(Id(ctx), ctx.RequestAborted).ConfigureAwait(false);
            await WriteAsync(ctx, agent, reply).ConfigureAwait(false);
        });
    }

    private static Task WriteAsync(HttpContext ctx, IAgentInfo agent, NodeDrainUpdateResponse reply)
    {
        reply = reply with { KnownLeader = agent.Server?.Consensus.LeaderAddress is not null };
        BlockingQuery.SetHeaders(ctx, agent, reply.Index);
        return ApiJson.WriteAsync(ctx, reply);
    }

    private static string Id(HttpContext ctx) => (string)ctx.Request.RouteValues["id"]!;

    private static NomadServer Server(IAgentInfo agent) =>
        agent.Server ?? throw new BadRequestException("this agent is not a server and has no server to forward this request to");

    /// <summary>The node as the API shows it: the secret never leaves the servers.</summary>
    private static Node? Public(Node? n) => n is null ? null : n with { SecretID = "" };
}
