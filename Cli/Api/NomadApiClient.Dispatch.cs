using System.Text.Json.Nodes;
using Nomad.Agent.Server.Dispatch;

namespace Nomad.Cli.Api;

/// <summary>Dispatching parameterized jobs.</summary>
public sealed partial class NomadApiClient
{
    /// <summary>PUT /v1/job/:id/dispatch with {"Payload" (base64), "Meta", "IdPrefixTemplate"} (Nomad's api.JobDispatchRequest).</summary>
    public Task<ApiResponse<JobDispatchResponse>> DispatchJobAsync(string jobId, IReadOnlyDictionary<string, string> meta, byte[]? payload,
        string idPrefixTemplate, CancellationToken ct = default)
    {
        var body = new JsonObject { ["JobID"] = jobId };
        if (payload is { Length: > 0 }) body["Payload"] = Convert.ToBase64String(payload);
        if (meta.Count > 0) body["Meta"] = new JsonObject(meta.Select(kv => KeyValuePair.Create(kv.Key, (JsonNode?)kv.Value)));
        if (idPrefixTemplate.Length > 0) body["IdPrefixTemplate"] = idPrefixTemplate;
        return WriteAsync<JobDispatchResponse>(HttpMethod.Put, $"/v1/job/{Id(jobId)}/dispatch", [], body.ToJsonString(), ct);
    }
}
