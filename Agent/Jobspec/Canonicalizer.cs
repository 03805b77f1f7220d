using Nomad.Agent.Jobspec.Api;
using Task = Nomad.Agent.Jobspec.Api.Task;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Nomad 1.4's api Canonicalize methods: the defaults the API fills for whatever a job left unset
/// (what /v1/jobs/parse with Canonicalize=true and the CLI's validate/plan/run send). Modifies the job in place.
/// </summary>
public static class Canonicalizer
{
    private const long Second = 1_000_000_000, Minute = 60 * Second, Hour = 60 * Minute;

    public static Job Canonicalize(Job j)
    {
        j.ID ??= "";
        j.Name ??= j.ID;
        j.ParentID ??= "";
        j.Namespace ??= "default";
        j.Priority ??= 50;
        j.Stop ??= false;
        j.Region ??= "global";
        j.Type ??= "service";
        j.AllAtOnce ??= false;
        j.ConsulToken ??= "";
        j.ConsulNamespace ??= "";
        j.VaultToken ??= "";
        j.VaultNamespace ??= "";
        j.NomadTokenID ??= "";
        j.Status ??= "";
        j.StatusDescription ??= "";
        j.Stable ??= false;
        j.Version ??= 0;
        j.CreateIndex ??= 0;
        j.ModifyIndex ??= 0;
        j.JobModifyIndex ??= 0;
        if (j.Periodic is { } p)
        {
            p.Enabled ??= true;
            p.Spec ??= "";
            p.SpecType ??= "cron";
            p.ProhibitOverlap ??= false;
            if (string.IsNullOrEmpty(p.TimeZone)) p.TimeZone = "UTC";
        }
        if (j.Update is not null) Update(j.Update);
        else if (j.Type == "service") j.Update = DefaultUpdate();
        if (j.Multiregion is { } m) Multiregion(m);
        foreach (var g in j.TaskGroups ?? []) Group(g, j);
        foreach (var s in j.Spreads ?? []) s.Weight ??= 50;
        foreach (var a in j.Affinities ?? []) a.Weight ??= 50;
        return j;
    }

    private static UpdateStrategy DefaultUpdate() => new()
    {
        Stagger = 30 * Second, MaxParallel = 1, HealthCheck = "checks", MinHealthyTime = 10 * Second,
        HealthyDeadline = 5 * Minute, ProgressDeadline = 10 * Minute, Canary = 0, AutoRevert = false, AutoPromote = false,
    };

    private static void Update(UpdateStrategy u)
    {
        var d = DefaultUpdate();
        u.Stagger ??= d.Stagger;
        u.MaxParallel ??= d.MaxParallel;
        u.HealthCheck ??= d.HealthCheck;
        u.MinHealthyTime ??= d.MinHealthyTime;
        u.HealthyDeadline ??= d.HealthyDeadline;
        u.ProgressDeadline ??= d.ProgressDeadline;
        u.Canary ??= d.Canary;
        u.AutoRevert ??= d.AutoRevert;
        u.AutoPromote ??= d.AutoPromote;
    }

    /// <summary>api.UpdateStrategy.Empty: nothing set to a non-zero value.</summary>
    private static bool IsEmpty(UpdateStrategy u) =>
        (u.Stagger ?? 0) == 0 && (u.MaxParallel ?? 0) == 0 && (u.HealthCheck ?? "") == "" && (u.MinHealthyTime ?? 0) == 0
        && (u.HealthyDeadline ?? 0) == 0 && (u.ProgressDeadline ?? 0) == 0 && (u.Canary ?? 0) == 0
        && !(u.AutoRevert ?? false) && !(u.AutoPromote ?? false);

    private static UpdateStrategy Merge(UpdateStrategy job, UpdateStrategy group) => new()
    {
        Stagger = group.Stagger ?? job.Stagger,
        MaxParallel = group.MaxParallel ?? job.MaxParallel,
        HealthCheck = group.HealthCheck ?? job.HealthCheck,
        MinHealthyTime = group.MinHealthyTime ?? job.MinHealthyTime,
        HealthyDeadline = group.HealthyDeadline ?? job.HealthyDeadline,
        ProgressDeadline = group.ProgressDeadline ?? job.ProgressDeadline,
        Canary = group.Canary ?? job.Canary,
        AutoRevert = group.AutoRevert ?? job.AutoRevert,
        AutoPromote = group.AutoPromote ?? job.AutoPromote,
    };

    private static UpdateStrategy Copy(UpdateStrategy u) => Merge(u, new UpdateStrategy());

    private static void Multiregion(Multiregion m)
    {
        m.Strategy ??= new MultiregionStrategy();
        m.Strategy.MaxParallel ??= 0;
        m.Strategy.OnFailure ??= "";
        m.Regions ??= [];
        foreach (var r in m.Regions)
        {
            r.Count ??= 1;
            r.Datacenters ??= [];
            r.Meta ??= new SortedList<string, string>(StringComparer.Ordinal);
        }
    }

    public static ReschedulePolicy DefaultReschedule(string jobType) => jobType switch
    {
        "service" => new() { Attempts = 0, Interval = 0, Delay = 30 * Second, DelayFunction = "exponential", MaxDelay = Hour, Unlimited = true },
        "batch" => new() { Attempts = 1, Interval = 24 * Hour, Delay = 5 * Second, DelayFunction = "constant", MaxDelay = 0, Unlimited = false },
        _ => new() { Attempts = 0, Interval = 0, Delay = 0, DelayFunction = "", MaxDelay = 0, Unlimited = false },
    };

    /// <summary>Service and system jobs: 2 attempts in 30m; batch (and anything else): 3 in 24h. Both 15s apart, mode fail.</summary>
    public static RestartPolicy DefaultRestart(string jobType) => jobType is "service" or "system"
        ? new() { Delay = 15 * Second, Attempts = 2, Interval = 30 * Minute, Mode = "fail" }
        : new() { Delay = 15 * Second, Attempts = 3, Interval = 24 * Hour, Mode = "fail" };

    private static ReschedulePolicy Merge(ReschedulePolicy a, ReschedulePolicy? b) => new()
    {
        Attempts = b?.Attempts ?? a.Attempts,
        Interval = b?.Interval ?? a.Interval,
        Delay = b?.Delay ?? a.Delay,
        DelayFunction = b?.DelayFunction ?? a.DelayFunction,
        MaxDelay = b?.MaxDelay ?? a.MaxDelay,
        Unlimited = b?.Unlimited ?? a.Unlimited,
    };

    private static MigrateStrategy Merge(MigrateStrategy a, MigrateStrategy? b) => new()
    {
        MaxParallel = b?.MaxParallel ?? a.MaxParallel,
        HealthCheck = b?.HealthCheck ?? a.HealthCheck,
        MinHealthyTime = b?.MinHealthyTime ?? a.MinHealthyTime,
        HealthyDeadline = b?.HealthyDeadline ?? a.HealthyDeadline,
    };

    private static RestartPolicy Merge(RestartPolicy a, RestartPolicy? b) => new()
    {
        Interval = b?.Interval ?? a.Interval,
        Attempts = b?.Attempts ?? a.Attempts,
        Delay = b?.Delay ?? a.Delay,
        Mode = b?.Mode ?? a.Mode,
    };

    private static void Group(TaskGroup g, Job job)
    {
        string type = job.Type!;
        g.Name ??= "";
        g.Count ??= g.Scaling?.Min is { } min ? (int)min : 1;
        if (g.Scaling is { } s)
        {
            s.Enabled ??= true;
            s.Min ??= g.Count;
            if (s.Type == "") s.Type = "horizontal";
        }
        g.EphemeralDisk ??= new EphemeralDisk();
        g.EphemeralDisk.Sticky ??= false;
        g.EphemeralDisk.Migrate ??= false;
        g.EphemeralDisk.SizeMB ??= 300;

        g.Consul ??= new Consul();
        if (g.Consul.Namespace == "" && !string.IsNullOrEmpty(job.ConsulNamespace)) g.Consul.Namespace = job.ConsulNamespace;

        if (job.Update is { } ju && g.Update is { } gu) g.Update = Merge(ju, gu);
        else if (job.Update is { } ju2 && !IsEmpty(ju2)) g.Update = Copy(ju2);
        if (g.Update is not null) Update(g.Update);

        if (job.Reschedule is { } jr) g.ReschedulePolicy = Merge(jr, g.ReschedulePolicy);
        if (g.ReschedulePolicy is null && type != "system") g.ReschedulePolicy = DefaultReschedule(type);
        if (g.ReschedulePolicy is not null) g.ReschedulePolicy = Merge(DefaultReschedule(type), g.ReschedulePolicy);

        if (job.Migrate is { } jm) g.Migrate = Merge(jm, g.Migrate);
        if (g.Migrate is null && type == "service") g.Migrate = new MigrateStrategy();
        if (g.Migrate is not null)
            g.Migrate = Merge(new MigrateStrategy { MaxParallel = 1, HealthCheck = "checks", MinHealthyTime = 10 * Second, HealthyDeadline = 5 * Minute }, g.Migrate);

        g.RestartPolicy = Merge(DefaultRestart(type), g.RestartPolicy);

        foreach (var t in g.Tasks ?? []) Task(t, g, job);
        foreach (var sp in g.Spreads ?? []) sp.Weight ??= 50;
        foreach (var a in g.Affinities ?? []) a.Weight ??= 50;
        foreach (var svc in g.Services ?? []) Service(svc, null, g, job);
    }

    private static void Task(Task t, TaskGroup g, Job job)
    {
        t.Resources ??= new Resources();
        Resources(t.Resources);
        t.KillTimeout ??= 5 * Second;
        t.LogConfig ??= new LogConfig();
        t.LogConfig.MaxFiles ??= 10;
        t.LogConfig.MaxFileSizeMB ??= 10;
        foreach (var a in t.Artifacts ?? []) Artifact(a);
        if (t.Vault is { } v)
        {
            v.Env ??= true;
            v.Namespace ??= "";
            v.ChangeMode ??= "restart";
            v.ChangeSignal ??= "SIGHUP";
        }
        foreach (var tmpl in t.Templates ?? []) Template(tmpl);
        foreach (var s in t.Services ?? []) Service(s, t, g, job);
        foreach (var a in t.Affinities ?? []) a.Weight ??= 50;
        foreach (var vm in t.VolumeMounts ?? [])
        {
            vm.PropagationMode ??= "private";
            vm.ReadOnly ??= false;
        }
        if (t.Lifecycle is { Hook: "" }) t.Lifecycle = null;
        if (t.CSIPluginConfig is { } csi)
        {
            if (csi.MountDir == "") csi.MountDir = "/csi";
            if (csi.StagePublishBaseDir == "") csi.StagePublishBaseDir = "/local/csi";
            if (csi.HealthTimeout == 0) csi.HealthTimeout = 30 * Second;
        }
        t.RestartPolicy = t.RestartPolicy is null ? g.RestartPolicy : Merge(g.RestartPolicy!, t.RestartPolicy);
    }

    /// <summary>CPU 100 MHz unless cores are asked for (then 0), memory 300 MB; devices count 1.</summary>
    private static void Resources(Resources r)
    {
        if (r.Cores is null)
        {
            r.Cores = 0;
            r.CPU ??= 100;
        }
        r.CPU ??= 0;
        r.MemoryMB ??= 300;
        foreach (var d in r.Devices ?? [])
        {
            d.Count ??= 1;
            foreach (var a in d.Affinities ?? []) a.Weight ??= 50;
        }
    }

    private static void Artifact(TaskArtifact a)
    {
        a.GetterMode ??= "any";
        a.GetterSource ??= "";
        if (a.GetterOptions is { Count: 0 }) a.GetterOptions = null;
        if (a.GetterHeaders is { Count: 0 }) a.GetterHeaders = null;
        if (a.RelativeDest is null)
        {
            // File mode downloads to local/<the source's base name>; the others to the local/ directory.
            if (a.GetterMode == "file")
            {
                string source = a.GetterSource.TrimEnd('/');
                string name = source.Length == 0 ? "." : source[(source.LastIndexOf('/') + 1)..];
                a.RelativeDest = name == "." ? "local" : $"local/{name}";
            }
            else a.RelativeDest = "local/";
        }
    }

    private static void Template(Template t)
    {
        t.SourcePath ??= "";
        t.DestPath ??= "";
        t.EmbeddedTmpl ??= "";
        t.ChangeMode ??= "restart";
        t.ChangeSignal = t.ChangeSignal is null ? (t.ChangeMode == "signal" ? "SIGHUP" : "") : t.ChangeSignal.ToUpperInvariant();
        if (t.ChangeScript is { } cs)
        {
            cs.Command ??= "";
            cs.Args ??= [];
            cs.Timeout ??= 5 * Second;
            cs.FailOnError ??= false;
        }
        t.Splay ??= 5 * Second;
        t.Perms ??= "0644";
        t.LeftDelim ??= "{{";
        t.RightDelim ??= "}}";
        t.Envvars ??= false;
        t.VaultGrace ??= 0;
    }

    /// <summary>
    /// A service without a name is "job-group" (or "job-group-task"); address mode auto, on_update require_healthy,
    /// provider consul; each check inherits the service's check_restart (grace 1s) and on_update.
    /// </summary>
    private static void Service(Service s, Task? t, TaskGroup g, Job job)
    {
        if (s.Name == "") s.Name = t is null ? $"{job.Name}-{g.Name}" : $"{job.Name}-{g.Name}-{t.Name}";
        if (s.AddressMode == "") s.AddressMode = "auto";
        if (s.OnUpdate == "") s.OnUpdate = "require_healthy";
        if (s.Provider == "") s.Provider = "consul";
        if (s.Meta is { Count: 0 }) s.Meta = null;
        if (s.CanaryMeta is { Count: 0 }) s.CanaryMeta = null;
        if (s.TaggedAddresses is { Count: 0 }) s.TaggedAddresses = null;
        Connect(s.Connect);
        foreach (var c in s.Checks ?? [])
        {
            c.CheckRestart = MergeCheckRestart(s.CheckRestart, c.CheckRestart);
            if (c.CheckRestart is not null) c.CheckRestart.Grace ??= Second;
            if (c.SuccessBeforePassing < 0) c.SuccessBeforePassing = 0;
            if (c.FailuresBeforeCritical < 0) c.FailuresBeforeCritical = 0;
            if (c.OnUpdate == "") c.OnUpdate = s.OnUpdate;
        }
    }

    private static CheckRestart? MergeCheckRestart(CheckRestart? service, CheckRestart? check)
    {
        if (service is null) return check;
        var merged = service.Copy();
        if (check is null) return merged;
        if (check.Limit > 0) merged.Limit = check.Limit;
        if (check.Grace is not null) merged.Grace = check.Grace;
        if (check.IgnoreWarnings) merged.IgnoreWarnings = true;
        return merged;
    }

    private static void Connect(ConsulConnect? c)
    {
        if (c is null) return;
        if (c.SidecarService is { } ss)
        {
            if (ss.Tags is { Count: 0 }) ss.Tags = null;
            if (ss.Proxy is { } p)
            {
                if (p.ExposeConfig is { Path.Count: 0 }) p.ExposeConfig.Path = null;
                if (p.Upstreams is { Count: 0 }) p.Upstreams = null;
                if (p.Config is { Count: 0 }) p.Config = null;
            }
        }
        if (c.Gateway is { } g)
        {
            if (g.Proxy is { } gp)
            {
                gp.ConnectTimeout ??= 5 * Second;
                if (gp.EnvoyGatewayBindAddresses is { Count: 0 }) gp.EnvoyGatewayBindAddresses = null;
                if (gp.Config is { Count: 0 }) gp.Config = null;
            }
            if (g.Ingress is { } ingress)
            {
                if (ingress.Listeners is { Count: 0 }) ingress.Listeners = null;
                foreach (var l in ingress.Listeners ?? [])
                {
                    if (l.Protocol == "") l.Protocol = "tcp";
                    if (l.Services is { Count: 0 }) l.Services = null;
                    foreach (var s in l.Services ?? []) if (s.Hosts is { Count: 0 }) s.Hosts = null;
                }
            }
            if (g.Terminating is { Services.Count: 0 }) g.Terminating.Services = null;
        }
        if (c.SidecarTask is { } st)
        {
            if (st.Config is { Count: 0 }) st.Config = null;
            if (st.Env is { Count: 0 }) st.Env = null;
            st.Resources ??= new Resources();
            Resources(st.Resources);
            st.LogConfig ??= new LogConfig();
            st.LogConfig.MaxFiles ??= 10;
            st.LogConfig.MaxFileSizeMB ??= 10;
            if (st.Meta is { Count: 0 }) st.Meta = null;
            st.KillTimeout ??= 5 * Second;
            st.ShutdownDelay ??= 0;
        }
    }
}
