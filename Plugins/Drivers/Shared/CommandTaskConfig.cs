using System.Text.Json;

namespace Nomad.Drivers.Shared;

/// <summary>A task's <c>config {}</c> block for raw_exec and exec: <c>command</c> (required) and <c>args</c>.</summary>
public sealed record CommandTaskConfig(string Command, List<string> Args)
{
    /// <summary>Parses and validates; every error is one line naming the field.</summary>
    public static (CommandTaskConfig? Config, List<string> Errors) Parse(JsonElement config)
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
        return errors.Count > 0 ? (null, errors) : (new CommandTaskConfig(command!, args), errors);
    }
}

/// <summary>Helpers for reading plugin <c>config {}</c> values as HCL and flags deliver them.</summary>
public static class ConfigValues
{
    /// <summary>true/false, or the strings "true"/"false"/"1"/"0" (HCL and flags often arrive as strings).</summary>
    public static bool Bool(JsonProperty p, List<string> errors)
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

    /// <summary>A non-negative integer, or a string holding one.</summary>
    public static long Int(JsonProperty p, List<string> errors)
    {
        if (p.Value.ValueKind == JsonValueKind.Number && p.Value.TryGetInt64(out var n) && n >= 0) return n;
        if (p.Value.ValueKind == JsonValueKind.String && long.TryParse(p.Value.GetString(), out n) && n >= 0) return n;
        errors.Add($"config.{p.Name}: must be a non-negative integer");
        return 0;
    }
}
