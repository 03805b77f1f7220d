using System.Text.Json;

namespace Nomad.Drivers.RawExec;

/// <summary>A task's <c>config {}</c> block: <c>command</c> (required) and <c>args</c>.</summary>
internal sealed record RawExecTaskConfig(string Command, List<string> Args)
{
    /// <summary>Parses and validates; every error is one line naming the field.</summary>
    public static (RawExecTaskConfig? Config, List<string> Errors) Parse(JsonElement config)
    {
        var errors = new List<string>();
        if (config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null)
            return (null, ["config.command: required"]);
        if (config.ValueKind != JsonValueKind.Object)
            return (null, ["config: must be an object"]);

        string? command = null;
        var args = new List<string>();
        foreach (var p in config.EnumerateObject())
        {
            switch (p.Name)
            {
                case "command":
                    if (p.Value.ValueKind == JsonValueKind.String) command = p.Value.GetString();
                    else if (p.Value.ValueKind != JsonValueKind.Null) errors.Add("config.command: must be a string");
                    break;
                case "args":
                    if (p.Value.ValueKind == JsonValueKind.Null) break;
                    if (p.Value.ValueKind != JsonValueKind.Array || p.Value.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String))
                        errors.Add("config.args: must be a list of strings");
                    else args.AddRange(p.Value.EnumerateArray().Select(a => a.GetString()!));
                    break;
                default:
                    errors.Add($"config.{p.Name}: unknown field");
                    break;
            }
        }
        if (command is null && !errors.Contains("config.command: must be a string")) errors.Insert(0, "config.command: required");
        else if (command is { Length: 0 }) errors.Insert(0, "config.command: must not be empty");
        return errors.Count > 0 ? (null, errors) : (new RawExecTaskConfig(command!, args), errors);
    }
}

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
                case "enabled": enabled = Bool(p, errors); break;
                case "no_cgroups": noCgroups = Bool(p, errors); break;
                default: errors.Add($"config.{p.Name}: unknown field"); break;
            }
        }
        return errors.Count > 0 ? (null, errors) : (new RawExecPluginConfig(enabled, noCgroups), errors);
    }

    /// <summary>true/false, or the strings "true"/"false"/"1"/"0" (HCL and flags often arrive as strings).</summary>
    private static bool Bool(JsonProperty p, List<string> errors)
    {
        switch (p.Value.ValueKind)
        {
            case JsonValueKind.True: return true;
            case JsonValueKind.False: return false;
            case JsonValueKind.String:
                var s = p.Value.GetString();
                if (s is "true" or "1") return true;
                if (s is "false" or "0") return false;
                break;
        }
        errors.Add($"config.{p.Name}: must be a bool");
        return false;
    }
}
