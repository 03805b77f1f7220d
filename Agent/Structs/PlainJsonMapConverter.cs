using System.Text.Json;
using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>
/// Reads a JSON object as plain values (string, long, double, bool, null, List&lt;object?&gt;, Dictionary&lt;string, object?&gt;)
/// instead of JsonElement, so that a decoded driver config equals one parsed from HCL.
/// </summary>
public sealed class PlainJsonMapConverter : JsonConverter<Dictionary<string, object?>>
{
    public override Dictionary<string, object?>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
    {
        if (reader.TokenType == JsonTokenType.Null) return null;
        if (reader.TokenType != JsonTokenType.StartObject) throw new JsonException("expected an object");
        using var doc = JsonDocument.ParseValue(ref reader);
        return ToMap(doc.RootElement);
    }

    // Plain options: the caller's naming policy must not rename the driver's own keys.
    private static readonly JsonSerializerOptions WriteOptions = new();

    public override void Write(Utf8JsonWriter writer, Dictionary<string, object?> value, JsonSerializerOptions options) =>
        JsonSerializer.Serialize(writer, value, typeof(Dictionary<string, object?>), WriteOptions);

    public static Dictionary<string, object?> ToMap(JsonElement e)
    {
        var map = new Dictionary<string, object?>(StringComparer.Ordinal);
        foreach (var p in e.EnumerateObject()) map[p.Name] = ToPlain(p.Value);
        return map;
    }

    public static object? ToPlain(JsonElement e) => e.ValueKind switch
    {
        JsonValueKind.Object => ToMap(e),
        JsonValueKind.Array => e.EnumerateArray().Select(ToPlain).ToList(),
        JsonValueKind.String => e.GetString(),
        JsonValueKind.Number => e.TryGetInt64(out long l) ? l : e.GetDouble(),
        JsonValueKind.True => true,
        JsonValueKind.False => false,
        _ => null,
    };
}
