using System.Text.Json;
using Nomad.Drivers.Shared;

namespace Nomad.Drivers.RawExec;

/// <summary>
/// The agent's <c>plugin "raw_exec" { config { enabled = true  no_cgroups = false } }</c>. raw_exec is off unless
/// enabled, as in Nomad: it runs tasks as the agent's user with no isolation.
/// </summary>
internal sealed record RawExecPluginConfig(bool Enabled, bool NoCgroups)
{
    public static RawExecPluginConfig Default { get; } = new(false, false);

    public static (RawExecPluginConfig? Config, List<string> Errors) Parse(JsonElement config)
    {
        if (config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return (Default, []);
        if (config.ValueKind != JsonValueKind.Object) return (null, ["config: must be an object"]);
        var errors = new List<string>();
        bool enabled = false, noCgroups = false;
        foreach (var p in config.EnumerateObject())
        {
            switch (p.Name)
            {
                case "enabled": enabled = ConfigValues.Bool(p, errors); break;
                case "no_cgroups": noCgroups = ConfigValues.Bool(p, errors); break;
                default: errors.Add($"config.{p.Name}: unknown field"); break;
            }
        }
        return errors.Count > 0 ? (null, errors) : (new RawExecPluginConfig(enabled, noCgroups), errors);
    }
}
