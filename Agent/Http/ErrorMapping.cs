using Microsoft.AspNetCore.Http;
using Nomad.Agent.Consensus;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// Turns exceptions into Nomad's plain-text error replies, always one line and never a stack trace. Input the
/// routes refuse is a <see cref="BadRequestException"/> (400); what Kestrel refuses while reading a request (a body
/// too large, a connection cut mid-body) keeps Kestrel's status. Anything else is a bug: a 500 whose stack goes to
/// the agent's log.
/// </summary>
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
                RoleNotRunException => (501, e.Message),
                Microsoft.AspNetCore.Http.BadHttpRequestException bad => (bad.StatusCode, e.Message),
                NotLeaderException => (500, "No cluster leader"),
                _ => (500, e.Message),
            };
            if (status == 500)
            {
                // A lost leader is an outage, not a bug: no stack for it.
                var stack = e is NotLeaderException ? "" : $"\n{e}";
                log.Error($"request failed: method={ctx.Request.Method} path={ctx.Request.Path} error=\"{OneLine(e.Message)}\"{stack}");
            }
            if (ctx.Response.HasStarted) return;
            ctx.Response.Clear();
            ctx.Response.StatusCode = status;
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync(OneLine(message)).ConfigureAwait(false);
        }
    }

    /// <summary>A message on one line: line breaks become spaces.</summary>
    internal static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
