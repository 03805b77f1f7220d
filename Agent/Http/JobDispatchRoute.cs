using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Server.Dispatch;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// <c>PUT|POST /v1/job/:id/dispatch</c>: Nomad's api.JobDispatchRequest (<c>Payload</c> base64 as Go encodes []byte,
/// <c>Meta</c>, <c>IdPrefixTemplate</c>; a <c>JobID</c> in the body must be the path's; <c>?idempotency_token=</c>) →
/// <see cref="DispatchEndpoint"/>.
/// </summary>
public static class JobDispatchRoute
{
    public static async Task HandleAsync(HttpContext ctx, IAgentInfo agent, DispatchEndpoint endpoint, string pathId)
    {
        var body = await RequestBody.ReadObjectAsync(ctx, required: false).ConfigureAwait(false);
        var bodyId = RequestBody.String(body, "JobID");
        if (!string.IsNullOrEmpty(bodyId) && bodyId != pathId) throw new BadRequestException("Job ID does not match");
        // Nomad's client sends the token as ?idempotency_token= (api.WriteOptions.IdempotencyToken).
        var request = new JobDispatchRequest(pathId, Payload(body), Meta(body), RequestBody.String(body, "IdPrefixTemplate") ?? "",
            ctx.Request.Query["idempotency_token"].ToString());
        var reply = await endpoint.DispatchAsync(request, ctx.RequestAborted).ConfigureAwait(false);
        BlockingQuery.SetHeaders(ctx, agent, reply.Index);
        await ApiJson.WriteAsync(ctx, reply).ConfigureAwait(false);
    }

    private static byte[]? Payload(JsonObject? body)
    {
        var text = RequestBody.String(body, "Payload");
        if (text is null) return null;
        try { return Convert.FromBase64String(text); }
        catch (FormatException) { throw new BadRequestException("Payload: must be base64 (as Go encodes []byte)"); }
    }

    private static Dictionary<string, string>? Meta(JsonObject? body)
    {
        switch (RequestBody.Get(body, "Meta"))
        {
            case null: return null;
            case JsonObject o:
                var meta = new Dictionary<string, string>();
                foreach (var (k, v) in o)
                    meta[k] = v is JsonValue s && s.GetValueKind() == JsonValueKind.String
                        ? s.GetValue<string>()
                        : throw new BadRequestException($"Meta: value of \"{k}\" must be a string");
                return meta;
            default: throw new BadRequestException("Meta: must be an object of strings");
        }
    }
}
