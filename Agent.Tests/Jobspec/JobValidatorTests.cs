using Nomad.Agent.Jobspec;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Jobspec;

/// <summary>Each rule, broken alone on an otherwise valid job, gives exactly its message.</summary>
[TestFixture]
public sealed class JobValidatorTests
{
    private const long S = 1_000_000_000;

    private static Job Valid() => JobDefaults.Canonicalize(new Job
    {
        ID = "x",
        Datacenters = ["dc1"],
        TaskGroups = [new TaskGroup { Name = "g", Tasks = [new JobTask { Name = "t", Driver = "raw_exec" }] }],
    });

    private static Job WithGroup(Func<TaskGroup, TaskGroup> f)
    {
        var j = Valid();
        return j with { TaskGroups = [f(j.TaskGroups[0])] };
    }

    private static Job WithTask(Func<JobTask, JobTask> f) => WithGroup(g => g with { Tasks = [f(g.Tasks[0])] });

    private static NetworkResource Net(params Port[] ports) => new()
    {
        MBits = 10,
        ReservedPorts = ports.Where(p => p.Value > 0).ToList(),
        DynamicPorts = ports.Where(p => p.Value == 0).ToList(),
    };

    private static IEnumerable<TestCaseData> Rules()
    {
        TestCaseData Case(string name, Job job, string message) => new TestCaseData(job, message).SetName(name);

        yield return Case("IdRequired", Valid() with { ID = "", Name = "x" }, "job: ID: required");
        yield return Case("IdNoSpaces", Valid() with { ID = "a b", Name = "x" }, "Job ID contains a space");
        yield return Case("IdNoNul", Valid() with { ID = "a\0b", Name = "x" }, "Job ID contains a null character");
        yield return Case("NameRequired", Valid() with { Name = "" }, "job \"x\": name: required");
        yield return Case("NameNoNul", Valid() with { Name = "a\0b" }, "Job Name contains a null character");
        yield return Case("GroupNameNoNul", WithGroup(g => g with { Name = "g\0" }), "group \"g\\u0000\": name contains a null character");
        yield return Case("Type", Valid() with { Type = "cron" }, "job \"x\": job type must be one of service, batch, system, sysbatch (got \"cron\")");
        yield return Case("PriorityLow", Valid() with { Priority = 0 }, "job \"x\": priority must be between 1 and 100");
        yield return Case("PriorityHigh", Valid() with { Priority = 101 }, "job \"x\": priority must be between 1 and 100");
        yield return Case("Datacenters", Valid() with { Datacenters = [] }, "job \"x\": datacenters: at least one required");
        yield return Case("DatacenterEmpty", Valid() with { Datacenters = ["dc1", ""] }, "job \"x\": datacenters: names must not be empty");
        yield return Case("NoGroups", Valid() with { TaskGroups = [] }, "job \"x\": at least one group required");
        var dup = Valid();
        yield return Case("DuplicateGroup", dup with { TaskGroups = [dup.TaskGroups[0], dup.TaskGroups[0]] }, "job \"x\": group \"g\" is defined more than once");
        yield return Case("ConstraintOperator", Valid() with { Constraints = [new Constraint { LTarget = "a", RTarget = "b", Operand = "~" }] },
            "job \"x\": constraint 1: unknown operator \"~\"");
        yield return Case("ConstraintAttribute", Valid() with { Constraints = [new Constraint { RTarget = "b", Operand = "=" }] },
            "job \"x\": constraint 1: attribute: required");
        yield return Case("ConstraintValue", Valid() with { Constraints = [new Constraint { Operand = "distinct_hosts" }, new Constraint { LTarget = "a", Operand = "version" }] },
            "job \"x\": constraint 2: value: required");
        yield return Case("ConstraintRegexp", Valid() with { Constraints = [new Constraint { LTarget = "a", RTarget = "(", Operand = "regexp" }] },
            "job \"x\": constraint 1: invalid regular expression \"(\"");

        yield return Case("GroupName", WithGroup(g => g with { Name = "" }), "group 1: name: required");
        yield return Case("Count", WithGroup(g => g with { Count = -1 }), "group \"g\": count must be >= 0");
        yield return Case("Disk", WithGroup(g => g with { EphemeralDisk = new EphemeralDisk { SizeMB = 5 } }), "group \"g\": ephemeral_disk.size must be at least 10");
        yield return Case("NoTasks", WithGroup(g => g with { Tasks = [] }), "group \"g\": at least one task required");
        yield return Case("DuplicateTask", WithGroup(g => g with { Tasks = [g.Tasks[0], g.Tasks[0]] }), "group \"g\": task \"t\" is defined more than once");
        yield return Case("RestartMode", WithGroup(g => g with { RestartPolicy = g.RestartPolicy! with { Mode = "retry" } }),
            "group \"g\": restart.mode must be \"fail\" or \"delay\" (got \"retry\")");
        yield return Case("RestartAttempts", WithGroup(g => g with { RestartPolicy = g.RestartPolicy! with { Attempts = -1 } }),
            "group \"g\": restart.attempts must be >= 0");
        yield return Case("RestartDelay", WithGroup(g => g with { RestartPolicy = g.RestartPolicy! with { Delay = -1 } }),
            "group \"g\": restart.delay must be >= 0");
        yield return Case("RestartInterval", WithGroup(g => g with { RestartPolicy = g.RestartPolicy! with { Interval = S } }),
            "group \"g\": restart.interval must be at least 5s");
        yield return Case("RestartFit", WithGroup(g => g with { RestartPolicy = new RestartPolicy { Attempts = 3, Delay = 15 * S, Interval = 30 * S, Mode = "fail" } }),
            "group \"g\": restart: 3 attempts with a delay of 15s do not fit in an interval of 30s");
        yield return Case("RescheduleSystem", Valid() with { Type = "system" },
            "group \"g\": reschedule: not allowed for system jobs");
        yield return Case("MigrateBatch", WithGroup(g => g with { Migrate = new MigrateStrategy(), ReschedulePolicy = null }) with { Type = "batch" },
            "group \"g\": Job type \"batch\" does not allow migrate block");
        yield return Case("MigrateHealthCheck", WithGroup(g => g with { Migrate = new MigrateStrategy { HealthCheck = "manual" } }),
            "group \"g\": migrate.health_check must be \"checks\" or \"task_states\" (got \"manual\")");
        yield return Case("MigrateTimes", WithGroup(g => g with { Migrate = new MigrateStrategy { MinHealthyTime = 10 * S, HealthyDeadline = 5 * S } }),
            "group \"g\": migrate.min_healthy_time must be less than healthy_deadline");
        yield return Case("RescheduleFunction", WithGroup(g => g with { ReschedulePolicy = g.ReschedulePolicy! with { DelayFunction = "linear" } }),
            "group \"g\": reschedule.delay_function must be one of constant, exponential, fibonacci (got \"linear\")");
        yield return Case("RescheduleAttempts", WithGroup(g => g with { ReschedulePolicy = g.ReschedulePolicy! with { Attempts = -2 } }),
            "group \"g\": reschedule.attempts must be >= 0");
        yield return Case("RescheduleDurations", WithGroup(g => g with { ReschedulePolicy = ReschedulePolicy.BatchDefault with { Interval = -1 } }),
            "group \"g\": reschedule: durations must be >= 0");
        yield return Case("RescheduleMaxDelay", WithGroup(g => g with { ReschedulePolicy = g.ReschedulePolicy! with { MaxDelay = S } }),
            "group \"g\": reschedule.max_delay must be at least reschedule.delay");

        yield return Case("PortLabels", WithGroup(g => g with
        {
            Networks = [Net(new Port { Label = "http" })],
            Tasks = [g.Tasks[0] with { Resources = new Resources { Networks = [Net(new Port { Label = "http", Value = 8080 })] } }],
        }), "group \"g\": port label \"http\" is used more than once");
        yield return Case("StaticPorts", WithGroup(g => g with { Networks = [Net(new Port { Label = "a", Value = 80 }, new Port { Label = "b", Value = 80 })] }),
            "group \"g\": static port 80 is used more than once");
        yield return Case("PortLabelRequired", WithGroup(g => g with { Networks = [Net(new Port())] }), "group \"g\": port: label required");
        yield return Case("PortRange", WithGroup(g => g with { Networks = [Net(new Port { Label = "a", Value = 70000 })] }),
            "group \"g\": port \"a\": static must be between 1 and 65535");
        yield return Case("PortTo", WithGroup(g => g with { Networks = [Net(new Port { Label = "a", To = -2 })] }),
            "group \"g\": port \"a\": to must be between -1 and 65535");

        yield return Case("TaskName", WithTask(t => t with { Name = "" }), "group \"g\" task 1: name: required");
        yield return Case("TaskSlash", WithTask(t => t with { Name = "a/b" }), "group \"g\" task \"a/b\": name must not contain \"/\"");
        yield return Case("TaskNameNoNul", WithTask(t => t with { Name = "t\0" }), "group \"g\" task \"t\\u0000\": name contains a null character");
        yield return Case("Driver", WithTask(t => t with { Driver = "" }), "group \"g\" task \"t\": driver: required");
        yield return Case("Cpu", WithTask(t => t with { Resources = t.Resources with { CPU = 0 } }), "group \"g\" task \"t\": resources.cpu must be at least 1");
        yield return Case("Memory", WithTask(t => t with { Resources = t.Resources with { MemoryMB = 9 } }), "group \"g\" task \"t\": resources.memory must be at least 10");
        yield return Case("TaskDisk", WithTask(t => t with { Resources = t.Resources with { DiskMB = -1 } }), "group \"g\" task \"t\": resources.disk must be >= 0");
        yield return Case("OneNetwork", WithTask(t => t with { Resources = t.Resources with { Networks = [Net(), Net()] } }),
            "group \"g\" task \"t\": resources: only one network allowed");
        yield return Case("KillTimeout", WithTask(t => t with { KillTimeout = -1 }), "group \"g\" task \"t\": kill_timeout must be >= 0");
        yield return Case("MaxFiles", WithTask(t => t with { LogConfig = new LogConfig { MaxFiles = 0 } }), "group \"g\" task \"t\": logs.max_files must be at least 1");
        yield return Case("MaxFileSize", WithTask(t => t with { LogConfig = new LogConfig { MaxFileSizeMB = 0 } }), "group \"g\" task \"t\": logs.max_file_size must be at least 1");
        yield return Case("LogStorage", WithTask(t => t with { LogConfig = new LogConfig { MaxFiles = 10, MaxFileSizeMB = 30 } }),
            "group \"g\" task \"t\": logs: log storage (300 MB) must be less than ephemeral_disk.size (300 MB)");
        yield return Case("LifecycleHook", WithGroup(g => g with { Tasks = [g.Tasks[0], g.Tasks[0] with { Name = "init", Lifecycle = new TaskLifecycle { Hook = "prestrat" } }] }),
            "group \"g\" task \"init\": lifecycle.hook must be one of prestart, poststart, poststop (got \"prestrat\")");
        yield return Case("OnlyLifecycleTasks", WithTask(t => t with { Lifecycle = new TaskLifecycle { Hook = "prestart", Sidecar = true } }),
            "group \"g\": at least one main task (a task without a lifecycle hook) required");
        yield return Case("TwoLeaders", WithGroup(g => g with { Tasks = [g.Tasks[0] with { Leader = true }, g.Tasks[0] with { Name = "u", Leader = true }] }),
            "group \"g\": only one task may be marked as leader");
        yield return Case("TaskShutdownDelay", WithTask(t => t with { ShutdownDelay = -S }), "group \"g\" task \"t\": shutdown_delay must be >= 0");
        yield return Case("GroupShutdownDelay", WithGroup(g => g with { ShutdownDelay = -S }), "group \"g\": shutdown_delay must be >= 0");
        yield return Case("AffinityWeightZero", Valid() with { Affinities = [Aff(0)] }, "job \"x\": affinity 1: weight cannot be zero");
        yield return Case("AffinityWeightRange", WithGroup(g => g with { Affinities = [Aff(50), Aff(-101)] }),
            "group \"g\": affinity 2: weight must be within the range [-100,100] (got -101)");
        yield return Case("AffinityOperator", WithTask(t => t with { Affinities = [Aff(10) with { Operand = "distinct_hosts" }] }),
            "group \"g\" task \"t\": affinity 1: unknown operator \"distinct_hosts\"");
        yield return Case("AffinityValue", Valid() with { Affinities = [Aff(10) with { RTarget = "" }] }, "job \"x\": affinity 1: value: required");
        yield return Case("AffinitySystem", Valid() with { Type = JobType.System, TaskGroups = [Valid().TaskGroups[0] with { ReschedulePolicy = null }], Affinities = [Aff(10)] },
            "job \"x\": affinity: not allowed for system jobs");
        yield return Case("SpreadWeight", Valid() with { Spreads = [new Spread { Attribute = "${node.datacenter}", Weight = 0 }] },
            "job \"x\": spread 1: weight must be within the range [1,100] (got 0)");
        yield return Case("SpreadAttribute", WithGroup(g => g with { Spreads = [new Spread()] }), "group \"g\": spread 1: attribute: required");
        yield return Case("SpreadTargetSum", WithGroup(g => g with { Spreads = [Spr(70, 40)] }),
            "group \"g\": spread 1: the target percentages must not sum to more than 100 (got 110)");
        yield return Case("SpreadTargetPercent", WithGroup(g => g with { Spreads = [Spr(-5)] }),
            "group \"g\": spread 1: target \"dc0\": percent must be between 0 and 100 (got -5)");
        yield return Case("SpreadTargetTwice", WithGroup(g => g with { Spreads = [Spr(10, 10) with { SpreadTarget = [new SpreadTarget { Value = "a", Percent = 10 }, new SpreadTarget { Value = "a", Percent = 10 }] }] }),
            "group \"g\": spread 1: target \"a\" is defined more than once");
        yield return Case("TaskConstraint", WithTask(t => t with { Constraints = [new Constraint { LTarget = "a", Operand = "=" }] }),
            "group \"g\" task \"t\": constraint 1: value: required");
        Job Periodic(PeriodicConfig p, string type = JobType.Batch) => Valid() with { Type = type, Periodic = p };
        yield return Case("PeriodicOnlyBatch", Periodic(new PeriodicConfig { Spec = "* * * * *" }, JobType.Service),
            "job \"x\": Periodic can only be used with \"batch\" or \"sysbatch\" scheduler");
        yield return Case("PeriodicBadCron", Periodic(new PeriodicConfig { Spec = "* * *" }),
            "job \"x\": periodic.cron: Invalid cron spec \"* * *\": missing field(s)");
        yield return Case("PeriodicBadCrons", Periodic(new PeriodicConfig { Specs = ["* * * * *", "61 * * * *"] }),
            "job \"x\": periodic.crons: Invalid cron spec \"61 * * * *\": " + PeriodicScheduleProblem("61 * * * *"));
        yield return Case("PeriodicBadZone", Periodic(new PeriodicConfig { Spec = "* * * * *", TimeZone = "Mars/Olympus_Mons" }),
            "job \"x\": periodic.time_zone: Invalid time zone \"Mars/Olympus_Mons\": unknown time zone Mars/Olympus_Mons");
        yield return Case("PeriodicNoSpec", Periodic(new PeriodicConfig()), "job \"x\": periodic: Must specify a spec");
        yield return Case("PeriodicCronAndCrons", Periodic(new PeriodicConfig { Spec = "* * * * *", Specs = ["* * * * *"] }),
            "job \"x\": periodic: Only cron or crons may be used");

        Job WithArtifact(TaskArtifact a) => WithTask(t => t with { Artifacts = [new TaskArtifact { GetterSource = "https://example.com/a.tgz" }, a] });
        const string art = "group \"g\" task \"t\" artifact 2";
        yield return Case("ArtifactSource", WithArtifact(new TaskArtifact()), $"{art}: source must be specified");
        yield return Case("ArtifactMode", WithArtifact(new TaskArtifact { GetterSource = "s", GetterMode = "zip" }), $"{art}: invalid artifact mode \"zip\"; must be one of: any, file, dir");
        yield return Case("ArtifactDestination", WithArtifact(new TaskArtifact { GetterSource = "s", RelativeDest = "../../etc" }), $"{art}: destination escapes allocation directory");
        Job Sum(string c) => WithArtifact(new TaskArtifact { GetterSource = "s", GetterOptions = new() { ["checksum"] = c } });
        yield return Case("ArtifactChecksumEmpty", Sum(" "), $"{art}: checksum value cannot be empty");
        yield return Case("ArtifactChecksumForm", Sum("abcd"), $"{art}: checksum must be given as \"type:value\"; got \"abcd\"");
        yield return Case("ArtifactChecksumType", Sum("crc:ab"), $"{art}: unsupported checksum type: crc");
        yield return Case("ArtifactChecksumHex", Sum("md5:xyz"), $"{art}: invalid checksum: xyz is not hexadecimal");
        yield return Case("ArtifactChecksumLength", Sum("md5:abcd"), $"{art}: invalid md5 checksum: abcd");
    }

    private static Affinity Aff(int weight) => new() { LTarget = "${meta.rack}", Operand = "=", RTarget = "r1", Weight = weight };

    private static Spread Spr(params int[] percents) => new()
    {
        Attribute = "${node.datacenter}", SpreadTarget = percents.Select((p, i) => new SpreadTarget { Value = $"dc{i}", Percent = p }).ToList(),
    };

    [Test]
    public void AffinitiesAndSpreadsWithinNomadsRulesAreValid() =>
        Assert.That(JobValidator.Validate(Valid() with { Affinities = [Aff(100), Aff(-100)], Spreads = [Spr(70, 30), new Spread { Attribute = "${attr.rack}", Weight = 100 }] }), Is.Empty);

    [Test]
    public void ArtifactsNomadAcceptsAreValid() =>
        Assert.That(JobValidator.Validate(WithTask(t => t with
        {
            Artifacts =
            [
                new TaskArtifact { GetterSource = "https://example.com/a.tgz", GetterOptions = new() { ["checksum"] = "sha256:" + new string('a', 64) } },
                new TaskArtifact { GetterSource = "s", RelativeDest = "../alloc/data", GetterMode = "dir" },
                new TaskArtifact { GetterSource = "s", RelativeDest = "/etc/app", GetterMode = "file" },
                new TaskArtifact { GetterSource = "s", RelativeDest = "${NOMAD_TASK_DIR}/bin" },
            ],
        })), Is.Empty);

    [TestCaseSource(nameof(Rules))]
    public void RuleMessage(Job job, string message) =>
        Assert.That(JobValidator.Validate(job), Is.EqualTo(new[] { message }));

    /// <summary>Cronos's own reason for a spec it refuses (its wording, not ours).</summary>
    private static string PeriodicScheduleProblem(string spec) =>
        PeriodicSchedule.Problems(new PeriodicConfig { Spec = spec })[0].Split($"\"{spec}\": ", 2)[1];

    [Test]
    public void A_disabled_periodic_config_is_not_checked() =>
        Assert.That(JobValidator.Validate(Valid() with { Type = JobType.Service, Periodic = new PeriodicConfig { Enabled = false, Spec = "x" } }), Is.Empty);

    [Test]
    public void ValidJobHasNoErrors() => Assert.That(JobValidator.Validate(Valid()), Is.Empty);

    // The api gives sysbatch groups an all-zero reschedule policy (no delay function): Nomad validates only a policy that reschedules.
    [Test]
    public void SysbatchJobWithItsDefaultPoliciesIsValid() =>
        Assert.That(JobValidator.Validate(WithGroup(g => g with { ReschedulePolicy = new ReschedulePolicy() }) with { Type = JobType.SysBatch }), Is.Empty);

    // Nomad refuses only a space and a NUL in a job ID: its own API tests register "job-id/with\\troublesome:characters\n?&字".
    [TestCase("job-id/with\\troublesome:characters\n?&字")]
    [TestCase("tab\tand%percent")]
    public void IdsNomadAcceptsAreValid(string id) => Assert.That(JobValidator.Validate(Valid() with { ID = id }), Is.Empty);

    // As Nomad 1.x: sidecar means nothing on a poststop task but is not refused; a lifecycle block without a hook is a main task.
    [Test]
    public void LifecycleTasksBesideAMainTaskAreValid() => Assert.That(JobValidator.Validate(WithGroup(g => g with
    {
        Tasks =
        [
            g.Tasks[0] with { Lifecycle = new TaskLifecycle { Hook = "" }, Leader = true, ShutdownDelay = S },
            g.Tasks[0] with { Name = "init", Lifecycle = new TaskLifecycle { Hook = "prestart" } },
            g.Tasks[0] with { Name = "proxy", Lifecycle = new TaskLifecycle { Hook = "prestart", Sidecar = true } },
            g.Tasks[0] with { Name = "after", Lifecycle = new TaskLifecycle { Hook = "poststart" } },
            g.Tasks[0] with { Name = "cleanup", Lifecycle = new TaskLifecycle { Hook = "poststop", Sidecar = true } },
        ],
        ShutdownDelay = S,
    })), Is.Empty);

    [Test]
    public void ErrorsFromSeveralLevelsAreAllReported()
    {
        var job = WithTask(t => t with { Driver = "", Resources = t.Resources with { MemoryMB = 1 } }) with { Datacenters = [] };
        Assert.That(JobValidator.Validate(job), Is.EqualTo(new[]
        {
            "job \"x\": datacenters: at least one required",
            "group \"g\" task \"t\": driver: required",
            "group \"g\" task \"t\": resources.memory must be at least 10",
        }));
    }

    [Test]
    public void ParsedCacheExampleFromTheBrief()
    {
        var job = JobspecParser.Parse("""
            job "x" {
              datacenters = ["dc1"]
              group "cache" {
                task "redis" {
                  driver = "raw_exec"
                  resources {
                    memory = 4
                  }
                }
              }
            }
            """, "cache.nomad");
        Assert.That(JobValidator.Validate(job), Is.EqualTo(new[] { "group \"cache\" task \"redis\": resources.memory must be at least 10" }));
    }
}
