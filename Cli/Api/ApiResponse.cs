using System.Text.Json;

namespace Nomad.Cli.Api;

/// <summary>
/// A decoded API answer together with the JSON it came from (what -json prints) and the X-Nomad-Index it carried
/// (what a following blocking query waits past; 0 when absent).
/// </summary>
public sealed record ApiResponse<T>(T Value, JsonElement Json, ulong Index = 0);
