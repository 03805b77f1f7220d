namespace Nomad.Contracts;

/// <summary>What a plugin says about itself in the handshake.</summary>
/// <param name="Name">The plugin's name as jobs refer to it (e.g. <c>raw_exec</c>).</param>
/// <param name="Type"><c>driver</c> or <c>fingerprint</c>.</param>
/// <param name="PluginVersion">The plugin's own version.</param>
/// <param name="ProtocolVersion">The <see cref="PluginProtocol.Version"/> the plugin speaks.</param>
public sealed record PluginInfo(string Name, string Type, string PluginVersion, int ProtocolVersion);

/// <summary>Plugin types.</summary>
public static class PluginTypes
{
    /// <summary>Runs tasks; out of process.</summary>
    public const string Driver = "driver";
    /// <summary>Adds node attributes; in process.</summary>
    public const string Fingerprint = "fingerprint";
}
