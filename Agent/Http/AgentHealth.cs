namespace Nomad.Agent.Http;

/// <summary>
/// GET /v1/agent/health, as Nomad answers it: <c>{"client": {"ok", "message"}, "server": {...}}</c> with a part for
/// each role this agent runs. A client is healthy when it knows a server, a server when its cluster has a leader;
/// any unhealthy part makes the answer a 500. <c>?type=client</c> / <c>?type=server</c> asks for those parts only,
/// and a part asked for but not run is unhealthy ("client not enabled").
/// </summary>
public static class AgentHealth
{
    public sealed record Result(bool Ok, Dictionary<string, object> Body);

    public static Result Check(IAgentInfo agent, IReadOnlyList<string>? types)
    {
        var body = new Dictionary<string, object>();
        bool checkClient = types is null || types.Contains("client");
        bool checkServer = types is null || types.Contains("server");
        if (types is not null)
        {
            if (checkClient) body["client"] = Part(false, "client not enabled");
            if (checkServer) body["server"] = Part(false, "server not enabled");
        }

        if (checkClient && agent.Client is not null)
            body["client"] = ClientServers(agent).Count == 0 ? Part(false, "no known servers") : Part(true, "ok");
        if (checkServer && agent.Server is { } server)
            body["server"] = string.IsNullOrEmpty(server.Consensus.LeaderAddress) ? Part(false, "no leader") : Part(true, "ok");

        bool ok = body.Values.All(p => ((Dictionary<string, object>)p)["ok"] is true);
        return new Result(ok, body);
    }

    /// <summary>The servers this agent's client knows: as the servers reported them, else as configured or set.</summary>
    public static IReadOnlyList<string> ClientServers(IAgentInfo agent) =>
        agent.Client?.KnownServers is { Count: > 0 } known ? known : agent.KnownServers;

    private static Dictionary<string, object> Part(bool ok, string message) => new() { ["ok"] = ok, ["message"] = message };
}
