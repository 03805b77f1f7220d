using System.Text.Json;
using Nomad.Drivers.Shared;

namespace Nomad.Drivers.Exec;

/// <summary>
/// The agent's <c>plugin "exec" { config { pids_limit = 1024  chroot_env = ["/bin", "/etc", ...] } }</c>.
/// <c>chroot_env</c> lists host directories bind-mounted read-only at the same place in each task's chroot
/// (Nomad's default set, those that exist); <c>pids_limit</c> is each task's <c>pids.max</c> (0: no limit).
/// </summary>
internal sealed record ExecPluginConfig(long PidsLimit, IReadOnlyList<string> ChrootEnv)
{
    public static readonly IReadOnlyList<string> DefaultChrootEnv = ["/bin", "/etc", "/lib", "/lib32", "/lib64", "/sbin", "/usr"];
    public static ExecPluginConfig Default { get; } = new(1024, DefaultChrootEnv);

    public static (ExecPluginConfig? Config, List<string> Errors) Parse(JsonElement config)
    {
        if (config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return (Default, []);
        if (config.ValueKind != JsonValueKind.Object) return (null, ["config: must be an object"]);
        var errors = new List<string>();
        var c = Default;
        foreach (var p in config.EnumerateObject())
        {
            switch (p.Name)
            {
                case "pids_limit": c = c with { PidsLimit = ConfigValues.Int(p, errors) }; break;
                case "chroot_env":
                    if (p.Value.ValueKind != JsonValueKind.Array || p.Value.EnumerateArray().Any(a => a.ValueKind != JsonValueKind.String || a.GetString() is not ['/', ..]))
                        errors.Add("config.chroot_env: must be a list of absolute paths");
                    else c = c with { ChrootEnv = p.Value.EnumerateArray().Select(a => a.GetString()!.TrimEnd('/')).Where(d => d.Length > 0 && !d.Contains("..")).ToList() };
                    break;
                default: errors.Add($"config.{p.Name}: unknown field"); break;
            }
        }
        return errors.Count > 0 ? (null, errors) : (c, errors);
    }
}
