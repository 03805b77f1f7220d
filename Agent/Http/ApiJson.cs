using System.Text.Json;
using System.Text.Json.Serialization;
using Microsoft.AspNetCore.Http;

namespace Nomad.Agent.Http;

/// <summary>JSON as Nomad's API writes it: Go field names as they are, indented with `?pretty`.</summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Compact = new() { PropertyNamingPolicy = null, DefaultIgnoreCondition = JsonIgnoreCondition.Never };
    public static readonly JsonSerializerOptions Pretty = new(Compact) { WriteIndented = true, IndentSize = 4 };

    public static Task WriteAsync(HttpContext ctx, object? value, int status = 200)
    {
        ctx.Response.StatusCode = status;
        ctx.Response.ContentType = "application/json";
        var pretty = ctx.Request.Query.ContainsKey("pretty");
        return JsonSerializer.SerializeAsync(ctx.Response.Body, value, value?.GetType() ?? typeof(object), pretty ? Pretty : Compact, ctx.RequestAborted);
    }
}
