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

    /// <summary>Indented as <c>nomad job run -output</c> prints it (Go's MarshalIndent with four spaces).</summary>
    public static string Write(Job job, bool indented = false) => JsonSerializer.Serialize(job, indented ? Indented : Options);

    private static readonly JsonSerializerOptions Indented = new(Options) { WriteIndented = true, IndentSize = 4 };
}
