using System.Globalization;
using Nomad.Agent.Config;
using Nomad.Agent.Structs;
using static Nomad.Agent.Config.ConfigValues;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Decodes the body of a job block, as read by <see cref="HclConfigReader"/> (labelled blocks arrive as
/// <c>group → { name → body }</c>). Errors are one-line <see cref="ConfigException"/>s with the key's position.
/// </summary>
internal static class JobspecDecoder
{
    public static Job DecodeJob(string id, ConfigObject o)
    {
        string ctx = $"job \"{id}\"";
        NoRepeats(o, ctx, "constraint", "group");
        // Group defaults depend on the job type and on a job-level reschedule block, wherever they appear.
        string type = o.Entries.FirstOrDefault(e => e.Key == "type") is { } t ? String(t, $"{ctx} type") : JobType.Service;
        var reschedule = ReschedulePolicy.ForJobType(type);
        if (o.Entries.FirstOrDefault(e => e.Key == "reschedule") is { } r)
            reschedule = DecodeReschedule(r, $"{ctx} reschedule", reschedule ?? new ReschedulePolicy());

        var job = new Job { ID = id, Name = id, Type = type };
        var constraints = new List<Constraint>();
        var groups = new List<TaskGroup>();
        foreach (var e in o.Entries)
        {
            string p = $"{ctx} {e.Key}";
            job = e.Key switch
            {
                "type" or "reschedule" => job,
                "id" => job with { ID = String(e, p) },
                "name" => job with { Name = String(e, p) },
                "namespace" => job with { Namespace = String(e, p) },
                "region" => job with { Region = String(e, p) },
                "priority" => job with { Priority = Whole(e, p) },
                "all_at_once" => job with { AllAtOnce = Bool(e, p) },
                "datacenters" => job with { Datacenters = StringList(e, p) },
                "meta" => job with { Meta = StringMap(e, p) },
                "update" => job with { Update = DecodeUpdate(e, p) },
                "constraint" => Add(job, constraints, Blocks(e, p).Select(b => DecodeConstraint(b, p))),
                "group" => Add(job, groups, Labelled(e, p, "group").Select(g => DecodeGroup(g.Name, g.Body, type, reschedule))),
                _ => throw Unknown(e, ctx),
            };
        }
        return job with { Constraints = NullIfEmpty(constraints), TaskGroups = groups };
    }

    private static TaskGroup DecodeGroup(string name, ConfigObject o, string jobType, ReschedulePolicy? reschedule)
    {
        string ctx = $"group \"{name}\"";
        NoRepeats(o, ctx, "constraint", "task");
        var g = new TaskGroup { Name = name, RestartPolicy = RestartPolicy.ForJobType(jobType), ReschedulePolicy = reschedule };
        var constraints = new List<Constraint>();
        var tasks = new List<JobTask>();
        foreach (var e in o.Entries)
        {
            string p = $"{ctx} {e.Key}";
            g = e.Key switch
            {
                "count" => g with { Count = Whole(e, p) },
                "meta" => g with { Meta = StringMap(e, p) },
                "restart" => g with { RestartPolicy = DecodeRestart(e, p, g.RestartPolicy!) },
                "reschedule" => g with { ReschedulePolicy = DecodeReschedule(e, p, g.ReschedulePolicy ?? new ReschedulePolicy()) },
                "ephemeral_disk" => g with { EphemeralDisk = DecodeDisk(e, p) },
                "network" => g with { Networks = [DecodeNetwork(e, p)] },
                "constraint" => Add(g, constraints, Blocks(e, p).Select(b => DecodeConstraint(b, p))),
                "task" => Add(g, tasks, Labelled(e, p, "task").Select(t => DecodeTask(t.Name, t.Body, ctx))),
                _ => throw Unknown(e, ctx),
            };
        }
        return g with { Constraints = NullIfEmpty(constraints), Tasks = tasks };
    }

    private static JobTask DecodeTask(string name, ConfigObject o, string groupCtx)
    {
        string ctx = $"{groupCtx} task \"{name}\"";
        NoRepeats(o, ctx, "constraint");
        var t = new JobTask { Name = name };
        var constraints = new List<Constraint>();
        foreach (var e in o.Entries)
        {
            string p = $"{ctx} {e.Key}";
            t = e.Key switch
            {
                "driver" => t with { Driver = String(e, p) },
                "user" => t with { User = String(e, p) },
                "config" => t with { Config = Blocks(e, p).Select(PlainObject).Aggregate(Merge) },
                "env" => t with { Env = StringMap(e, p) },
                "meta" => t with { Meta = StringMap(e, p) },
                "resources" => t with { Resources = DecodeResources(e, p) },
                "kill_timeout" => t with { KillTimeout = Nanos(e, p) },
                "kill_signal" => t with { KillSignal = String(e, p) },
                "logs" => t with { LogConfig = DecodeLogs(e, p) },
                "constraint" => Add(t, constraints, Blocks(e, p).Select(b => DecodeConstraint(b, p))),
                _ => throw Unknown(e, ctx),
            };
        }
        return t with { Constraints = NullIfEmpty(constraints) };
    }

    private static Resources DecodeResources(ConfigEntry block, string ctx)
    {
        var r = new Resources();
        foreach (var o in Blocks(block, ctx))
        {
            NoRepeats(o, ctx);
            foreach (var e in o.Entries)
            {
                string p = $"{ctx}.{e.Key}";
                r = e.Key switch
                {
                    "cpu" => r with { CPU = Whole(e, p) },
                    "memory" => r with { MemoryMB = Whole(e, p) },
                    "disk" => r with { DiskMB = Whole(e, p) },
                    "network" => r with { Networks = [DecodeNetwork(e, p)] },
                    _ => throw Unknown(e, ctx),
                };
            }
        }
        return r;
    }

    private static NetworkResource DecodeNetwork(ConfigEntry block, string ctx)
    {
        var n = new NetworkResource { MBits = 10 };
        var reserved = new List<Port>();
        var dynamic = new List<Port>();
        foreach (var o in Blocks(block, ctx))
        {
            NoRepeats(o, ctx, "port");
            foreach (var e in o.Entries)
            {
                string p = $"{ctx}.{e.Key}";
                switch (e.Key)
                {
                    case "mbits": n = n with { MBits = Whole(e, p) }; break;
                    case "mode": n = n with { Mode = String(e, p) }; break;
                    case "port":
                        foreach (var (label, body) in Labelled(e, p, "port"))
                        {
                            var port = DecodePort(label, body, $"{p} \"{label}\"");
                            (port.Value > 0 ? reserved : dynamic).Add(port);
                        }
                        break;
                    default: throw Unknown(e, ctx);
                }
            }
        }
        return n with { ReservedPorts = NullIfEmpty(reserved), DynamicPorts = NullIfEmpty(dynamic) };
    }

    private static Port DecodePort(string label, ConfigObject o, string ctx)
    {
        NoRepeats(o, ctx);
        var port = new Port { Label = label };
        foreach (var e in o.Entries)
        {
            string p = $"{ctx}.{e.Key}";
            port = e.Key switch
            {
                "static" => port with { Value = Whole(e, p) },
                "to" => port with { To = Whole(e, p) },
                _ => throw Unknown(e, ctx),
            };
        }
        return port;
    }

    private static RestartPolicy DecodeRestart(ConfigEntry block, string ctx, RestartPolicy r) =>
        Fields(block, ctx, r, (r, e, p) => e.Key switch
        {
            "attempts" => r with { Attempts = Whole(e, p) },
            "interval" => r with { Interval = Nanos(e, p) },
            "delay" => r with { Delay = Nanos(e, p) },
            "mode" => r with { Mode = String(e, p) },
            _ => throw Unknown(e, ctx),
        });

    private static ReschedulePolicy DecodeReschedule(ConfigEntry block, string ctx, ReschedulePolicy r) =>
        Fields(block, ctx, r, (r, e, p) => e.Key switch
        {
            "attempts" => r with { Attempts = Whole(e, p) },
            "interval" => r with { Interval = Nanos(e, p) },
            "delay" => r with { Delay = Nanos(e, p) },
            "delay_function" => r with { DelayFunction = String(e, p) },
            "max_delay" => r with { MaxDelay = Nanos(e, p) },
            "unlimited" => r with { Unlimited = Bool(e, p) },
            _ => throw Unknown(e, ctx),
        });

    private static EphemeralDisk DecodeDisk(ConfigEntry block, string ctx) =>
        Fields(block, ctx, new EphemeralDisk(), (d, e, p) => e.Key switch
        {
            "size" => d with { SizeMB = Whole(e, p) },
            "sticky" => d with { Sticky = Bool(e, p) },
            "migrate" => d with { Migrate = Bool(e, p) },
            _ => throw Unknown(e, ctx),
        });

    private static LogConfig DecodeLogs(ConfigEntry block, string ctx) =>
        Fields(block, ctx, new LogConfig(), (l, e, p) => e.Key switch
        {
            "max_files" => l with { MaxFiles = Whole(e, p) },
            "max_file_size" => l with { MaxFileSizeMB = Whole(e, p) },
            _ => throw Unknown(e, ctx),
        });

    /// <summary>Nomad's api.DefaultUpdateStrategy, overlaid with what the block sets.</summary>
    private static UpdateStrategy DecodeUpdate(ConfigEntry block, string ctx)
    {
        const long s = 1_000_000_000;
        var defaults = new UpdateStrategy
        {
            Stagger = 30 * s, MaxParallel = 1, HealthCheck = "checks", MinHealthyTime = 10 * s,
            HealthyDeadline = 300 * s, ProgressDeadline = 600 * s,
        };
        return Fields(block, ctx, defaults, (u, e, p) => e.Key switch
        {
            "stagger" => u with { Stagger = Nanos(e, p) },
            "max_parallel" => u with { MaxParallel = Whole(e, p) },
            "health_check" => u with { HealthCheck = String(e, p) },
            "min_healthy_time" => u with { MinHealthyTime = Nanos(e, p) },
            "healthy_deadline" => u with { HealthyDeadline = Nanos(e, p) },
            "progress_deadline" => u with { ProgressDeadline = Nanos(e, p) },
            "auto_revert" => u with { AutoRevert = Bool(e, p) },
            "auto_promote" => u with { AutoPromote = Bool(e, p) },
            "canary" => u with { Canary = Whole(e, p) },
            _ => throw Unknown(e, ctx),
        });
    }

    /// <summary>
    /// <c>attribute/operator/value</c>, or one of Nomad's shorthands: <c>distinct_hosts = true</c>,
    /// <c>distinct_property = "${meta.rack}"</c>, <c>regexp = "..."</c> (with <c>attribute</c>), and so on.
    /// </summary>
    private static Constraint DecodeConstraint(ConfigObject o, string ctx)
    {
        NoRepeats(o, ctx);
        var c = new Constraint { Operand = ConstraintOperand.Equal };
        foreach (var e in o.Entries)
        {
            string p = $"{ctx}.{e.Key}";
            c = e.Key switch
            {
                "attribute" => c with { LTarget = String(e, p) },
                "value" => c with { RTarget = Scalar(e, p) },
                "operator" => c with { Operand = String(e, p) },
                "version" or "semver" or "regexp" or "set_contains" or "set_contains_any" or "set_contains_all"
                    => c with { Operand = e.Key, RTarget = Scalar(e, p) },
                "distinct_hosts" => Bool(e, p) ? c with { Operand = ConstraintOperand.DistinctHosts } : c,
                "distinct_property" => c with { Operand = ConstraintOperand.DistinctProperty, LTarget = String(e, p) },
                _ => throw Unknown(e, ctx),
            };
        }
        return c;
    }

    // --- helpers ---

    private static T Fields<T>(ConfigEntry block, string ctx, T start, Func<T, ConfigEntry, string, T> apply)
    {
        var value = start;
        foreach (var o in Blocks(block, ctx))
        {
            NoRepeats(o, ctx);
            foreach (var e in o.Entries) value = apply(value, e, $"{ctx}.{e.Key}");
        }
        return value;
    }

    /// <summary>The named blocks of one type: <c>group "a" {}</c> arrives as group → { a → body }.</summary>
    private static IEnumerable<(string Name, ConfigObject Body)> Labelled(ConfigEntry e, string path, string what)
    {
        if (e.Value is not ConfigObject byName) throw Fail(e.Value, path, $"must be a block, e.g. {what} \"name\" {{ ... }}");
        foreach (var named in byName.Entries)
        {
            if (named.Value is not ConfigObject body)
                throw Fail(named.Value, path, $"{what} needs a name, e.g. {what} \"name\" {{ ... }}");
            yield return (named.Key, body);
        }
    }

    /// <summary>A key given twice is an error, except block types that may repeat (each repeat is one more item).</summary>
    private static void NoRepeats(ConfigObject o, string ctx, params string[] repeatable)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var e in o.Entries)
        {
            if (!seen.Add(e.Key) && !repeatable.Contains(e.Key))
                throw new ConfigException($"{e.KeyPosition}: {ctx}: \"{e.Key}\" is given more than once");
        }
    }

    /// <summary>A whole number of any sign; ranges are the validator's job.</summary>
    private static int Whole(ConfigEntry e, string path)
    {
        object? v = (e.Value as ConfigScalar)?.Value;
        long n = v switch
        {
            long l => l,
            double d when d == Math.Floor(d) && Math.Abs(d) <= int.MaxValue => (long)d,
            string s when long.TryParse(s.Trim(), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var p) => p,
            _ => long.MinValue,
        };
        if (n is < int.MinValue or > int.MaxValue) throw Fail(e.Value, path, "must be a whole number");
        return (int)n;
    }

    /// <summary>A Go duration string ("30s", "1h30m") as nanoseconds.</summary>
    private static long Nanos(ConfigEntry e, string path)
    {
        object? v = (e.Value as ConfigScalar)?.Value;
        if (v is string s && GoDuration.TryParseNanoseconds(s, out long ns)) return ns;
        string shown = v is string s0 ? $"\"{s0}\"" : "a non-string";
        throw Fail(e.Value, path, $"invalid duration {shown} (want e.g. \"10s\", \"1m30s\", \"500ms\")");
    }

    /// <summary>A constraint value: Nomad compares text, so numbers and bools are taken as written.</summary>
    private static string Scalar(ConfigEntry e, string path) => (e.Value as ConfigScalar)?.Value switch
    {
        string s => s,
        long l => l.ToString(CultureInfo.InvariantCulture),
        double d => d.ToString(CultureInfo.InvariantCulture),
        bool b => b ? "true" : "false",
        _ => throw Fail(e.Value, path, "must be a string"),
    };

    /// <summary>Repeated config blocks merge; a key in both becomes the list of both values, as HCL1 does.</summary>
    private static Dictionary<string, object?> Merge(Dictionary<string, object?> a, Dictionary<string, object?> b)
    {
        foreach (var (k, v) in b)
            a[k] = a.TryGetValue(k, out var old) ? (old is List<object?> l ? [.. l, v] : new List<object?> { old, v }) : v;
        return a;
    }

    private static TOwner Add<TOwner, TItem>(TOwner owner, List<TItem> list, IEnumerable<TItem> items)
    {
        list.AddRange(items);
        return owner;
    }

    private static List<T>? NullIfEmpty<T>(List<T> list) => list.Count == 0 ? null : list;
}
