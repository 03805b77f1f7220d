using System.Net;
using Nomad.Agent.Rpc;

namespace Nomad.Agent.Http;

/// <summary>
/// The receiving end of <see cref="IHttpForwarding"/>: replays a request forwarded by another server through this
/// agent's own HTTP listener (loopback), so it passes the same routes, validation and error mapping as a local one.
/// </summary>
public sealed class HttpReplay : IHttpForwarding, IDisposable
{
    /// <summary>Header carrying how many servers forwarded the request already.</summary>
    public const string HopsHeader = "X-Nomad-Forwarded";

    private static readonly string[] CopiedResponseHeaders = ["Content-Type", "X-Nomad-Index", "X-Nomad-KnownLeader", "X-Nomad-LastContact"];
    private readonly HttpClient _http;

    public HttpReplay(IPEndPoint bind)
    {
        var ip = bind.Address.Equals(IPAddress.Any) ? IPAddress.Loopback : bind.Address.Equals(IPAddress.IPv6Any) ? IPAddress.IPv6Loopback : bind.Address;
        _http = new HttpClient(new SocketsHttpHandler { PooledConnectionIdleTimeout = TimeSpan.FromMinutes(5) })
        {
            BaseAddress = new Uri($"http://{new IPEndPoint(ip, bind.Port)}"),
            Timeout = Timeout.InfiniteTimeSpan, // blocking queries; the caller's cancellation ends them
        };
    }

    public async Task<ForwardedHttpResponse> ForwardHttpAsync(ForwardedHttpRequest request, CancellationToken ct = default)
    {
        // Anything that reaches the RPC port can send this: only an API path of this agent is replayed, never an
        // absolute URL (which would make this server fetch it for the caller), and only the headers a forward carries.
        if (!request.PathAndQuery.StartsWith("/v1/", StringComparison.Ordinal) || !Uri.TryCreate(request.PathAndQuery, UriKind.Relative, out var target))
            return new ForwardedHttpResponse(400, new Dictionary<string, string> { ["Content-Type"] = "text/plain" },
                System.Text.Encoding.UTF8.GetBytes($"forwarded request path must start with /v1/: {request.PathAndQuery}"));
        using var message = new HttpRequestMessage(new HttpMethod(request.Method), target);
        if (request.Body.Length > 0 || request.Method is "PUT" or "POST")
        {
            message.Content = new ByteArrayContent(request.Body);
            if (request.Headers.TryGetValue("Content-Type", out var type)) message.Content.Headers.TryAddWithoutValidation("Content-Type", type);
        }
        foreach (var (name, value) in request.Headers)
            if (!name.Equals("Content-Type", StringComparison.OrdinalIgnoreCase)
                && RequestForwarding.ForwardedRequestHeaders.Contains(name, StringComparer.OrdinalIgnoreCase))
                message.Headers.TryAddWithoutValidation(name, value);
        message.Headers.TryAddWithoutValidation(HopsHeader, (request.Hops + 1).ToString());

        using var response = await _http.SendAsync(message, ct).ConfigureAwait(false);
        var body = await response.Content.ReadAsByteArrayAsync(ct).ConfigureAwait(false);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var name in CopiedResponseHeaders)
        {
            if (response.Headers.TryGetValues(name, out var v) || response.Content.Headers.TryGetValues(name, out v))
                headers[name] = string.Join(",", v);
        }
        return new ForwardedHttpResponse((int)response.StatusCode, headers, body);
    }

    public void Dispose() => _http.Dispose();
}
