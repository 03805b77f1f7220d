using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
using System.Text.Json.Serialization.Metadata;
using Nomad.Agent.Jobspec.Api;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Writes the API job as Go's encoding/json writes Nomad's api structs: field names as declared, nulls written
/// (nil pointers, slices and maps), no renaming. Explicit options, so nothing depends on the global defaults.
/// </summary>
public static class ApiJson
{
    public static readonly JsonSerializerOptions Options = new()
    {
        PropertyNamingPolicy = null,
        DefaultIgnoreCondition = JsonIgnoreCondition.Never,
        IncludeFields = false,
        WriteIndented = false,
        // Generated at build time: reflection over the ~40 API types costs hundreds of JIT-compiled methods at a
        // CLI's cold start (`job run -output` would spend most of its time there). The generated writer is only used
        // with the default encoder, so none is set here; Write re-encodes text readably.
        TypeInfoResolver = ApiJobJsonContext.Default,
    };

    // Written to bytes and parsed: the generated contract only writes, and a node cannot be written to directly.
    // JSON tools (ours and Go's) stop at 64 levels; a driver config nested deeper is refused with one line, not a crash.
    public static JsonObject ToJson(Job job)
    {
        try
        {
            return JsonNode.Parse(JsonSerializer.SerializeToUtf8Bytes(job, Options))!.AsObject();
        }
        catch (JsonException e)
        {
            throw new JobspecException($"job \"{job.ID}\": cannot be written as JSON: {JobJson.FirstSentence(e.Message)}");
        }
    }

    private static readonly JsonWriterOptions IndentedWriter = new()
    {
        Indented = true,
        IndentSize = 4,
        NewLine = "\n",
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
    };

    /// <summary>
    /// Indented by four spaces as Go's MarshalIndent, text written readably (&lt;, &gt; and &amp; as themselves),
    /// straight from the model: what <c>nomad job run -output</c> prints, without the JSON tree <see cref="ToJson"/>
    /// builds (parsing it back costs a CLI's cold start ~30 ms).
    /// </summary>
    public static string WriteIndented(Job job)
    {
        var buffer = new MemoryStream();
        try
        {
            using (var writer = new Utf8JsonWriter(buffer, IndentedWriter))
                JsonSerializer.Serialize(writer, job, (JsonTypeInfo<Job>)Options.GetTypeInfo(typeof(Job)));
        }
        catch (JsonException e)
        {
            throw new JobspecException($"job \"{job.ID}\": cannot be written as JSON: {JobJson.FirstSentence(e.Message)}");
        }
        return System.Text.Encoding.UTF8.GetString(buffer.GetBuffer(), 0, (int)buffer.Length);
    }

    // Go's decoder matches field names in any case and ignores fields it does not know.
    // Reading is not on a cold path that matters, so it uses reflection (the generated contract only writes).
    private static readonly JsonSerializerOptions ReadOptions = new(Options) { PropertyNameCaseInsensitive = true, TypeInfoResolver = new DefaultJsonTypeInfoResolver() };

    /// <summary>
    /// Nomad's API job JSON (a bare job, or <c>{"Job": ...}</c> as PUT /v1/jobs takes it) as the API model, e.g. to
    /// find the stanzas it uses. A value of the wrong type is a <see cref="JobspecException"/> naming its path.
    /// </summary>
    public static Job Read(JsonObject obj, string fileName)
    {
        if (obj.FirstOrDefault(kv => kv.Key.Equals("Job", StringComparison.OrdinalIgnoreCase)).Value is JsonObject wrapped) obj = wrapped;
        try
        {
            return Structs.UnpooledJson.Deserialize<Job>(obj, ReadOptions) ?? throw new JobspecException($"{fileName}: a job must be a JSON object");
        }
        catch (JsonException e)
        {
            string message = JobJson.FirstSentence(e.Message);
            throw new JobspecException(e.Path is { Length: > 0 } path ? $"{fileName}: {path}: {message}" : $"{fileName}: {message}");
        }
    }

    // Text is written readable (Go would write <, > and & as \u003c, \u003e, \u0026: the same values once read).
    private static readonly JsonSerializerOptions Readable = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private static readonly JsonSerializerOptions ReadableIndented = new(Readable) { WriteIndented = true, IndentSize = 4 };

    /// <summary>Indented as <c>nomad job run -output</c> prints it (Go's MarshalIndent with four spaces).</summary>
    public static string Write(Job job, bool indented = false) => ToJson(job).ToJsonString(indented ? ReadableIndented : Readable);
}

/// <summary>The API job's JSON contract, generated at build time (see <see cref="ApiJson.Options"/>).</summary>
[JsonSourceGenerationOptions(DefaultIgnoreCondition = JsonIgnoreCondition.Never, GenerationMode = JsonSourceGenerationMode.Serialization)]
[JsonSerializable(typeof(Job))]
internal sealed partial class ApiJobJsonContext : JsonSerializerContext;
