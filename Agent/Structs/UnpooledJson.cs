using System.Buffers;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace Nomad.Agent.Structs;

/// <summary>
/// JSON written into buffers of our own instead of <see cref="ArrayPool{T}.Shared"/>, for values that can be large
/// (jobs, and the commands and state that carry them).
/// </summary>
/// <remarks>
/// System.Text.Json's <c>SerializeToUtf8Bytes</c>, <c>Serialize(Stream)</c>, <c>JsonNode.ToJsonString</c> and
/// <c>JsonNode.Deserialize</c> write into a buffer rented from the shared pool, doubling it as it fills and handing
/// every size back. One 10 MB job so leaves arrays of 1, 2, 4, 8 and 16 MB in the pool, per thread and per core, and
/// the pool gives them up only to gen2 collections a minute or more later, which an idle process does not make:
/// a dev agent held ~230 MB of such arrays a minute after a load with 10 MB jobs. Here the growing buffer is plain
/// garbage, which the GC takes back.
/// </remarks>
public static class UnpooledJson
{
    /// <summary>As <see cref="JsonSerializer.SerializeToUtf8Bytes{TValue}(TValue, JsonSerializerOptions?)"/>.</summary>
    public static ReadOnlyMemory<byte> Serialize<T>(T value, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, WriterOptions(options)))
            JsonSerializer.Serialize(writer, value, options);
        return buffer.WrittenMemory;
    }

    /// <summary>As <c>node.Deserialize&lt;T&gt;(options)</c>.</summary>
    public static T? Deserialize<T>(JsonNode node, JsonSerializerOptions options)
    {
        var buffer = new ArrayBufferWriter<byte>(1024);
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { SkipValidation = true }))
            node.WriteTo(writer);
        return JsonSerializer.Deserialize<T>(buffer.WrittenSpan, options);
    }

    /// <summary>
    /// As <c>JsonNode.Parse(utf8Json, documentOptions: options)</c>, built token by token: JsonNode.Parse first
    /// builds a JsonDocument, whose table of tokens is rented from the shared pool at the size of the input.
    /// Numbers keep their exact text; a repeated property keeps its last value (as Go's decoder).
    /// </summary>
    /// <exception cref="JsonException">Malformed JSON, with the line and position.</exception>
    public static JsonNode? ParseNode(ReadOnlySpan<byte> utf8Json, JsonDocumentOptions options = default)
    {
        var reader = new Utf8JsonReader(utf8Json, new JsonReaderOptions
        {
            AllowTrailingCommas = options.AllowTrailingCommas, CommentHandling = options.CommentHandling, MaxDepth = options.MaxDepth,
        });
        // The reader itself throws on empty input, malformed JSON and anything after the one value.
        reader.Read();
        var root = ReadValue(ref reader);
        reader.Read();
        return root;
    }

    /// <summary>The current string token; one that cannot be a .NET string (a lone surrogate escape such as
    /// <c>\ud800</c>) is malformed input, not a failure of ours.</summary>
    private static string StringOf(ref Utf8JsonReader reader)
    {
        try { return reader.GetString()!; }
        catch (InvalidOperationException e)
        {
            throw new JsonException($"{e.Message} Position: {reader.TokenStartIndex}.", null, null, reader.TokenStartIndex, e);
        }
    }

    private static JsonNode? ReadValue(ref Utf8JsonReader reader)
    {
        switch (reader.TokenType)
        {
            case JsonTokenType.StartObject:
                var obj = new JsonObject();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndObject)
                {
                    var name = StringOf(ref reader);
                    reader.Read();
                    // A key given twice keeps its last value, in the place of its last mention, as Go's decoder
                    // reads it: {"Job":{..},"Job":{..}} is the second job.
                    obj.Remove(name);
                    obj[name] = ReadValue(ref reader);
                }
                return obj;
            case JsonTokenType.StartArray:
                var array = new JsonArray();
                while (reader.Read() && reader.TokenType != JsonTokenType.EndArray) array.Add(ReadValue(ref reader));
                return array;
            case JsonTokenType.String: return JsonValue.Create(StringOf(ref reader));
            case JsonTokenType.True: return JsonValue.Create(true);
            case JsonTokenType.False: return JsonValue.Create(false);
            case JsonTokenType.Null: return null;
            default: return JsonNode.Parse(ref reader); // a number: a JsonElement of its own text (small)
        }
    }

    private static JsonWriterOptions WriterOptions(JsonSerializerOptions o) => new()
    {
        Encoder = o.Encoder,
        Indented = o.WriteIndented,
        IndentCharacter = o.IndentCharacter,
        IndentSize = o.IndentSize,
        MaxDepth = o.MaxDepth,
        NewLine = o.NewLine,
    };
}
