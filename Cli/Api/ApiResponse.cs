using System.Text.Json;

namespace Nomad.Cli.Api;

/// <summary>A decoded API answer together with the JSON it came from (what -json prints).</summary>
public sealed record ApiResponse<T>(T Value, JsonElement Json);
