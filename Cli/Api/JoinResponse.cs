using System.Text.Json.Serialization;

namespace Nomad.Cli.Api;

/// <summary>PUT /v1/agent/join's answer.</summary>
public sealed record JoinResponse
{
    [JsonPropertyName("num_joined")]
    public int NumJoined { get; init; }

    [JsonPropertyName("error")]
    public string Error { get; init; } = "";
}
