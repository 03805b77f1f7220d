using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/agent/*: this agent's own view.</summary>
public static class AgentRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet("/v1/agent/self", ctx => ApiJson.WriteAsync(ctx, new Dictionary<string, object?>
        {
            ["config"] = AgentSelfConfig.From(agent.Config),
            ["member"] = agent.Server?.Self(),
            ["stats"] = agent.Stats(),
        }));

        app.MapGet("/v1/agent/members", ctx =>
        {
            var server = agent.Server ?? throw new BadRequestException("this agent is not a server");
            return ApiJson.WriteAsync(ctx, new Dictionary<string, object?>
            {
                ["ServerName"] = server.Options.NodeName,
                ["ServerRegion"] = server.Options.Region,
                ["ServerDC"] = server.Options.Datacenter,
                ["Members"] = server.Members(),
            });
        });

        app.MapMethods("/v1/agent/join", ["PUT", "POST"], async ctx =>
        {
            var server = agent.Server ?? throw new RoleNotRunException();
            var addresses = ctx.Request.Query["address"].Where(a => !string.IsNullOrEmpty(a)).Select(a => a!).ToList();
            if (addresses.Count == 0) throw new BadRequestException("missing address to join");
            var gossip = server.Gossip ?? throw new BadRequestException("this server does not gossip");
            var joined = await gossip.JoinAsync(addresses).ConfigureAwait(false);
            await ApiJson.WriteAsync(ctx, new Dictionary<string, object?>
            {
                ["num_joined"] = joined,
                ["error"] = joined == 0 ? $"failed to join any of {string.Join(", ", addresses)}" : "",
            }).ConfigureAwait(false);
        });

        // Serf's force-leave: a failed server is moved to left (the leader then drops it from the Raft peers);
        // -prune also drops it from the member list. A name no member has is no error, as in serf.
        app.MapMethods("/v1/agent/force-leave", ["PUT", "POST"], ctx =>
        {
            var server = agent.Server ?? throw new RoleNotRunException();
            var node = ctx.Request.Query["node"].ToString();
            if (node.Length == 0) throw new BadRequestException("missing node to force leave");
            if (node == server.Options.MemberName || node == server.Options.NodeName)
                throw new BadRequestException($"cannot force-leave \"{node}\": it is this server");
            var prune = RequestBody.QueryBool(ctx, "prune");
            server.Gossip?.ForceLeave(node, prune, server.Options.Region);
            ctx.Response.StatusCode = 200;
            return Task.CompletedTask;
        });

        app.MapGet("/v1/agent/servers", ctx =>
        {
            _ = agent.Client ?? throw new RoleNotRunException();
            return ApiJson.WriteAsync(ctx, AgentHealth.ClientServers(agent).Order(StringComparer.Ordinal).ToList());
        });

        app.MapMethods("/v1/agent/servers", ["PUT", "POST"], async ctx =>
        {
            _ = agent.Client ?? throw new RoleNotRunException();
            var addresses = ctx.Request.Query["address"].Where(a => !string.IsNullOrWhiteSpace(a)).Select(a => a!).ToList();
            if (addresses.Count == 0) throw new BadRequestException("missing server address");
            foreach (var a in addresses)
                if (!Rpc.RpcConnection.TryParseHostPort(a, out _))
                    throw new BadRequestException($"address: \"{a}\" is not host:port");
            await agent.SetClientServersAsync(addresses);
            ctx.Response.StatusCode = 200;
        });

        app.MapGet("/v1/agent/health", ctx =>
        {
            var health = AgentHealth.Check(agent, ctx.Request.Query.TryGetValue("type", out var types) ? types.Select(t => t ?? "").ToList() : null);
            return ApiJson.WriteAsync(ctx, health.Body, health.Ok ? 200 : 500);
        });
    }
}
