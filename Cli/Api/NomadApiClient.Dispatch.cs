using System.Text.Json.Nodes;
using Nomad.Agent.Server.Dispatch;

namespace Nomad.Cli.Api;

/// <summary>Dispatching parameterized jobs.</summary>
public sealed partial class NomadApiClient
{
    /// <summary>
    /// PUT /v1/job/:id/dispatch[?idempotency_token=] with {"Payload" (base64), "Meta", "IdPrefixTemplate"} (Nomad's api.JobDispatchRequest).
    /// </summary>
    public Task<ApiResponse<JobDispatchResponse>> DispatchJobAsync(string jobId, IReadOnlyDictionary<string, string> meta, byte[]? payload,
        string idPrefixTemplate, string idempotencyToken = "", CancellationToken ct = default)
    {
        var body = new JsonObject { ["JobID"] = jobId };
        if (payload is { Length: > 0 }) body["Payload"] = Convert.ToBase64String(payload);
        if (meta.Count > 0) body["Meta"] = new JsonObject(meta.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        if (idPrefixTemplate.Length > 0) body["IdPrefixTemplate"] = idPrefixTemplate;
        List<KeyValuePair<string, string>> query = idempotencyToken.Length > 0 ? [new("idempotency_token", idempotencyToken)] : [];
        return WriteAsync<JobDispatchResponse>(HttpMethod.Put, $"/v1/job/{Id(jobId)}/dispatch", query, body.ToJsonString(), ct);
    }
}
