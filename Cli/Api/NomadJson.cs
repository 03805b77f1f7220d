using System.Text.Json;

namespace Nomad.Cli.Api;

/// <summary>The one set of JSON options the CLI reads API responses with: exact, case-sensitive Go field names.</summary>
public static class NomadJson
{
    public static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.General)
    {
        PropertyNameCaseInsensitive = false,
    };
}
