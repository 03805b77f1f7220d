using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Jobspec.Api;
using Task = Nomad.Agent.Jobspec.Api.Task;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Decodes an evaluated <c>job "id" { ... }</c> block into Nomad's API job with jobspec2's rules (Nomad 1.4):
/// every stanza's attribute and block names, <c>meta</c>/<c>env</c> as attribute or block, driver <c>config</c>
/// as a free-form map, durations as Go duration strings, a <c>vault</c> or <c>task</c> directly in the job, the
/// constraint shorthands. Every problem is collected in <see cref="Diagnostics"/>; nothing is normalised here.
/// </summary>
internal static partial class JobDecoder
{
    /// <summary>The decoded job, its job-level <c>vault</c> block and tasks written directly in the job (jobspec2's jobConfig).</summary>
    public sealed record Decoded(Job Job, Vault? Vault, List<Task> Tasks);

    public static Decoded DecodeJob(EvaluatedBlock block, Diagnostics d)
    {
        var job = new Job();
        var r = new BodyReader(block.Body, d,
            ["region", "namespace", "id", "name", "type", "priority", "all_at_once", "datacenters", "consul_token", "vault_token", "meta"],
            ["constraint", "affinity", "group", "update", "multiregion", "spread", "periodic", "parameterized", "reschedule", "migrate", "meta", "vault", "task"]);
        job.Region = r.String("region");
        job.Namespace = r.String("namespace");
        job.ID = r.String("id");
        job.Name = r.String("name");
        job.Type = r.String("type");
        job.Priority = r.Int("priority");
        job.AllAtOnce = r.Bool("all_at_once");
        job.Datacenters = r.Strings("datacenters");
        job.ConsulToken = r.String("consul_token");
        job.VaultToken = r.String("vault_token");
        job.Constraints = List(r.Blocks("constraint"), b => Constraint(b, d));
        job.Affinities = List(r.Blocks("affinity"), b => Affinity(b, d));
        job.TaskGroups = List(r.Labelled("group"), b => Group(b, d));
        job.Update = r.Block("update") is { } u ? Update(u, d) : null;
        job.Multiregion = r.Block("multiregion") is { } m ? Multiregion(m, d) : null;
        job.Spreads = List(r.Blocks("spread"), b => Spread(b, d));
        job.Periodic = r.Block("periodic") is { } p ? Periodic(p, d) : null;
        job.ParameterizedJob = r.Block("parameterized") is { } pj ? Parameterized(pj, d) : null;
        job.Reschedule = r.Block("reschedule") is { } rs ? Reschedule(rs, d) : null;
        job.Migrate = r.Block("migrate") is { } mg ? Migrate(mg, d) : null;
        job.Meta = Map(r, "meta");
        var vault = r.Block("vault") is { } v ? Vault(v, d) : null;
        var tasks = r.Labelled("task").Select(b => TaskBlock(b, d)).ToList();
        return new Decoded(job, vault, tasks);
    }

    private static TaskGroup Group(EvaluatedBlock block, Diagnostics d)
    {
        var r = new BodyReader(block.Body, d,
            ["count", "shutdown_delay", "stop_after_client_disconnect", "max_client_disconnect", "meta"],
            ["constraint", "affinity", "task", "spread", "volume", "restart", "reschedule", "ephemeral_disk", "update", "migrate",
             "network", "meta", "service", "scaling", "consul", "vault"]);
        var g = new TaskGroup
        {
            Name = block.Labels[0],
            Count = r.Int("count"),
            Constraints = List(r.Blocks("constraint"), b => Constraint(b, d)),
            Affinities = List(r.Blocks("affinity"), b => Affinity(b, d)),
            Tasks = List(r.Labelled("task"), b => TaskBlock(b, d)),
            Spreads = List(r.Blocks("spread"), b => Spread(b, d)),
            RestartPolicy = r.Block("restart") is { } rp ? Restart(rp, d) : null,
            ReschedulePolicy = r.Block("reschedule") is { } rs ? Reschedule(rs, d) : null,
            EphemeralDisk = r.Block("ephemeral_disk") is { } e ? Disk(e, d) : null,
            Update = r.Block("update") is { } u ? Update(u, d) : null,
            Migrate = r.Block("migrate") is { } m ? Migrate(m, d) : null,
            Networks = List(r.Blocks("network"), b => Network(b, d)),
            Meta = Map(r, "meta"),
            Services = List(r.Blocks("service"), b => Service(b, d)),
            ShutdownDelay = r.Duration("shutdown_delay"),
            StopAfterClientDisconnect = r.Duration("stop_after_client_disconnect"),
            MaxClientDisconnect = r.Duration("max_client_disconnect"),
            Consul = r.Block("consul") is { } c ? Consul(c, d) : null,
        };
        var volumes = r.Labelled("volume").Select(b => Volume(b, d)).ToList();
        if (volumes.Count > 0)
        {
            g.Volumes = new SortedList<string, VolumeRequest>(StringComparer.Ordinal);
            foreach (var v in volumes) g.Volumes[v.Name] = v;
        }
        if (r.Block("scaling") is { } s)
        {
            g.Scaling = Scaling(s, d, group: true);
            if (g.Scaling.Type == "") g.Scaling.Type = "horizontal";
            if (g.Scaling.Type != "horizontal" && s.Body.Attribute("type") is { } t)
                d.Add(t.ValuePosition, "Invalid group scaling type", $"task group scaling policy had invalid type: \"{g.Scaling.Type}\"");
        }
        // A group-level vault block is every task's that has none of its own.
        if (r.Block("vault") is { } vb)
        {
            var vault = Vault(vb, d);
            foreach (var t in g.Tasks ?? []) t.Vault ??= vault;
        }
        return g;
    }

    private static Task TaskBlock(EvaluatedBlock block, Diagnostics d)
    {
        var r = new BodyReader(block.Body, d,
            ["driver", "user", "kill_timeout", "leader", "shutdown_delay", "kill_signal", "kind", "env", "meta"],
            ["lifecycle", "config", "constraint", "affinity", "env", "service", "resources", "restart", "meta", "logs", "artifact",
             "vault", "template", "dispatch_payload", "volume_mount", "csi_plugin", "scaling"]);
        var t = new Task
        {
            Name = block.Labels.Count > 0 ? block.Labels[0] : "",
            Driver = r.Str("driver"),
            User = r.Str("user"),
            Lifecycle = r.Block("lifecycle") is { } l ? Lifecycle(l, d) : null,
            Config = r.Block("config") is { } c ? FreeForm.ToJson(c.Body) : null,
            Constraints = List(r.Blocks("constraint"), b => Constraint(b, d)),
            Affinities = List(r.Blocks("affinity"), b => Affinity(b, d)),
            Env = Map(r, "env"),
            Services = List(r.Blocks("service"), b => Service(b, d)),
            Resources = r.Block("resources") is { } res ? Resources(res, d) : null,
            RestartPolicy = r.Block("restart") is { } rp ? Restart(rp, d) : null,
            Meta = Map(r, "meta"),
            KillTimeout = r.Duration("kill_timeout"),
            LogConfig = r.Block("logs") is { } lg ? Logs(lg, d) : null,
            Artifacts = List(r.Blocks("artifact"), b => Artifact(b, d)),
            Vault = r.Block("vault") is { } v ? Vault(v, d) : null,
            Templates = List(r.Blocks("template"), b => Template(b, d)),
            DispatchPayload = r.Block("dispatch_payload") is { } dp ? DispatchPayload(dp, d) : null,
            VolumeMounts = List(r.Blocks("volume_mount"), b => VolumeMount(b, d)),
            CSIPluginConfig = r.Block("csi_plugin") is { } csi ? CsiPlugin(csi, d) : null,
            Leader = r.Flag("leader"),
            ShutdownDelay = r.Duration("shutdown_delay") ?? 0,
            KillSignal = r.Str("kill_signal"),
            Kind = r.Str("kind"),
        };
        t.ScalingPolicies = List(TaskScaling(r, d), p => p);
        return t;
    }

    /// <summary><c>scaling "cpu"</c> / <c>scaling "mem"</c> in a task: vertical policies, one of each at most.</summary>
    private static IEnumerable<ScalingPolicy> TaskScaling(BodyReader r, Diagnostics d)
    {
        var seen = new Dictionary<string, EvaluatedBlock>();
        foreach (var b in r.Labelled("scaling"))
        {
            string label = b.Labels[0].ToLowerInvariant();
            string? type = label switch { "cpu" => "vertical_cpu", "mem" => "vertical_mem", _ => null };
            if (type is null)
            {
                d.Add(b.Position, "Invalid scaling policy name", "scaling policy name must be \"cpu\" or \"mem\"");
                continue;
            }
            if (seen.TryGetValue(label, out var prev))
            {
                d.Add(b.Position, $"Duplicate scaling \"{label}\" block",
                    $"Only one scaling {label} block is allowed. Another was defined at {Diagnostics.Where(prev.Position)}.");
                continue;
            }
            seen[label] = b;
            var p = Scaling(b, d, group: false);
            if (p.Type == "") p.Type = type;
            else if (p.Type != type)
            {
                d.Add(b.Position, "Invalid scaling policy type", $"Invalid policy type, expected \"{p.Type}\" but found \"{type}\"");
                continue;
            }
            yield return p;
        }
    }

    private static ScalingPolicy Scaling(EvaluatedBlock b, Diagnostics d, bool group)
    {
        var r = new BodyReader(b.Body, d, ["type", "min", "max", "enabled"], ["policy"]);
        if (group) r.Require("max");
        return new ScalingPolicy
        {
            Type = r.Str("type"),
            Min = r.Long("min"),
            Max = r.Long("max"),
            Policy = r.Block("policy") is { } p ? FreeForm.ToJson(p.Body) : null,
            Enabled = r.Bool("enabled"),
        };
    }

    // --- helpers ---

    /// <summary>A list field: null when there is nothing (Go's nil slice).</summary>
    private static List<T>? List<TIn, T>(IEnumerable<TIn> items, Func<TIn, T> decode)
    {
        var list = items.Select(decode).ToList();
        return list.Count == 0 ? null : list;
    }

    /// <summary>
    /// <c>meta</c>/<c>env</c>: as an attribute (<c>meta = { ... }</c>, which allows any key) or as one block;
    /// both at once is a "Duplicate" problem (jobspec2's decodeAsAttribute).
    /// </summary>
    private static SortedList<string, string>? Map(BodyReader r, string name)
    {
        var blocks = r.Blocks(name);
        if (r.Attr(name) is { } a)
        {
            if (blocks.Count > 0)
            {
                r.Diagnostics.Add(blocks[0].Position, $"Duplicate {name} block",
                    $"{name} may not be defined more than once. Another definition is defined at {Diagnostics.Where(a.Position)}.");
                return null;
            }
            return BodyReader.ToStringMap(a, r.Diagnostics);
        }
        return r.Block(name) is { } b ? FreeForm.StringMap(b, r.Diagnostics) : null;
    }

    private static SortedList<string, string>? MapBlock(BodyReader r, string name) =>
        r.Block(name) is { } b ? FreeForm.StringMap(b, r.Diagnostics) : null;
}
