using System.Text.Json;

namespace Nomad.Drivers.Docker;

/// <summary>One <c>mount { }</c> block: Nomad's docker mount (bind, volume or tmpfs).</summary>
internal sealed record MountConfig(string Type, string Target, string Source, bool ReadOnly, string Propagation, long TmpfsSize, long TmpfsMode);

/// <summary>
/// A task's <c>config {}</c> for the docker driver, with Nomad's field names. <c>image</c> is required; the rest
/// is optional. Registry <c>auth</c> is not supported yet and is refused rather than ignored.
/// </summary>
internal sealed record DockerTaskConfig
{
    public string Image { get; init; } = "";
    public string? Command { get; init; }
    public List<string> Args { get; init; } = [];
    public List<string>? Entrypoint { get; init; }
    public List<string> Ports { get; init; } = [];
    public Dictionary<string, long> PortMap { get; init; } = [];
    public string NetworkMode { get; init; } = "";
    public List<string> Volumes { get; init; } = [];
    public List<MountConfig> Mounts { get; init; } = [];
    public Dictionary<string, string> Labels { get; init; } = [];
    public string WorkDir { get; init; } = "";
    public string Hostname { get; init; } = "";
    public bool Privileged { get; init; }
    public List<string> CapAdd { get; init; } = [];
    public List<string> CapDrop { get; init; } = [];
    public long ShmSize { get; init; }
    public bool ForcePull { get; init; }
    public long MemoryHardLimitMB { get; init; }
    public long PidsLimit { get; init; }
    public TimeSpan ImagePullTimeout { get; init; } = TimeSpan.FromMinutes(5);

    public static (DockerTaskConfig? Config, List<string> Errors) Parse(JsonElement config)
    {
        if (config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return (null, ["config.image: required"]);
        if (config.ValueKind != JsonValueKind.Object) return (null, ["config: must be an object"]);
        var r = new ConfigReader("config");
        var c = new DockerTaskConfig();
        foreach (var p in config.EnumerateObject())
        {
            switch (p.Name)
            {
                case "image": c = c with { Image = r.String(p) ?? "" }; break;
                case "command": c = c with { Command = r.String(p) }; break;
                case "args": c = c with { Args = r.Strings(p) }; break;
                case "entrypoint": c = c with { Entrypoint = r.Strings(p) }; break;
                case "ports": c = c with { Ports = r.Strings(p) }; break;
                case "port_map":
                    var pm = new Dictionary<string, long>();
                    foreach (var (k, v) in r.Map(p))
                        if (long.TryParse(v, out var n) && n is > 0 and < 65536) pm[k] = n;
                        else r.Error($"port_map.{k}", "must be a port number");
                    c = c with { PortMap = pm };
                    break;
                case "network_mode": c = c with { NetworkMode = r.String(p) ?? "" }; break;
                case "volumes": c = c with { Volumes = r.Strings(p) }; break;
                case "mount" or "mounts": c = c with { Mounts = [.. c.Mounts, .. r.Objects(p).Select((m, i) => ParseMount(m, $"{p.Name}[{i}]", r))] }; break;
                case "labels": c = c with { Labels = r.Map(p) }; break;
                case "work_dir": c = c with { WorkDir = r.String(p) ?? "" }; break;
                case "hostname": c = c with { Hostname = r.String(p) ?? "" }; break;
                case "privileged": c = c with { Privileged = r.Bool(p) }; break;
                case "cap_add": c = c with { CapAdd = r.Strings(p) }; break;
                case "cap_drop": c = c with { CapDrop = r.Strings(p) }; break;
                case "shm_size": c = c with { ShmSize = r.Long(p) }; break;
                case "force_pull": c = c with { ForcePull = r.Bool(p) }; break;
                case "memory_hard_limit": c = c with { MemoryHardLimitMB = r.Long(p) }; break;
                case "pids_limit": c = c with { PidsLimit = r.Long(p) }; break;
                case "image_pull_timeout": c = c with { ImagePullTimeout = r.Duration(p) ?? c.ImagePullTimeout }; break;
                case "auth": r.Error(p.Name, "registry authentication is not supported by this docker driver yet"); break;
                default: r.Error(p.Name, "unknown field"); break;
            }
        }
        if (c.Image.Length == 0 && !r.Errors.Any(e => e.StartsWith("config.image:", StringComparison.Ordinal))) r.Errors.Insert(0, "config.image: required");
        foreach (var v in c.Volumes)
            if (v.Split(':') is not ([{ Length: > 0 }, ['/', ..]] or [{ Length: > 0 }, ['/', ..], "ro" or "rw" or "z" or "Z" or "ro,z" or "ro,Z"]))
                r.Error("volumes", $"\"{v}\" is not host_path:/container_path[:ro]");
        return r.Errors.Count > 0 ? (null, r.Errors) : (c, r.Errors);
    }

    private static MountConfig ParseMount(JsonElement m, string field, ConfigReader r)
    {
        string type = "volume", target = "", source = "", propagation = "";
        bool ro = false;
        long size = 0, mode = 0;
        foreach (var p in m.EnumerateObject())
        {
            switch (p.Name)
            {
                case "type": type = p.Value.GetString() ?? "volume"; break;
                case "target": target = p.Value.GetString() ?? ""; break;
                case "source": source = p.Value.GetString() ?? ""; break;
                case "readonly": ro = r.Bool($"{field}.readonly", p.Value); break;
                case "bind_options":
                    foreach (var o in AsObjects(p.Value))
                        if (o.TryGetProperty("propagation", out var prop)) propagation = prop.GetString() ?? "";
                    break;
                case "tmpfs_options":
                    foreach (var o in AsObjects(p.Value))
                    {
                        if (o.TryGetProperty("size", out var s)) size = r.Long($"{field}.tmpfs_options.size", s);
                        if (o.TryGetProperty("mode", out var md)) mode = r.Long($"{field}.tmpfs_options.mode", md);
                    }
                    break;
                case "volume_options": break; // labels/no_copy/driver_config: not applied yet
                default: r.Error($"{field}.{p.Name}", "unknown field"); break;
            }
        }
        if (type is not ("bind" or "volume" or "tmpfs")) r.Error($"{field}.type", $"must be bind, volume or tmpfs, got \"{type}\"");
        if (!target.StartsWith('/')) r.Error($"{field}.target", "required, an absolute path in the container");
        if (type == "bind" && source.Length == 0) r.Error($"{field}.source", "required for a bind mount");
        return new MountConfig(type, target, source, ro, propagation, size, mode);
    }

    private static IEnumerable<JsonElement> AsObjects(JsonElement v) =>
        v.ValueKind == JsonValueKind.Array ? v.EnumerateArray().Where(o => o.ValueKind == JsonValueKind.Object)
        : v.ValueKind == JsonValueKind.Object ? [v] : [];
}
