using System.Text.Json.Serialization;

namespace Nomad.Contracts;

/// <summary>
/// <c>plugin.json</c>, the file that makes a folder in the plugin directory a plugin:
/// <code>{ "name": "raw_exec", "type": "driver", "version": "0.1.0", "entry": "nomad-driver-raw-exec" }</code>
/// A driver's entry is an executable (any language) or a .dll the agent hosts in a process of its own;
/// a fingerprint plugin's entry is a .dll loaded into the agent, whose every public
/// <see cref="IFingerprintPlugin"/> type with a parameterless constructor is one fingerprinter.
/// </summary>
public sealed record PluginManifest
{
    /// <summary>The file name every plugin folder carries.</summary>
    public const string FileName = "plugin.json";

    /// <summary>The plugin's name (jobs name drivers by it).</summary>
    [JsonPropertyName("name")] public string Name { get; init; } = "";
    /// <summary><c>driver</c> or <c>fingerprint</c>.</summary>
    [JsonPropertyName("type")] public string Type { get; init; } = "";
    /// <summary>The plugin's version.</summary>
    [JsonPropertyName("version")] public string Version { get; init; } = "";
    /// <summary>Path of the executable or .dll, relative to the plugin's folder.</summary>
    [JsonPropertyName("entry")] public string Entry { get; init; } = "";
    /// <summary>Arguments passed to an executable entry.</summary>
    [JsonPropertyName("args")] public List<string> Args { get; init; } = new();
}
