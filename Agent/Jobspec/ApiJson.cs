using System.Text.Encodings.Web;
using System.Text.Json;
using System.Text.Json.Nodes;
using System.Text.Json.Serialization;
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
        // Text is written readable (Go would write <, > and & as \u003c, \u003e, \u0026: the same values once read).
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        WriteIndented = false,
    };

    public static JsonObject ToJson(Job job) => JsonSerializer.SerializeToNode(job, Options)!.AsObject();

    // Go's decoder matches field names in any case and ignores fields it does not know.
    private static readonly JsonSerializerOptions ReadOptions = new(Options) { PropertyNameCaseInsensitive = true };

    /// <summary>
    /// Nomad's API job JSON (a bare job, or <c>{"Job": ...}</c> as PUT /v1/jobs takes it) as the API model, e.g. to
    /// find the stanzas it uses. A value of the wrong type is a <see cref="JobspecException"/> naming its path.
    /// </summary>
    public static Job Read(JsonObject obj, string fileName)
    {
        if (obj.FirstOrDefault(kv => kv.Key.Equals("Job", StringComparison.OrdinalIgnoreCase)).Value is JsonObject wrapped) obj = wrapped;
        try
        {
            return obj.Deserialize<Job>(ReadOptions) ?? throw new JobspecException($"{fileName}: a job must be a JSON object");
        }
        catch (JsonException e)
        {
            string message = e.Message.Split(" Path:", 2)[0].Trim();
            throw new JobspecException(e.Path is { Length: > 0 } path ? $"{fileName}: {path}: {message}" : $"{fileName}: {message}");
        }
    }

    public static string Write(Job job, bool indented = false) =>
        JsonSerializer.Serialize(job, indented ? new JsonSerializerOptions(Options) { WriteIndented = true } : Options);
}
