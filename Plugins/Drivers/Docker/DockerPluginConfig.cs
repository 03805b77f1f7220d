using System.Text.Json;

namespace Nomad.Drivers.Docker;

/// <summary>
/// The agent's <c>plugin "docker" { config { ... } }</c>, with Nomad's names and defaults:
/// <code>
/// endpoint              = "unix:///var/run/docker.sock"  # else $DOCKER_HOST, else this socket
/// allow_privileged      = false
/// pull_activity_timeout = "2m"    # a pull that reports no progress for this long fails
/// pids_limit            = 0       # default per-task limit (a task's own pids_limit may only lower it)
/// volumes { enabled = false }     # bind mounts of host paths outside the task directory
/// gc {
///   image       = true            # remove images this driver pulled once no task uses them ...
///   image_delay = "3m"            # ... after this long
///   container   = true            # remove containers when tasks are destroyed
///   dangling_containers { enabled = true  period = "5m"  creation_grace = "5m" }
/// }
/// </code>
/// </summary>
internal sealed record DockerPluginConfig
{
    public const string DefaultSocket = "unix:///var/run/docker.sock";

    public string Endpoint { get; init; } = Environment.GetEnvironmentVariable("DOCKER_HOST") is { Length: > 0 } h ? h : DefaultSocket;
    public bool AllowPrivileged { get; init; }
    public TimeSpan PullActivityTimeout { get; init; } = TimeSpan.FromMinutes(2);
    public long PidsLimit { get; init; }
    public bool VolumesEnabled { get; init; }
    public bool GcImage { get; init; } = true;
    public TimeSpan GcImageDelay { get; init; } = TimeSpan.FromMinutes(3);
    public bool GcContainer { get; init; } = true;
    public bool DanglingEnabled { get; init; } = true;
    public TimeSpan DanglingPeriod { get; init; } = TimeSpan.FromMinutes(5);
    public TimeSpan DanglingGrace { get; init; } = TimeSpan.FromMinutes(5);

    public static DockerPluginConfig Default => new();

    public static (DockerPluginConfig? Config, List<string> Errors) Parse(JsonElement config)
    {
        if (config.ValueKind is JsonValueKind.Undefined or JsonValueKind.Null) return (Default, []);
        if (config.ValueKind != JsonValueKind.Object) return (null, ["config: must be an object"]);
        var r = new ConfigReader("config");
        var c = Default;
        foreach (var p in config.EnumerateObject())
        {
            switch (p.Name)
            {
                case "endpoint":
                    var e = r.String(p);
                    if (e is { Length: > 0 } && !Uri.TryCreate(e, UriKind.Absolute, out _)) r.Error(p.Name, $"not a URI: {e}");
                    else if (e is { Length: > 0 }) c = c with { Endpoint = e };
                    break;
                case "allow_privileged": c = c with { AllowPrivileged = r.Bool(p) }; break;
                case "pull_activity_timeout": c = c with { PullActivityTimeout = r.Duration(p) ?? c.PullActivityTimeout }; break;
                case "pids_limit": c = c with { PidsLimit = r.Long(p) }; break;
                case "volumes":
                    foreach (var o in r.Objects(p))
                        foreach (var v in o.EnumerateObject())
                            if (v.Name == "enabled") c = c with { VolumesEnabled = r.Bool("volumes.enabled", v.Value) };
                            else if (v.Name != "selinuxlabel") r.Error($"volumes.{v.Name}", "unknown field");
                    break;
                case "gc": c = ParseGc(c, p, r); break;
                // Accepted for compatibility with Nomad configs; this driver does not act on them (see README).
                case "auth" or "allow_caps" or "extra_labels" or "logging" or "infra_image" or "infra_image_pull_timeout"
                    or "disable_log_collection" or "image_pull_timeout": break;
                default: r.Error(p.Name, "unknown field"); break;
            }
        }
        return r.Errors.Count > 0 ? (null, r.Errors) : (c, r.Errors);
    }

    private static DockerPluginConfig ParseGc(DockerPluginConfig c, JsonProperty gc, ConfigReader r)
    {
        foreach (var o in r.Objects(gc))
            foreach (var p in o.EnumerateObject())
            {
                switch (p.Name)
                {
                    case "image": c = c with { GcImage = r.Bool("gc.image", p.Value) }; break;
                    case "image_delay": c = c with { GcImageDelay = r.Duration("gc.image_delay", p.Value) ?? c.GcImageDelay }; break;
                    case "container": c = c with { GcContainer = r.Bool("gc.container", p.Value) }; break;
                    case "dangling_containers":
                        var objs = p.Value.ValueKind == JsonValueKind.Array ? p.Value.EnumerateArray().ToList() : [p.Value];
                        foreach (var d in objs.Where(x => x.ValueKind == JsonValueKind.Object))
                            foreach (var q in d.EnumerateObject())
                                switch (q.Name)
                                {
                                    case "enabled": c = c with { DanglingEnabled = r.Bool("gc.dangling_containers.enabled", q.Value) }; break;
                                    case "period": c = c with { DanglingPeriod = r.Duration("gc.dangling_containers.period", q.Value) ?? c.DanglingPeriod }; break;
                                    case "creation_grace": c = c with { DanglingGrace = r.Duration("gc.dangling_containers.creation_grace", q.Value) ?? c.DanglingGrace }; break;
                                    case "dry_run": break;
                                    default: r.Error($"gc.dangling_containers.{q.Name}", "unknown field"); break;
                                }
                        break;
                    default: r.Error($"gc.{p.Name}", "unknown field"); break;
                }
            }
        return c;
    }
}
