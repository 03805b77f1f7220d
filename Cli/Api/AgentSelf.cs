using System.Text.Json;
using System.Text.Json.Serialization;
using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>GET /v1/agent/self: the agent's configuration, its gossip member (servers only) and its stats by section.</summary>
public sealed record AgentSelf
{
    [JsonPropertyName("config")]
    public JsonElement? Config { get; init; }

    [JsonPropertyName("member")]
    public ServerMember? Member { get; init; }

    /// <summary>Section ("client", "nomad", "raft", ...) → key → value. Nomad sends strings; anything else is shown as its JSON text.</summary>
    [JsonPropertyName("stats")]
    public Dictionary<string, Dictionary<string, JsonElement>>? Stats { get; init; }

    /// <summary>A stats value as text, or null when the section or key is absent.</summary>
    public string? Stat(string section, string key) =>
        Stats is not null && Stats.TryGetValue(section, out var values) && values is not null && values.TryGetValue(key, out var value)
            ? StatText(value)
            : null;

    public static string StatText(JsonElement value) => value.ValueKind switch
    {
        JsonValueKind.String => value.GetString() ?? "",
        JsonValueKind.Null => "",
        _ => value.GetRawText(),
    };
}
