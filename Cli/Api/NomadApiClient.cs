using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>
/// A typed client for the agent's HTTP API (/v1), used by every CLI command. Failures come out as
/// <see cref="NomadApiException"/> with a one-line, Nomad-worded message.
/// </summary>
public sealed partial class NomadApiClient : IDisposable
{
    public const string DefaultAddress = "http://127.0.0.1:4646";

    private readonly HttpClient _http;
    /// <summary>For log streams, which may stay open as long as the user follows them.</summary>
    private readonly HttpClient _streams;

    /// <summary>The agent's base address, e.g. http://127.0.0.1:4646.</summary>
    public Uri Address { get; }

    /// <summary>Sent as ?region= on every request when set.</summary>
    public string? Region { get; }

    /// <param name="address">http(s)://host:port; a bare host:port is taken as http.</param>
    /// <param name="region">the region to address, or null for the agent's own.</param>
    /// <param name="handler">the HTTP stack to use; by default a direct connection (no proxy).</param>
    public NomadApiClient(string address, string? region = null, HttpMessageHandler? handler = null)
    {
        Address = ParseAddress(address);
        Region = string.IsNullOrEmpty(region) ? null : region;
        handler ??= new SocketsHttpHandler { UseProxy = false, ConnectTimeout = TimeSpan.FromSeconds(10) };
        _http = new HttpClient(handler, disposeHandler: false) { Timeout = TimeSpan.FromMinutes(5) };
        _streams = new HttpClient(handler, disposeHandler: true) { Timeout = Timeout.InfiniteTimeSpan };
        _http.DefaultRequestHeaders.Accept.Add(new MediaTypeWithQualityHeaderValue("application/json"));
    }

    /// <summary>GET /v1/nodes, optionally only the nodes whose ID starts with <paramref name="prefix"/>.</summary>
    public Task<ApiResponse<List<NodeListStub>>> ListNodesAsync(string? prefix = null, CancellationToken ct = default) =>
        GetAsync<List<NodeListStub>>("/v1/nodes", string.IsNullOrEmpty(prefix) ? [] : [new("prefix", prefix)], ct);

    /// <summary>GET /v1/node/:id.</summary>
    public Task<ApiResponse<Node>> GetNodeAsync(string nodeId, CancellationToken ct = default) =>
        GetAsync<Node>("/v1/node/" + Nomad.Agent.Http.UrlPath.Escape(nodeId), [], ct);

    /// <summary>GET /v1/client/stats?node_id=: the host's usage and uptime as the node's client reports them.</summary>
    public Task<ApiResponse<HostStats>> GetHostStatsAsync(string nodeId, CancellationToken ct = default) =>
        GetAsync<HostStats>("/v1/client/stats", [new("node_id", nodeId)], ct);

    /// <summary>GET /v1/agent/self.</summary>
    public Task<ApiResponse<AgentSelf>> GetAgentSelfAsync(CancellationToken ct = default) =>
        GetAsync<AgentSelf>("/v1/agent/self", [], ct);

    /// <summary>GET /v1/agent/members. Also accepts the bare member array older agents send.</summary>
    public async Task<ApiResponse<AgentMembers>> GetAgentMembersAsync(CancellationToken ct = default)
    {
        var json = await SendAsync(HttpMethod.Get, "/v1/agent/members", [], ct);
        var members = json.ValueKind == JsonValueKind.Array
            ? new AgentMembers { Members = Decode<List<ServerMember>>(json, "/v1/agent/members") }
            : Decode<AgentMembers>(json, "/v1/agent/members");
        return new ApiResponse<AgentMembers>(members, json);
    }

    /// <summary>GET /v1/status/leader: the leader's RPC address ("127.0.0.1:4647"), empty when there is none.</summary>
    public async Task<string> GetLeaderAsync(string? region = null, CancellationToken ct = default)
    {
        var query = string.IsNullOrEmpty(region) ? [] : new List<KeyValuePair<string, string>> { new("region", region) };
        var response = await GetAsync<string?>("/v1/status/leader", query, ct);
        return response.Value ?? "";
    }

    /// <summary>PUT /v1/agent/join?address=...: asks the agent to join these servers; returns how many it joined.</summary>
    public async Task<int> JoinAsync(IReadOnlyList<string> addresses, CancellationToken ct = default)
    {
        var json = await SendAsync(HttpMethod.Put, "/v1/agent/join", addresses.Select(a => new KeyValuePair<string, string>("address", a)).ToList(), ct);
        var response = Decode<JoinResponse>(json, "/v1/agent/join");
        if (!string.IsNullOrEmpty(response.Error))
            throw new NomadApiException(RequestErrorText.OneLine(response.Error));
        return response.NumJoined;
    }

    /// <summary>PUT /v1/agent/force-leave?node=: marks a failed server as left.</summary>
    public async Task ForceLeaveAsync(string node, bool prune = false, CancellationToken ct = default) =>
        await SendAsync(HttpMethod.Put, "/v1/agent/force-leave", prune ? [new("node", node), new("prune", "true")] : [new("node", node)], ct);

    /// <summary>GET /v1/operator/raft/configuration: the Raft voters (?stale to ask this server rather than the leader).</summary>
    public async Task<RaftConfiguration> GetRaftConfigurationAsync(bool stale, CancellationToken ct = default) =>
        (await GetAsync<RaftConfiguration>("/v1/operator/raft/configuration", stale ? [new("stale", "true")] : [], ct)).Value;

    private async Task<ApiResponse<T>> GetAsync<T>(string path, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct)
    {
        var (json, index) = await SendWithIndexAsync(HttpMethod.Get, path, query, null, ct);
        return new ApiResponse<T>(Decode<T>(json, path), json, index);
    }

    /// <summary>A GET that waits (Nomad's blocking query) until the answer's index passes <paramref name="index"/> or <paramref name="wait"/> ends.</summary>
    internal Task<ApiResponse<T>> GetBlockingAsync<T>(string path, ulong index, TimeSpan wait, CancellationToken ct) =>
        GetAsync<T>(path, index == 0 ? [] : [new("index", index.ToString()), new("wait", $"{(long)wait.TotalMilliseconds}ms")], ct);

    /// <summary>A write (PUT/POST/DELETE) with an optional JSON body; decodes the answer as <typeparamref name="T"/>.</summary>
    internal async Task<ApiResponse<T>> WriteAsync<T>(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> query, object? body, CancellationToken ct)
    {
        var (json, index) = await SendWithIndexAsync(method, path, query, body, ct);
        return new ApiResponse<T>(Decode<T>(json, path), json, index);
    }

    private async Task<JsonElement> SendAsync(HttpMethod method, string path, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct) =>
        (await SendWithIndexAsync(method, path, query, null, ct)).Json;

    /// <summary>Opens a streaming GET (logs): the caller reads and disposes the response; errors come out as for any call.</summary>
    internal async Task<HttpResponseMessage> OpenStreamAsync(string path, IReadOnlyList<KeyValuePair<string, string>> query, CancellationToken ct)
    {
        var url = BuildUrl(path, query);
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        request.Headers.Accept.Clear();
        HttpResponseMessage response;
        try
        {
            response = await _streams.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new NomadApiException(RequestErrorText.Describe(HttpMethod.Get, url, e), inner: e);
        }
        if (!response.IsSuccessStatusCode)
        {
            using (response)
            {
                var status = (int)response.StatusCode;
                var body = await response.Content.ReadAsStringAsync(ct);
                throw new NomadApiException($"Unexpected response code: {status} ({RequestErrorText.OneLine(body)})", status);
            }
        }
        return response;
    }

    private async Task<(JsonElement Json, ulong Index)> SendWithIndexAsync(HttpMethod method, string path,
        IReadOnlyList<KeyValuePair<string, string>> query, object? body, CancellationToken ct)
    {
        var url = BuildUrl(path, query);
        using var request = new HttpRequestMessage(method, url);
        if (body is not null)
        {
            var text = body as string ?? JsonSerializer.Serialize(body, NomadJson.Options);
            request.Content = new StringContent(text, Encoding.UTF8, "application/json");
        }
        HttpResponseMessage response;
        try
        {
            response = await _http.SendAsync(request, ct);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException && !ct.IsCancellationRequested)
        {
            throw new NomadApiException(RequestErrorText.Describe(method, url, e), inner: e);
        }

        using (response)
        {
            var answer = await response.Content.ReadAsStringAsync(ct);
            if (!response.IsSuccessStatusCode)
            {
                var status = (int)response.StatusCode;
                throw new NomadApiException($"Unexpected response code: {status} ({RequestErrorText.OneLine(answer)})", status);
            }
            ulong index = 0;
            if (response.Headers.TryGetValues("X-Nomad-Index", out var values))
                ulong.TryParse(values.FirstOrDefault(), out index);
            if (string.IsNullOrWhiteSpace(answer)) return (default, index);
            try
            {
                using var document = JsonDocument.Parse(answer);
                return (document.RootElement.Clone(), index);
            }
            catch (JsonException e)
            {
                throw new NomadApiException($"error decoding response from {path}: {RequestErrorText.OneLine(e.Message)}", inner: e);
            }
        }
    }

    private static T Decode<T>(JsonElement json, string path)
    {
        if (json.ValueKind == JsonValueKind.Undefined)
            throw new NomadApiException($"error decoding response from {path}: empty body");
        try
        {
            return json.Deserialize<T>(NomadJson.Options)!;
        }
        catch (Exception e) when (e is JsonException or NotSupportedException or InvalidOperationException)
        {
            throw new NomadApiException($"error decoding response from {path}: {RequestErrorText.OneLine(e.Message)}", inner: e);
        }
    }

    /// <summary>Builds the request URL; query keys are sorted as Go's url.Values.Encode sorts them.</summary>
    private Uri BuildUrl(string path, IReadOnlyList<KeyValuePair<string, string>> query)
    {
        var parameters = query.ToList();
        if (Region is not null && parameters.All(p => p.Key != "region"))
            parameters.Add(new("region", Region));

        var url = new StringBuilder(Address.GetLeftPart(UriPartial.Authority)).Append(Address.AbsolutePath.TrimEnd('/')).Append(path);
        var separator = '?';
        foreach (var (key, value) in parameters.OrderBy(p => p.Key, StringComparer.Ordinal))
        {
            url.Append(separator).Append(Uri.EscapeDataString(key)).Append('=').Append(Uri.EscapeDataString(value));
            separator = '&';
        }
        return new Uri(url.ToString());
    }

    private static Uri ParseAddress(string address)
    {
        var text = address.Trim();
        if (!text.Contains("://", StringComparison.Ordinal)) text = "http://" + text;
        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps))
            throw new NomadApiException($"invalid address \"{address}\": want http://host:port or https://host:port");
        return uri;
    }

    public void Dispose()
    {
        _http.Dispose();
        _streams.Dispose();
    }
}
