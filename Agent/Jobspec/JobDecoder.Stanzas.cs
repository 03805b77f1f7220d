using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Values;
using Nomad.Agent.Jobspec.Api;

namespace Nomad.Agent.Jobspec;

/// <summary>The stanzas below job, group and task, one decoder each, with the names Nomad 1.4's api structs declare.</summary>
internal static partial class JobDecoder
{
    private static readonly string[] None = [];

    private static readonly string[] ConstraintAttrs =
    [
        "attribute", "value", "operator", "distinct_property", "distinct_hosts", "regexp", "version", "semver",
        "set_contains", "set_contains_all", "set_contains_any", "is_set", "is_not_set",
    ];

    /// <summary>
    /// jobspec2's decodeConstraint: <c>attribute/operator/value</c>, or a shorthand that sets the operator:
    /// <c>version</c>, <c>semver</c>, <c>regexp</c>, <c>set_contains</c> (value), <c>distinct_hosts = true</c>,
    /// <c>distinct_property = "${meta.rack}"</c> (attribute). The operator defaults to "=".
    /// </summary>
    private static Api.Constraint Constraint(EvaluatedBlock b, Diagnostics d)
    {
        _ = new BodyReader(b.Body, d, ConstraintAttrs, None);
        var c = new Api.Constraint
        {
            LTarget = SpecString(b, "attribute", d),
            RTarget = SpecString(b, "value", d),
            Operand = SpecString(b, "operator", d),
        };
        foreach (var op in new[] { "version", "semver", "regexp", "set_contains" })
            if (SpecString(b, op, d) is { Length: > 0 } v) (c.Operand, c.RTarget) = (op, v);
        foreach (var unused in new[] { "set_contains_all", "set_contains_any", "is_set", "is_not_set" }) SpecString(b, unused, d);
        if (b.Body.Attribute("distinct_hosts") is { Value: not NullValue } dh)
        {
            if (dh.Value is BoolValue { Value: true } || dh.Value is StringValue { Value: "true" }) c.Operand = "distinct_hosts";
            else if (dh.Value is not (BoolValue or StringValue { Value: "false" }))
                d.Add(dh.ValuePosition, "Incorrect attribute value type", "Inappropriate value for attribute \"distinct_hosts\": bool required.");
        }
        if (SpecString(b, "distinct_property", d) is { Length: > 0 } prop) (c.Operand, c.LTarget) = ("distinct_property", prop);
        if (c.Operand == "") c.Operand = "=";
        return c;
    }

    /// <summary>jobspec2's decodeAffinity: as a constraint, with a weight and the set operators.</summary>
    private static Affinity Affinity(EvaluatedBlock b, Diagnostics d)
    {
        _ = new BodyReader(b.Body, d,
            ["attribute", "value", "operator", "weight", "version", "semver", "regexp", "set_contains", "set_contains_any", "set_contains_all"], None);
        var a = new Affinity
        {
            LTarget = SpecString(b, "attribute", d),
            RTarget = SpecString(b, "value", d),
            Operand = SpecString(b, "operator", d),
        };
        if (b.Body.Attribute("weight") is { Value: not NullValue } w)
        {
            if (w.Value is NumberValue n) a.Weight = unchecked((sbyte)(long)Math.Truncate(n.Value));
            else d.Add(w.ValuePosition, "Incorrect attribute value type", "Inappropriate value for attribute \"weight\": number required.");
        }
        foreach (var op in new[] { "version", "semver", "regexp", "set_contains_any", "set_contains_all", "set_contains" })
            if (SpecString(b, op, d) is { Length: > 0 } v) (a.Operand, a.RTarget) = (op, v);
        if (a.Operand == "") a.Operand = "=";
        return a;
    }

    /// <summary>A string attribute read through an hcldec spec (constraint, affinity): HCL's own wording for a wrong type.</summary>
    private static string SpecString(EvaluatedBlock b, string name, Diagnostics d)
    {
        if (b.Body.Attribute(name) is not { Value: not NullValue } a) return "";
        if (BodyReader.StringOf(a.Value) is { } s) return s;
        d.Add(a.ValuePosition, "Incorrect attribute value type", $"Inappropriate value for attribute \"{name}\": string required.");
        return "";
    }

    private static Spread Spread(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["attribute", "weight"], ["target"]);
        return new Spread
        {
            Attribute = r.Str("attribute"),
            Weight = r.SByte("weight"),
            SpreadTarget = List(r.Labelled("target"), t =>
            {
                var tr = new BodyReader(t.Body, d, ["percent"], None);
                return new SpreadTarget { Value = t.Labels[0], Percent = (byte)(tr.Attr("percent") is { } p ? BodyReader.ToInt(p, d, 0, 255) ?? 0 : 0) };
            }),
        };
    }

    private static UpdateStrategy Update(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d,
            ["stagger", "max_parallel", "health_check", "min_healthy_time", "healthy_deadline", "progress_deadline", "canary", "auto_revert", "auto_promote"], None);
        return new UpdateStrategy
        {
            Stagger = r.Duration("stagger"),
            MaxParallel = r.Int("max_parallel"),
            HealthCheck = r.String("health_check"),
            MinHealthyTime = r.Duration("min_healthy_time"),
            HealthyDeadline = r.Duration("healthy_deadline"),
            ProgressDeadline = r.Duration("progress_deadline"),
            Canary = r.Int("canary"),
            AutoRevert = r.Bool("auto_revert"),
            AutoPromote = r.Bool("auto_promote"),
        };
    }

    private static Multiregion Multiregion(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, None, ["strategy", "region"]);
        MultiregionStrategy? strategy = null;
        if (r.Block("strategy") is { } s)
        {
            var sr = new BodyReader(s.Body, d, ["max_parallel", "on_failure"], None);
            strategy = new MultiregionStrategy { MaxParallel = sr.Int("max_parallel"), OnFailure = sr.String("on_failure") };
        }
        return new Multiregion
        {
            Strategy = strategy,
            Regions = List(r.Labelled("region"), rb =>
            {
                var rr = new BodyReader(rb.Body, d, ["count", "datacenters"], ["meta"]);
                return new MultiregionRegion
                {
                    Name = rb.Labels[0], Count = rr.Int("count"), Datacenters = rr.Strings("datacenters"), Meta = MapBlock(rr, "meta"),
                };
            }),
        };
    }

    private static PeriodicConfig Periodic(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["enabled", "cron", "crons", "prohibit_overlap", "time_zone"], None);
        return new PeriodicConfig
        {
            Enabled = r.Bool("enabled"), Spec = r.String("cron"), Specs = r.Strings("crons"),
            ProhibitOverlap = r.Bool("prohibit_overlap"), TimeZone = r.String("time_zone"),
        };
    }

    private static ParameterizedJobConfig Parameterized(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["payload", "meta_required", "meta_optional"], None);
        return new ParameterizedJobConfig
        {
            Payload = r.Str("payload"), MetaRequired = r.Strings("meta_required"), MetaOptional = r.Strings("meta_optional"),
        };
    }

    private static ReschedulePolicy Reschedule(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["attempts", "interval", "delay", "delay_function", "max_delay", "unlimited"], None);
        return new ReschedulePolicy
        {
            Attempts = r.Int("attempts"),
            Interval = r.Duration("interval"),
            Delay = r.Duration("delay"),
            DelayFunction = r.String("delay_function"),
            MaxDelay = r.Duration("max_delay"),
            Unlimited = r.Bool("unlimited"),
        };
    }

    private static MigrateStrategy Migrate(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["max_parallel", "health_check", "min_healthy_time", "healthy_deadline"], None);
        return new MigrateStrategy
        {
            MaxParallel = r.Int("max_parallel"),
            HealthCheck = r.String("health_check"),
            MinHealthyTime = r.Duration("min_healthy_time"),
            HealthyDeadline = r.Duration("healthy_deadline"),
        };
    }

    private static RestartPolicy Restart(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["interval", "attempts", "delay", "mode"], None);
        return new RestartPolicy { Interval = r.Duration("interval"), Attempts = r.Int("attempts"), Delay = r.Duration("delay"), Mode = r.String("mode") };
    }

    private static EphemeralDisk Disk(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["sticky", "migrate", "size"], None);
        return new EphemeralDisk { Sticky = r.Bool("sticky"), Migrate = r.Bool("migrate"), SizeMB = r.Int("size") };
    }

    private static NetworkResource Network(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["mode", "device", "cidr", "ip", "hostname", "mbits"], ["dns", "reserved_ports", "port"]);
        DNSConfig? dns = null;
        if (r.Block("dns") is { } db)
        {
            var dr = new BodyReader(db.Body, d, ["servers", "searches", "options"], None);
            dns = new DNSConfig { Servers = dr.Strings("servers"), Searches = dr.Strings("searches"), Options = dr.Strings("options") };
        }
        return new NetworkResource
        {
            Mode = r.Str("mode"),
            Device = r.Str("device"),
            CIDR = r.Str("cidr"),
            IP = r.Str("ip"),
            DNS = dns,
            ReservedPorts = List(r.Labelled("reserved_ports"), p => Port(p, d)),
            DynamicPorts = List(r.Labelled("port"), p => Port(p, d)),
            Hostname = r.Str("hostname"),
            MBits = r.Int("mbits"),
        };
    }

    private static Port Port(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["static", "to", "host_network"], None);
        return new Port { Label = b.Labels[0], Value = r.Int("static") ?? 0, To = r.Int("to") ?? 0, HostNetwork = r.Str("host_network") };
    }

    private static Service Service(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d,
            ["id", "name", "tags", "canary_tags", "enable_tag_override", "port", "address_mode", "address", "task", "on_update", "provider"],
            ["check", "check_restart", "connect", "meta", "canary_meta", "tagged_addresses"]);
        return new Service
        {
            Id = r.Str("id"),
            Name = r.Str("name"),
            Tags = r.Strings("tags"),
            CanaryTags = r.Strings("canary_tags"),
            EnableTagOverride = r.Flag("enable_tag_override"),
            PortLabel = r.Str("port"),
            AddressMode = r.Str("address_mode"),
            Address = r.Str("address"),
            Checks = List(r.Blocks("check"), c => Check(c, d)),
            CheckRestart = r.Block("check_restart") is { } cr ? CheckRestart(cr, d) : null,
            Connect = r.Block("connect") is { } cn ? Connect(cn, d) : null,
            Meta = MapBlock(r, "meta"),
            CanaryMeta = MapBlock(r, "canary_meta"),
            TaggedAddresses = MapBlock(r, "tagged_addresses"),
            TaskName = r.Str("task"),
            OnUpdate = r.Str("on_update"),
            Provider = r.Str("provider"),
        };
    }

    private static ServiceCheck Check(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d,
            ["id", "name", "type", "command", "args", "path", "protocol", "port", "expose", "address_mode", "advertise", "interval", "timeout",
             "initial_status", "tls_skip_verify", "method", "grpc_service", "grpc_use_tls", "task", "success_before_passing",
             "failures_before_critical", "body", "on_update"],
            ["header", "check_restart"]);
        return new ServiceCheck
        {
            Id = r.Str("id"),
            Name = r.Str("name"),
            Type = r.Str("type"),
            Command = r.Str("command"),
            Args = r.Strings("args"),
            Path = r.Str("path"),
            Protocol = r.Str("protocol"),
            PortLabel = r.Str("port"),
            Expose = r.Flag("expose"),
            AddressMode = r.Str("address_mode"),
            Advertise = r.Str("advertise"),
            Interval = r.Duration("interval") ?? 0,
            Timeout = r.Duration("timeout") ?? 0,
            InitialStatus = r.Str("initial_status"),
            TLSSkipVerify = r.Flag("tls_skip_verify"),
            Header = r.Block("header") is { } h ? Header(h, d) : null,
            Method = r.Str("method"),
            CheckRestart = r.Block("check_restart") is { } cr ? CheckRestart(cr, d) : null,
            GRPCService = r.Str("grpc_service"),
            GRPCUseTLS = r.Flag("grpc_use_tls"),
            TaskName = r.Str("task"),
            SuccessBeforePassing = r.Int("success_before_passing") ?? 0,
            FailuresBeforeCritical = r.Int("failures_before_critical") ?? 0,
            Body = r.Str("body"),
            OnUpdate = r.Str("on_update"),
        };
    }

    /// <summary>A check's <c>header { Name = ["v1", "v2"] }</c>: each value a list of strings.</summary>
    private static SortedList<string, List<string>> Header(EvaluatedBlock b, Diagnostics d)
    {
        var map = new SortedList<string, List<string>>(StringComparer.Ordinal);
        foreach (var a in b.Body.Attributes)
        {
            var values = a.Value is SequenceValue s ? s.Items.Select(BodyReader.StringOf).ToList() : null;
            if (values is null || values.Any(v => v is null))
                d.Add(a.ValuePosition, "Unsuitable value type", "Unsuitable value: list of string required");
            else map[a.Name] = values!;
        }
        foreach (var nested in b.Body.Blocks) d.Add(nested.Position, "Unsuitable value type", "Unsuitable value: list of string required");
        return map;
    }

    private static CheckRestart CheckRestart(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["limit", "grace", "ignore_warnings"], None);
        return new CheckRestart { Limit = r.Int("limit") ?? 0, Grace = r.Duration("grace"), IgnoreWarnings = r.Flag("ignore_warnings") };
    }

    private static ConsulConnect Connect(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["native"], ["gateway", "sidecar_service", "sidecar_task"]);
        return new ConsulConnect
        {
            Native = r.Flag("native"),
            Gateway = r.Block("gateway") is { } g ? Gateway(g, d) : null,
            SidecarService = r.Block("sidecar_service") is { } s ? SidecarService(s, d) : null,
            SidecarTask = r.Block("sidecar_task") is { } t ? SidecarTask(t, d) : null,
        };
    }

    private static ConsulSidecarService SidecarService(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["tags", "port", "disable_default_tcp_check"], ["proxy"]);
        return new ConsulSidecarService
        {
            Tags = r.Strings("tags"),
            Port = r.Str("port"),
            Proxy = r.Block("proxy") is { } p ? Proxy(p, d) : null,
            DisableDefaultTCPCheck = r.Flag("disable_default_tcp_check"),
        };
    }

    private static ConsulProxy Proxy(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["local_service_address", "local_service_port"], ["expose", "upstreams", "config"]);
        ConsulExposeConfig? expose = null;
        if (r.Block("expose") is { } e)
        {
            var er = new BodyReader(e.Body, d, None, ["path"]);
            expose = new ConsulExposeConfig
            {
                Path = List(er.Blocks("path"), p =>
                {
                    var pr = new BodyReader(p.Body, d, ["path", "protocol", "local_path_port", "listener_port"], None);
                    return new ConsulExposePath
                    {
                        Path = pr.Str("path"), Protocol = pr.Str("protocol"),
                        LocalPathPort = pr.Int("local_path_port") ?? 0, ListenerPort = pr.Str("listener_port"),
                    };
                }),
            };
        }
        return new ConsulProxy
        {
            LocalServiceAddress = r.Str("local_service_address"),
            LocalServicePort = r.Int("local_service_port") ?? 0,
            ExposeConfig = expose,
            Upstreams = List(r.Blocks("upstreams"), u =>
            {
                var ur = new BodyReader(u.Body, d,
                    ["destination_name", "destination_namespace", "local_bind_port", "datacenter", "local_bind_address"], ["mesh_gateway"]);
                ConsulMeshGateway? mesh = null;
                if (ur.Block("mesh_gateway") is { } m) mesh = new ConsulMeshGateway { Mode = new BodyReader(m.Body, d, ["mode"], None).Str("mode") };
                return new ConsulUpstream
                {
                    DestinationName = ur.Str("destination_name"),
                    DestinationNamespace = ur.Str("destination_namespace"),
                    LocalBindPort = ur.Int("local_bind_port") ?? 0,
                    Datacenter = ur.Str("datacenter"),
                    LocalBindAddress = ur.Str("local_bind_address"),
                    MeshGateway = mesh,
                };
            }),
            Config = r.Block("config") is { } c ? FreeForm.ToJson(c.Body) : null,
        };
    }

    private static SidecarTask SidecarTask(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["name", "driver", "user", "kill_timeout", "shutdown_delay", "kill_signal"],
            ["config", "env", "resources", "meta", "logs"]);
        return new SidecarTask
        {
            Name = r.Str("name"),
            Driver = r.Str("driver"),
            User = r.Str("user"),
            Config = r.Block("config") is { } c ? FreeForm.ToJson(c.Body) : null,
            Env = MapBlock(r, "env"),
            Resources = r.Block("resources") is { } res ? Resources(res, d) : null,
            Meta = MapBlock(r, "meta"),
            KillTimeout = r.Duration("kill_timeout"),
            LogConfig = r.Block("logs") is { } l ? Logs(l, d) : null,
            ShutdownDelay = r.Duration("shutdown_delay"),
            KillSignal = r.Str("kill_signal"),
        };
    }

    private static Consul Consul(EvaluatedBlock b, Diagnostics d) =>
        new() { Namespace = new BodyReader(b.Body, d, ["namespace"], None).Str("namespace") };

    private static VolumeRequest Volume(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["type", "source", "read_only", "access_mode", "attachment_mode", "per_alloc"], ["mount_options"]);
        CSIMountOptions? mount = null;
        if (r.Block("mount_options") is { } m)
        {
            var mr = new BodyReader(m.Body, d, ["fs_type", "mount_flags"], None);
            mount = new CSIMountOptions { FSType = mr.Str("fs_type"), MountFlags = mr.Strings("mount_flags") };
        }
        return new VolumeRequest
        {
            Name = b.Labels[0],
            Type = r.Str("type"),
            Source = r.Str("source"),
            ReadOnly = r.Flag("read_only"),
            AccessMode = r.Str("access_mode"),
            AttachmentMode = r.Str("attachment_mode"),
            MountOptions = mount,
            PerAlloc = r.Flag("per_alloc"),
        };
    }

    private static Vault Vault(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["policies", "namespace", "env", "change_mode", "change_signal"], None);
        return new Vault
        {
            Policies = r.Strings("policies"), Namespace = r.String("namespace"), Env = r.Bool("env"),
            ChangeMode = r.String("change_mode"), ChangeSignal = r.String("change_signal"),
        };
    }

    private static TaskLifecycle Lifecycle(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["hook", "sidecar"], None);
        r.Require("hook");
        return new TaskLifecycle { Hook = r.Str("hook"), Sidecar = r.Flag("sidecar") };
    }

    private static Resources Resources(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["cpu", "cores", "memory", "memory_max", "disk", "iops"], ["network", "device"]);
        return new Resources
        {
            CPU = r.Int("cpu"),
            Cores = r.Int("cores"),
            MemoryMB = r.Int("memory"),
            MemoryMaxMB = r.Int("memory_max"),
            DiskMB = r.Int("disk"),
            Networks = List(r.Blocks("network"), n => Network(n, d)),
            Devices = List(r.Labelled("device"), dev =>
            {
                var dr = new BodyReader(dev.Body, d, ["count"], ["constraint", "affinity"]);
                return new RequestedDevice
                {
                    Name = dev.Labels[0],
                    Count = dr.Attr("count") is { } c ? (ulong?)BodyReader.ToInt(c, d, 0, long.MaxValue) : null,
                    Constraints = List(dr.Blocks("constraint"), x => Constraint(x, d)),
                    Affinities = List(dr.Blocks("affinity"), x => Affinity(x, d)),
                };
            }),
            IOPS = r.Int("iops"),
        };
    }

    private static LogConfig Logs(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["max_files", "max_file_size"], None);
        return new LogConfig { MaxFiles = r.Int("max_files"), MaxFileSizeMB = r.Int("max_file_size") };
    }

    private static TaskArtifact Artifact(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["source", "mode", "destination"], ["options", "headers"]);
        return new TaskArtifact
        {
            GetterSource = r.String("source"),
            GetterOptions = MapBlock(r, "options"),
            GetterHeaders = MapBlock(r, "headers"),
            GetterMode = r.String("mode"),
            RelativeDest = r.String("destination"),
        };
    }

    private static Template Template(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d,
            ["source", "destination", "data", "change_mode", "change_signal", "splay", "perms", "uid", "gid", "left_delimiter",
             "right_delimiter", "env", "vault_grace"],
            ["change_script", "wait"]);
        ChangeScript? script = null;
        if (r.Block("change_script") is { } cs)
        {
            var sr = new BodyReader(cs.Body, d, ["command", "args", "timeout", "fail_on_error"], None);
            sr.Require("command");
            script = new ChangeScript { Command = sr.String("command"), Args = sr.Strings("args"), Timeout = sr.Duration("timeout"), FailOnError = sr.Bool("fail_on_error") };
        }
        WaitConfig? wait = null;
        if (r.Block("wait") is { } w)
        {
            var wr = new BodyReader(w.Body, d, ["min", "max"], None);
            wr.Require("min");
            wr.Require("max");
            wait = new WaitConfig { Min = wr.Duration("min"), Max = wr.Duration("max") };
        }
        return new Template
        {
            SourcePath = r.String("source"),
            DestPath = r.String("destination"),
            EmbeddedTmpl = r.String("data"),
            ChangeMode = r.String("change_mode"),
            ChangeScript = script,
            ChangeSignal = r.String("change_signal"),
            Splay = r.Duration("splay"),
            Perms = r.String("perms"),
            Uid = r.Int("uid"),
            Gid = r.Int("gid"),
            LeftDelim = r.String("left_delimiter"),
            RightDelim = r.String("right_delimiter"),
            Envvars = r.Bool("env"),
            VaultGrace = r.Duration("vault_grace"),
            Wait = wait,
        };
    }

    private static DispatchPayloadConfig DispatchPayload(EvaluatedBlock b, Diagnostics d) =>
        new() { File = new BodyReader(b.Body, d, ["file"], None).Str("file") };

    private static VolumeMount VolumeMount(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["volume", "destination", "read_only", "propagation_mode"], None);
        return new VolumeMount
        {
            Volume = r.String("volume"), Destination = r.String("destination"), ReadOnly = r.Bool("read_only"), PropagationMode = r.String("propagation_mode"),
        };
    }

    private static TaskCSIPluginConfig CsiPlugin(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, ["id", "type", "mount_dir", "stage_publish_base_dir", "health_timeout"], None);
        return new TaskCSIPluginConfig
        {
            ID = r.Str("id"), Type = r.Str("type"), MountDir = r.Str("mount_dir"),
            StagePublishBaseDir = r.Str("stage_publish_base_dir"), HealthTimeout = r.Duration("health_timeout") ?? 0,
        };
    }

    private static ConsulGateway Gateway(EvaluatedBlock b, Diagnostics d)
    {
        var r = new BodyReader(b.Body, d, None, ["proxy", "ingress", "terminating", "mesh"]);
        var g = new ConsulGateway();
        if (r.Block("proxy") is { } p)
        {
            var pr = new BodyReader(p.Body, d,
                ["connect_timeout", "envoy_gateway_bind_tagged_addresses", "envoy_gateway_no_default_bind", "envoy_dns_discovery_type"],
                ["envoy_gateway_bind_addresses", "config"]);
            g.Proxy = new ConsulGatewayProxy
            {
                ConnectTimeout = pr.Duration("connect_timeout"),
                EnvoyGatewayBindTaggedAddresses = pr.Flag("envoy_gateway_bind_tagged_addresses"),
                EnvoyGatewayNoDefaultBind = pr.Flag("envoy_gateway_no_default_bind"),
                EnvoyDNSDiscoveryType = pr.Str("envoy_dns_discovery_type"),
                Config = pr.Block("config") is { } c ? FreeForm.ToJson(c.Body) : null,
            };
            foreach (var a in pr.Labelled("envoy_gateway_bind_addresses"))
            {
                var ar = new BodyReader(a.Body, d, ["address", "port"], None);
                g.Proxy.EnvoyGatewayBindAddresses ??= new SortedList<string, ConsulGatewayBindAddress>(StringComparer.Ordinal);
                g.Proxy.EnvoyGatewayBindAddresses[a.Labels[0]] =
                    new ConsulGatewayBindAddress { Name = a.Labels[0], Address = ar.Str("address"), Port = ar.Int("port") ?? 0 };
            }
        }
        if (r.Block("ingress") is { } i)
        {
            var ir = new BodyReader(i.Body, d, None, ["tls", "listener"]);
            ConsulGatewayTLSConfig? tls = null;
            if (ir.Block("tls") is { } t)
            {
                var tr = new BodyReader(t.Body, d, ["enabled", "tls_min_version", "tls_max_version", "cipher_suites"], None);
                tls = new ConsulGatewayTLSConfig
                {
                    Enabled = tr.Flag("enabled"), TLSMinVersion = tr.Str("tls_min_version"), TLSMaxVersion = tr.Str("tls_max_version"),
                    CipherSuites = tr.Strings("cipher_suites"),
                };
            }
            g.Ingress = new ConsulIngressConfigEntry
            {
                TLS = tls,
                Listeners = List(ir.Blocks("listener"), l =>
                {
                    var lr = new BodyReader(l.Body, d, ["port", "protocol"], ["service"]);
                    return new ConsulIngressListener
                    {
                        Port = lr.Int("port") ?? 0,
                        Protocol = lr.Str("protocol"),
                        Services = List(lr.Blocks("service"), s =>
                        {
                            var sr = new BodyReader(s.Body, d, ["name", "hosts"], None);
                            return new ConsulIngressService { Name = sr.Str("name"), Hosts = sr.Strings("hosts") };
                        }),
                    };
                }),
            };
        }
        if (r.Block("terminating") is { } term)
        {
            var tr = new BodyReader(term.Body, d, None, ["service"]);
            g.Terminating = new ConsulTerminatingConfigEntry
            {
                Services = List(tr.Blocks("service"), s =>
                {
                    var sr = new BodyReader(s.Body, d, ["name", "ca_file", "cert_file", "key_file", "sni"], None);
                    return new ConsulLinkedService
                    {
                        Name = sr.Str("name"), CAFile = sr.Str("ca_file"), CertFile = sr.Str("cert_file"), KeyFile = sr.Str("key_file"), SNI = sr.Str("sni"),
                    };
                }),
            };
        }
        if (r.Block("mesh") is { } m)
        {
            _ = new BodyReader(m.Body, d, None, None);
            g.Mesh = new ConsulMeshConfigEntry();
        }
        return g;
    }
}
