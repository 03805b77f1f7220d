using System.Text.Json;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>
/// Request bodies as Nomad's decoder reads them: a JSON object whose field names match case-insensitively.
/// Anything malformed is a 400 naming the field.
/// </summary>
public static class RequestBody
{
    /// <summary>The body as an object; null when it is empty (and <paramref name="required"/> is false).</summary>
    public static async Task<JsonObject?> ReadObjectAsync(HttpContext ctx, bool required = true)
    {
        var body = await ReadBytesAsync(ctx).ConfigureAwait(false);
        if (IsBlank(body.Span))
            return required ? throw new BadRequestException("Request body is empty") : null;
        JsonNode? node;
        try
        {
            // Parsed from the bytes as they came, without the shared array pool: a large body (a 10 MB job) would
            // otherwise leave buffers of its size in the pool (see UnpooledJson).
            var json = body.Span;
            if (json.StartsWith(Utf8Bom)) json = json[Utf8Bom.Length..];
            node = UnpooledJson.ParseNode(json, new JsonDocumentOptions { AllowTrailingCommas = true, MaxDepth = MaxDepth });
        }
        catch (JsonException e)
        {
            throw new BadRequestException($"Failed to decode request body: line {(e.LineNumber ?? 0) + 1}: {FirstSentence(e.Message)}");
        }
        return node as JsonObject ?? throw new BadRequestException("Failed to decode request body: want a JSON object");
    }

    private static ReadOnlySpan<byte> Utf8Bom => [0xEF, 0xBB, 0xBF];

    // The most a body's buffer is sized before its bytes arrive; larger bodies grow it as they come.
    private const long PresizeLimit = 1 << 20;

    // Deep enough for any job; deeper bodies are refused as malformed rather than walked.
    private const int MaxDepth = 64;

    /// <summary>The whole body, in one array sized by Content-Length when the client sent it.</summary>
    private static async Task<ReadOnlyMemory<byte>> ReadBytesAsync(HttpContext ctx)
    {
        // Sized up front from Content-Length, but never past PresizeLimit: a client may announce far more than it
        // sends, and many such connections must not commit memory for bytes that never come.
        var buffer = new MemoryStream(ctx.Request.ContentLength is long n and > 0 ? (int)Math.Min(n, PresizeLimit) : 0);
        await ctx.Request.Body.CopyToAsync(buffer, ctx.RequestAborted).ConfigureAwait(false);
        return buffer.GetBuffer().AsMemory(0, (int)buffer.Length);
    }

    /// <summary>Empty or only whitespace, after an optional byte order mark.</summary>
    private static bool IsBlank(ReadOnlySpan<byte> body)
    {
        if (body.StartsWith(Utf8Bom)) body = body[Utf8Bom.Length..];
        foreach (var b in body)
            if (b is not ((byte)' ' or (byte)'\t' or (byte)'\n' or (byte)'\r')) return false;
        return true;
    }

    /// <summary>The field named <paramref name="name"/> (any case; the last one given wins, as with Go's decoder); null when absent or JSON null.</summary>
    public static JsonNode? Get(JsonObject? o, string name) =>
        o?.LastOrDefault(kv => kv.Key.Equals(name, StringComparison.OrdinalIgnoreCase)).Value;

    public static bool Bool(JsonObject? o, string name) => Get(o, name) switch
    {
        null => false,
        JsonValue v when v.GetValueKind() is JsonValueKind.True or JsonValueKind.False => v.GetValue<bool>(),
        _ => throw new BadRequestException($"{name}: must be a bool"),
    };

    public static ulong UInt64(JsonObject? o, string name) => Get(o, name) switch
    {
        null => 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<ulong>(out var n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) && d >= 0 && d == decimal.Truncate(d) && d <= ulong.MaxValue => (ulong)d,
        _ => throw new BadRequestException($"{name}: must be a non-negative integer"),
    };

    public static long Int64(JsonObject? o, string name) => Get(o, name) switch
    {
        null => 0,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<long>(out var n) => n,
        JsonValue v when v.GetValueKind() == JsonValueKind.Number && v.TryGetValue<decimal>(out var d) && d == decimal.Truncate(d) && d is >= long.MinValue and <= long.MaxValue => (long)d,
        _ => throw new BadRequestException($"{name}: must be an integer"),
    };

    public static string? String(JsonObject? o, string name) => Get(o, name) switch
    {
        null => null,
        JsonValue v when v.GetValueKind() == JsonValueKind.String => v.GetValue<string>(),
        _ => throw new BadRequestException($"{name}: must be a string"),
    };

    /// <summary>`?name=true|false` as Nomad's parseBool; absent is false, present without a value is true.</summary>
    public static bool QueryBool(HttpContext ctx, string name) => QueryBool(ctx, name, whenEmpty: true);

    /// <summary>
    /// `?name=` parsed as Go's strconv.ParseBool (1/t/true, 0/f/false); absent is false, and so is an empty value
    /// when <paramref name="whenEmpty"/> says so (Nomad's fs and exec endpoints read `follow=`, `plain=`, `tty=` so).
    /// </summary>
    public static bool QueryBool(HttpContext ctx, string name, bool whenEmpty)
    {
        if (!ctx.Request.Query.TryGetValue(name, out var raw)) return false;
        var s = raw.ToString();
        if (s.Length == 0) return whenEmpty;
        return s.ToLowerInvariant() switch
        {
            "1" or "t" or "true" => true,
            "0" or "f" or "false" => false,
            _ => throw new BadRequestException($"Failed to parse value of \"{name}\" ({s}) as a bool"),
        };
    }

    // System.Text.Json appends "Path: ..." and "LineNumber: ..." to its messages; keep the first sentence.
    private static string FirstSentence(string message)
    {
        foreach (var marker in new[] { " Path:", " LineNumber:" })
        {
            int cut = message.IndexOf(marker, StringComparison.Ordinal);
            if (cut > 0) message = message[..cut];
        }
        return message.Trim();
    }
}
