using Microsoft.AspNetCore.Http;
using Nomad.Agent.Client.Allocs;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// Finds the allocation a /v1/client/... request names on this agent's client; when it runs elsewhere and
/// this agent is a server, the request is forwarded to that node's HTTP address and its answer streamed back.
/// </summary>
public static class ClientAllocLookup
{
    // Follows of logs last as long as the caller wants: no overall timeout.
    private static readonly HttpClient Forwarder = new() { Timeout = Timeout.InfiniteTimeSpan };

    /// <summary>The local runner, or null once the request was forwarded and answered.</summary>
    public static async Task<AllocRunner?> LocalOrForwardAsync(HttpContext ctx, IAgentInfo agent, string allocId)
    {
        if (allocId.Length == 0) throw new BadRequestException("missing allocation ID");
        if (agent.Allocs?.Manager.Get(allocId) is { } runner) return runner;
        await ForwardAsync(ctx, RemoteHttpAddr(agent, allocId)).ConfigureAwait(false);
        return null;
    }

    /// <summary>The HTTP address of the agent running an allocation this agent's client does not have (servers only).</summary>
    public static string RemoteHttpAddr(IAgentInfo agent, string allocId)
    {
        var server = agent.Server;
        var snap = server?.State.Current;
        var alloc = snap?.AllocById(allocId);
        if (alloc is null || snap is null) throw new NotFoundException($"Unknown allocation \"{allocId}\"");
        var node = snap.NodeById(alloc.NodeID);
        if (node is null || node.HTTPAddr.Length == 0 || (agent.Client is { } c && c.Identity.NodeId == node.ID))
            throw new NotFoundException($"Unknown allocation \"{allocId}\"");
        return node.HTTPAddr;
    }

    private static async Task ForwardAsync(HttpContext ctx, string httpAddr)
    {
        var uri = $"http://{httpAddr}{RawPathRouting.EscapedPath(ctx)}{ctx.Request.QueryString}";
        using var req = new HttpRequestMessage(new HttpMethod(ctx.Request.Method), uri);
        using var resp = await Forwarder.SendAsync(req, HttpCompletionOption.ResponseHeadersRead, ctx.RequestAborted).ConfigureAwait(false);
        ctx.Response.StatusCode = (int)resp.StatusCode;
        if (resp.Content.Headers.ContentType is { } type) ctx.Response.ContentType = type.ToString();
        await using var body = await resp.Content.ReadAsStreamAsync(ctx.RequestAborted).ConfigureAwait(false);
        var buffer = new byte[16 * 1024];
        int n;
        // Copy chunk by chunk, flushing each, so that a followed log arrives as it is written.
        while ((n = await body.ReadAsync(buffer, ctx.RequestAborted).ConfigureAwait(false)) > 0)
        {
            await ctx.Response.Body.WriteAsync(buffer.AsMemory(0, n), ctx.RequestAborted).ConfigureAwait(false);
            await ctx.Response.Body.FlushAsync(ctx.RequestAborted).ConfigureAwait(false);
        }
    }

}
