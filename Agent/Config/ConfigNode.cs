namespace Nomad.Agent.Config;

/// <summary>
/// A format-neutral tree of one config file, so that HCL and JSON decode through the same code.
/// Objects keep repeated keys (repeated blocks) in order; blocks and object values look alike.
/// </summary>
internal abstract record ConfigNode(ConfigPosition Position);

internal sealed record ConfigObject(IReadOnlyList<ConfigEntry> Entries, ConfigPosition Position) : ConfigNode(Position);

internal sealed record ConfigEntry(string Key, ConfigPosition KeyPosition, ConfigNode Value);

internal sealed record ConfigList(IReadOnlyList<ConfigNode> Items, ConfigPosition Position) : ConfigNode(Position);

/// <summary>A string, long, double, bool or null.</summary>
internal sealed record ConfigScalar(object? Value, ConfigPosition Position) : ConfigNode(Position);
