using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/status/leader, /v1/status/peers, /v1/regions.</summary>
public static class StatusRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet("/v1/status/leader", ctx => ApiJson.WriteAsync(ctx, Server(agent).Consensus.LeaderAddress ?? ""));
        app.MapGet("/v1/status/peers", ctx => ApiJson.WriteAsync(ctx, Server(agent).Consensus.Peers));
        // Every region with a server in the gossip pool (servers of all regions share one pool).
        app.MapGet("/v1/regions", ctx => ApiJson.WriteAsync(ctx,
            (agent.Server?.Gossip?.Servers().Where(s => s.State != Gossip.MemberState.Left).Select(s => s.Region) ?? [])
                .Append(agent.Config.Region!).Distinct().Order(StringComparer.Ordinal).ToList()));
    }

    private static Server.NomadServer Server(IAgentInfo agent) =>
        agent.Server ?? throw new BadRequestException("this agent is not a server and has no server to forward this request to");
}
