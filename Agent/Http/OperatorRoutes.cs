using Microsoft.AspNetCore.Builder;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>/v1/operator/raft/*: the Raft voters, named from the gossip pool.</summary>
public static class OperatorRoutes
{
    public static void Map(WebApplication app, IAgentInfo agent)
    {
        app.MapGet("/v1/operator/raft/configuration", ctx =>
        {
            var server = agent.Server ?? throw new BadRequestException("this agent is not a server");
            var byRpc = (server.Gossip?.Servers() ?? []).Where(s => s.Region == server.Options.Region)
                .GroupBy(s => s.RpcAddress).ToDictionary(g => g.Key, g => g.First());
            var leader = server.Consensus.LeaderAddress;
            var servers = server.Consensus.Peers.Select(address =>
            {
                byRpc.TryGetValue(address, out var peer);
                var self = address == server.Options.RpcAdvertise;
                return new Dictionary<string, object?>
                {
                    ["ID"] = peer?.Id ?? (self ? server.Options.ServerId : address),
                    ["Node"] = peer?.Name ?? (self ? server.Options.MemberName : "(unknown)"),
                    ["Address"] = address,
                    ["Leader"] = address == leader,
                    ["Voter"] = true,
                    ["RaftProtocol"] = "3",
                };
            }).ToList();
            BlockingQuery.SetHeaders(ctx, agent, Math.Max(server.State.Current.Index, 1UL));
            return ApiJson.WriteAsync(ctx, new Dictionary<string, object?> { ["Servers"] = servers, ["Index"] = server.State.Current.Index });
        });
    }
}
