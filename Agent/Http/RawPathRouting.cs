using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// Routing on the path as the client escaped it, so an ID may hold any character (Nomad accepts job IDs such as
/// <c>a/b?c&amp;d:e%f字</c>, which its API client sends as <c>/v1/job/a%2Fb%3Fc&amp;d:e%25f%E5%AD%97</c>).
/// Kestrel's <see cref="HttpRequest.Path"/> decodes every escape but <c>%2F</c>, so <c>a%2Fb</c> and <c>a%252Fb</c>
/// both arrive as <c>a%2Fb</c>. Before routing, a path that holds escapes is rebuilt from the raw request target:
/// each segment is decoded once and only <c>%</c> and <c>/</c> are escaped again, so a segment stays one segment;
/// after routing, route values are decoded back to the real IDs. Around that, the generic answers: a path no route
/// knows is a 404, and a known path asked with a method none of its routes takes is Nomad's 405 <c>Invalid method</c>.
/// (A NUL in a path, <c>%00</c>, never gets here: Kestrel refuses the request line with a 400.)
/// </summary>
public static class RawPathRouting
{
    private const string SegmentsKey = "nomad.http.raw-path-segments";

    /// <summary>Runs before routing: rebuilds <see cref="HttpRequest.Path"/> from the raw target when it holds escapes.</summary>
    public static Task BeforeRoutingAsync(HttpContext ctx, RequestDelegate next)
    {
        if (RawPath(ctx) is { } raw && raw.Contains('%'))
        {
            var segments = DecodedSegments(raw);
            ctx.Items[SegmentsKey] = segments;
            ctx.Request.Path = new PathString("/" + string.Join('/', segments.Select(EscapeForRouting)));
        }
        return next(ctx);
    }

    /// <summary>Runs after routing: 404 for no route, real IDs in the route values, the 405 body.</summary>
    public static async Task AfterRoutingAsync(HttpContext ctx, RequestDelegate next)
    {
        if (ctx.GetEndpoint() is null) throw new NotFoundException($"Invalid URL path: {ctx.Request.Path}");
        if (ctx.Items.ContainsKey(SegmentsKey))
            foreach (var (name, value) in ctx.Request.RouteValues.ToList())
                if (value is string text) ctx.Request.RouteValues[name] = UnescapeFromRouting(text);
        await next(ctx).ConfigureAwait(false);
        // ASP.NET's routing answers a known path with another method by a bodiless 405; Nomad says why.
        if (ctx.Response.StatusCode == StatusCodes.Status405MethodNotAllowed && !ctx.Response.HasStarted)
        {
            ctx.Response.ContentType = "text/plain; charset=utf-8";
            await ctx.Response.WriteAsync("Invalid method").ConfigureAwait(false);
        }
    }

    /// <summary>
    /// The request's path escaped for sending on (request forwarding): each segment as Nomad's client escapes it,
    /// so the receiver decodes the same segments this agent did.
    /// </summary>
    public static string EscapedPath(HttpContext ctx) =>
        ctx.Items.TryGetValue(SegmentsKey, out var s) && s is List<string> segments
            ? "/" + string.Join('/', segments.Select(UrlPath.Escape))
            : ctx.Request.Path.ToUriComponent();

    /// <summary>The path of the request target as the client sent it (escapes intact); null when there is none.</summary>
    private static string? RawPath(HttpContext ctx)
    {
        var target = ctx.Features.Get<IHttpRequestFeature>()?.RawTarget;
        if (string.IsNullOrEmpty(target)) return null;
        if (target[0] != '/')
        {
            // Absolute form (http://host/path): the path starts at the first slash after the authority.
            var scheme = target.IndexOf("://", StringComparison.Ordinal);
            if (scheme < 0) return null;
            var slash = target.IndexOf('/', scheme + 3);
            if (slash < 0) return null;
            target = target[slash..];
        }
        var query = target.IndexOf('?');
        return query < 0 ? target : target[..query];
    }

    /// <summary>The path's segments, each decoded once, with `.` and `..` resolved as Kestrel and Go's mux resolve them.</summary>
    private static List<string> DecodedSegments(string rawPath)
    {
        var segments = new List<string>();
        foreach (var raw in rawPath[1..].Split('/'))
        {
            var segment = Uri.UnescapeDataString(raw);
            if (segment == ".") continue;
            if (segment == "..")
            {
                if (segments.Count > 0) segments.RemoveAt(segments.Count - 1);
                continue;
            }
            segments.Add(segment);
        }
        return segments;
    }

    private static string EscapeForRouting(string segment) => segment.Replace("%", "%25").Replace("/", "%2F");

    private static string UnescapeFromRouting(string value)
    {
        if (!value.Contains('%')) return value;
        var sb = new StringBuilder(value.Length);
        for (int i = 0; i < value.Length; i++)
        {
            var rest = value.AsSpan(i);
            if (rest.StartsWith("%2F", StringComparison.Ordinal)) { sb.Append('/'); i += 2; }
            else if (rest.StartsWith("%25", StringComparison.Ordinal)) { sb.Append('%'); i += 2; }
            else sb.Append(value[i]);
        }
        return sb.ToString();
    }
}
