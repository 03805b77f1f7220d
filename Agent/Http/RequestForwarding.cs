using Microsoft.AspNetCore.Http;
using Nomad.Agent.Consensus;
using Nomad.Agent.Rpc;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// Any server answers any request, as Nomad's RPC forwarding does, in one place for every route:
/// <list type="bullet">
/// <item>`?region=X` naming another region goes to an alive server of region X (from the gossip pool);</item>
/// <item>on a follower, writes and default (consistent) reads of the cluster state go to the leader;
/// `?stale` reads, and this agent's own endpoints (agent, client, status, regions, operator raft), are served here;</item>
/// <item>a client-only agent (no server here) sends everything but its own agent and client endpoints to one of
/// its known servers, as Nomad's client agents do, trying the next one when a server cannot be dialled.</item>
/// </list>
/// The request travels whole over the RPC port (<see cref="IHttpForwarding"/>, reused connections) and the target
/// replays it through its own routes (<see cref="HttpReplay"/>). While no leader is known, a request waits for one
/// up to <see cref="Server.LeaderLookup.Wait"/> (Nomad's RPC hold timeout), so elections look like latency rather than errors.
/// </summary>
public sealed class RequestForwarding(IAgentInfo agent, RpcConnectionPool pool)
{
    /// <summary>What a forwarded blocking query may take beyond its `wait` (and jitter) before it is given up.</summary>
    private static readonly TimeSpan BlockingMargin = TimeSpan.FromSeconds(10);
    private const int MaxHops = 3;
    private static readonly string[] LocalPrefixes = ["/v1/agent/", "/v1/client/", "/v1/status/", "/v1/regions", "/v1/operator/raft/", "/v1/metrics"];
    // What a client-only agent answers itself; `/v1/agent/members` is the servers' gossip pool, asked of a server.
    private static readonly string[] ClientLocalPrefixes = ["/v1/agent/", "/v1/client/", "/v1/metrics"];
    /// <summary>The request headers a forwarded request carries (and the only ones a replay accepts).</summary>
    internal static readonly string[] ForwardedRequestHeaders = ["Content-Type", "X-Nomad-Token", "Accept"];

    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        var unreachable = new HashSet<string>(StringComparer.Ordinal);
        var target = await TargetAsync(ctx, unreachable).ConfigureAwait(false);
        if (target is null)
        {
            await next(ctx).ConfigureAwait(false);
            return;
        }
        // A websocket (alloc exec) is a stream, not a request to buffer and replay elsewhere.
        if (ctx.WebSockets.IsWebSocketRequest)
            throw new BadRequestException($"cannot forward a websocket request to another server (region \"{ctx.Request.Query["region"]}\"); send it to a server of that region");
        using var body = new MemoryStream();
        await ctx.Request.Body.CopyToAsync(body, ctx.RequestAborted).ConfigureAwait(false);
        while (true)
        {
            try
            {
                await ForwardAsync(ctx, target, body.ToArray()).ConfigureAwait(false);
                return;
            }
            catch (ServerUnreachableException e)
            {
                // Nothing was sent: a leader that just died. Wait for the next one (or serve here if it is us).
                unreachable.Add(e.Address);
                target = await TargetAsync(ctx, unreachable).ConfigureAwait(false);
                if (target is null)
                {
                    ctx.Request.Body = new MemoryStream(body.ToArray());
                    await next(ctx).ConfigureAwait(false);
                    return;
                }
            }
        }
    }

    /// <summary>The RPC address to forward to, or null to serve here.</summary>
    /// <param name="unreachable">server addresses found dead during this request: wait for or pick another.</param>
    private async Task<string?> TargetAsync(HttpContext ctx, IReadOnlySet<string> unreachable)
    {
        var hops = int.TryParse(ctx.Request.Headers[HttpReplay.HopsHeader], out var h) ? h : 0;
        var region = ctx.Request.Query["region"].ToString();
        var server = agent.Server;
        if (server is null) return ClientTarget(ctx.Request, hops, unreachable);
        // The agent's own endpoints answer for this agent whatever region is named (the CLI sends -region on every call).
        if (region.Length > 0 && region != agent.Config.Region && !(ctx.Request.Path.Value ?? "").StartsWith("/v1/agent/", StringComparison.Ordinal))
        {
            if (hops >= MaxHops || server.Gossip is not { } gossip) throw new BadRequestException($"No path to region \"{region}\"");
            var candidates = gossip.Servers().Where(s => s.Region == region && s.IsAlive).ToList();
            candidates.RemoveAll(c => unreachable.Contains(c.RpcAddress));
            if (candidates.Count == 0) throw new BadRequestException($"No path to region \"{region}\"");
            return candidates[Random.Shared.Next(candidates.Count)].RpcAddress;
        }
        if (hops >= MaxHops || !IsClusterState(ctx.Request)) return null;
        if (HttpMethods.IsGet(ctx.Request.Method) && ctx.Request.Query.ContainsKey("stale")
            && ctx.Request.Query["stale"].ToString() is "" or "true" or "1") return null;

        var leader = await Server.LeaderLookup.LeaderAsync(server.Consensus, unreachable.Contains, DateTime.UtcNow + Server.LeaderLookup.Wait, ctx.RequestAborted)
            .ConfigureAwait(false);
        if (leader is not null) pool.NoteLeader(leader);
        return leader;
    }

    /// <summary>
    /// The forwarded call's deadline: the pool's default, or for a blocking query (`?index=`) its `wait`
    /// (default and cap 5 min) plus its jitter (wait/16) and a margin.
    /// </summary>
    internal static TimeSpan? CallTimeout(IQueryCollection query)
    {
        if (!query.ContainsKey("index")) return null;
        var wait = TimeSpan.FromMinutes(5);
        if (query.TryGetValue("wait", out var w) && Structs.GoDuration.TryParse(w.ToString(), out var parsed) && parsed > TimeSpan.Zero && parsed < wait)
            wait = parsed;
        return wait + wait / 16 + BlockingMargin;
    }

    /// <summary>A client-only agent's target: one of its servers (the one its client talks to first), or null to serve here.</summary>
    private string? ClientTarget(HttpRequest request, int hops, IReadOnlySet<string> unreachable)
    {
        var path = request.Path.Value ?? "";
        if (hops >= MaxHops || !path.StartsWith("/v1/", StringComparison.Ordinal)) return null;
        if (ClientLocalPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal)) && path != "/v1/agent/members") return null;
        var servers = agent.KnownServers;
        if (servers.Count == 0) throw new BadRequestException("this agent is not a server and knows no servers to forward to");
        return servers.FirstOrDefault(s => !unreachable.Contains(s))
            ?? throw new IOException($"no servers reachable (tried {string.Join(", ", unreachable)})");
    }

    private static bool IsClusterState(HttpRequest request)
    {
        var path = request.Path.Value ?? "";
        return path.StartsWith("/v1/", StringComparison.Ordinal) && !LocalPrefixes.Any(p => path.StartsWith(p, StringComparison.Ordinal));
    }

    private async Task ForwardAsync(HttpContext ctx, string target, byte[] body)
    {
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in ForwardedRequestHeaders)
            if (ctx.Request.Headers.TryGetValue(name, out var v)) headers[name] = v.ToString();
        var hops = int.TryParse(ctx.Request.Headers[HttpReplay.HopsHeader], out var h) ? h : 0;
        var request = new ForwardedHttpRequest(ctx.Request.Method, RawPathRouting.EscapedPath(ctx) + ctx.Request.QueryString, headers, body, hops);

        var reply = await pool.CallAsync<IHttpForwarding, ForwardedHttpResponse>(target, s => s.ForwardHttpAsync(request, ctx.RequestAborted), ctx.RequestAborted,
                CallTimeout(ctx.Request.Query))
            .ConfigureAwait(false);
        ctx.Response.StatusCode = reply.Status;
        foreach (var (name, value) in reply.Headers) ctx.Response.Headers[name] = value;
        await ctx.Response.Body.WriteAsync(reply.Body, ctx.RequestAborted).ConfigureAwait(false);
    }
}
