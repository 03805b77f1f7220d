using Microsoft.AspNetCore.Http;
using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>Turns exceptions into Nomad's plain-text error replies; no stack trace ever reaches a caller.</summary>
public sealed class ErrorMapping(Logger log)
{
    public async Task InvokeAsync(HttpContext ctx, RequestDelegate next)
    {
        try
        {
            await next(ctx).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (ctx.RequestAborted.IsCancellationRequested) { }
        catch (Exception e)
        {
            var (status, message) = e switch
            {
                BadRequestException => (400, e.Message),
                PermissionDeniedException => (403, e.Message),
                NotFoundException => (404, e.Message),
                NotLeaderException => (500, "No cluster leader"),
                _ => (500, e.Message),
            };
            if (status == 500) log.Error($"request failed: method={ctx.Request.Method} path={ctx.Request.Path} error=\"{e.Message}\"");
            if (ctx.Response.HasStarted) return;
            ctx.Response.Clear();
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync(message).ConfigureAwait(false);
        }
    }
}
