using Nomad.Agent.Jobspec;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Jobspec;

[TestFixture]
public sealed class JobspecParserTests
{
    private const long S = 1_000_000_000, M = 60 * S, H = 60 * M;

    private static Job Parse(string hcl) => JobspecParser.Parse(hcl, "job.nomad");

    private const string Minimal = """
        job "web" {
          datacenters = ["dc1"]
          group "g" {
            task "t" {
              driver = "raw_exec"
            }
          }
        }
        """;

    [Test]
    public void MinimalJobGetsNomadsDefaults()
    {
        var job = Parse(Minimal);
        Assert.That(job.ID, Is.EqualTo("web"));
        Assert.That(job.Name, Is.EqualTo("web"));
        Assert.That(job.Namespace, Is.EqualTo("default"));
        Assert.That(job.Region, Is.EqualTo("global"));
        Assert.That(job.Type, Is.EqualTo("service"));
        Assert.That(job.Priority, Is.EqualTo(50));
        Assert.That(job.Status, Is.EqualTo("pending"));
        Assert.That(job.Constraints, Is.Null);
        // Nomad 1.4's api gives every service job its default update strategy (0.11 left it unset).
        Assert.That(job.Update, Is.EqualTo(new UpdateStrategy
        {
            Stagger = 30 * S, MaxParallel = 1, HealthCheck = "checks", MinHealthyTime = 10 * S, HealthyDeadline = 5 * M, ProgressDeadline = 10 * M,
        }));
        var g = job.TaskGroups.Single();
        Assert.That(g.Count, Is.EqualTo(1));
        Assert.That(g.RestartPolicy, Is.EqualTo(new RestartPolicy { Attempts = 2, Interval = 30 * M, Delay = 15 * S, Mode = "fail" }));
        Assert.That(g.ReschedulePolicy, Is.EqualTo(new ReschedulePolicy
        {
            Attempts = 0, Interval = 0, Delay = 30 * S, DelayFunction = "exponential", MaxDelay = H, Unlimited = true,
        }));
        Assert.That(g.EphemeralDisk, Is.EqualTo(new EphemeralDisk { SizeMB = 300, Sticky = false, Migrate = false }));
        var t = g.Tasks.Single();
        Assert.That(t.Resources.CPU, Is.EqualTo(100));
        Assert.That(t.Resources.MemoryMB, Is.EqualTo(300));
        Assert.That(t.Resources.Networks, Is.Null);
        Assert.That(t.KillTimeout, Is.EqualTo(5 * S));
        Assert.That(t.LogConfig, Is.EqualTo(new LogConfig { MaxFiles = 10, MaxFileSizeMB = 10 }));
        Assert.That(t.Config, Is.Null);
        Assert.That(JobValidator.Validate(job), Is.Empty);
    }

    [Test]
    public void BatchJobGetsBatchPolicies()
    {
        var g = Parse(Minimal.Replace("datacenters", "type = \"batch\"\n  datacenters")).TaskGroups[0];
        Assert.That(g.RestartPolicy, Is.EqualTo(new RestartPolicy { Attempts = 3, Interval = 24 * H, Delay = 15 * S, Mode = "fail" }));
        Assert.That(g.ReschedulePolicy, Is.EqualTo(new ReschedulePolicy
        {
            Attempts = 1, Interval = 24 * H, Delay = 5 * S, DelayFunction = "constant", MaxDelay = 0, Unlimited = false,
        }));
    }

    [Test]
    public void SystemJobHasNoReschedulePolicy()
    {
        var g = Parse(Minimal.Replace("datacenters", "type = \"system\"\n  datacenters")).TaskGroups[0];
        Assert.That(g.ReschedulePolicy, Is.Null);
        Assert.That(g.RestartPolicy, Is.EqualTo(RestartPolicy.ServiceDefault));
    }

    [Test]
    public void TypeAfterGroupsStillDecidesTheDefaults()
    {
        var g = Parse(Minimal.Replace("\n}", "\n  type = \"batch\"\n}")).TaskGroups[0];
        Assert.That(g.RestartPolicy, Is.EqualTo(RestartPolicy.BatchDefault));
    }

    internal const string Full = """
        job "shop" {
          name = "Shop"
          region = "eu"
          namespace = "team"
          type = "batch"
          priority = 70
          all_at_once = true
          datacenters = ["dc1", "dc2"]
          meta {
            owner = "ops"
            tier = 2
          }
          constraint {
            attribute = "${attr.kernel.name}"
            value     = "linux"
          }
          constraint {
            distinct_hosts = true
          }
          update {
            max_parallel = 2
            canary = 1
          }
          group "cache" {
            count = 3
            constraint {
              attribute = "${attr.cpu.numcores}"
              operator  = ">="
              value     = 2
            }
            restart {
              attempts = 5
              mode = "delay"
            }
            reschedule {
              delay = "10s"
              unlimited = true
            }
            ephemeral_disk {
              size = 500
              sticky = true
              migrate = true
            }
            network {
              port "http" {}
              port "db" {
                static = 5432
                to = 5432
              }
            }
            meta {
              role = "cache"
            }
            task "redis" {
              driver = "raw_exec"
              user = "nobody"
              config {
                command = "/bin/redis"
                args = ["--port", 6379]
                limits {
                  nofile = 1024
                }
                mount {
                  source = "a"
                }
                mount {
                  source = "b"
                }
              }
              env {
                MODE = "fast"
              }
              meta {
                version = "6"
              }
              resources {
                cpu = 250
                memory = 128
                disk = 20
                network {
                  mbits = 50
                  port "admin" {}
                  port "metrics" {
                    static = 9100
                  }
                }
              }
              kill_timeout = "30s"
              kill_signal = "SIGINT"
              logs {
                max_files = 3
                max_file_size = 5
              }
              constraint {
                attribute = "${meta.rack}"
                regexp = "^r[0-9]+$"
              }
            }
          }
        }
        """;

    [Test]
    public void FullJobFields()
    {
        var job = Parse(Full);
        Assert.That(JobValidator.Validate(job), Is.Empty);
        Assert.That((job.ID, job.Name, job.Region, job.Namespace, job.Type, job.Priority, job.AllAtOnce),
            Is.EqualTo(("shop", "Shop", "eu", "team", "batch", 70, true)));
        Assert.That(job.Datacenters, Is.EqualTo(new[] { "dc1", "dc2" }));
        Assert.That(job.Meta, Is.EqualTo(new Dictionary<string, string> { ["owner"] = "ops", ["tier"] = "2" }));
        Assert.That(job.Constraints, Is.EqualTo(new[]
        {
            new Constraint { LTarget = "${attr.kernel.name}", RTarget = "linux", Operand = "=" },
            new Constraint { Operand = "distinct_hosts" },
        }));
        Assert.That(job.Update, Is.EqualTo(new UpdateStrategy
        {
            Stagger = 30 * S, MaxParallel = 2, HealthCheck = "checks", MinHealthyTime = 10 * S,
            HealthyDeadline = 5 * M, ProgressDeadline = 10 * M, Canary = 1,
        }));

        var g = job.TaskGroups.Single();
        Assert.That(g.Name, Is.EqualTo("cache"));
        Assert.That(g.Count, Is.EqualTo(3));
        Assert.That(g.Constraints, Is.EqualTo(new[] { new Constraint { LTarget = "${attr.cpu.numcores}", RTarget = "2", Operand = ">=" } }));
        // Unset restart fields come from the batch defaults.
        Assert.That(g.RestartPolicy, Is.EqualTo(new RestartPolicy { Attempts = 5, Interval = 24 * H, Delay = 15 * S, Mode = "delay" }));
        Assert.That(g.ReschedulePolicy, Is.EqualTo(ReschedulePolicy.BatchDefault with { Delay = 10 * S, Unlimited = true }));
        Assert.That(g.EphemeralDisk, Is.EqualTo(new EphemeralDisk { SizeMB = 500, Sticky = true, Migrate = true }));
        Assert.That(g.Meta, Is.EqualTo(new Dictionary<string, string> { ["role"] = "cache" }));
        var net = g.Networks!.Single();
        Assert.That(net.DynamicPorts, Is.EqualTo(new[] { new Port { Label = "http" } }));
        Assert.That(net.ReservedPorts, Is.EqualTo(new[] { new Port { Label = "db", Value = 5432, To = 5432 } }));

        var t = g.Tasks.Single();
        Assert.That((t.Name, t.Driver, t.User, t.KillTimeout, t.KillSignal), Is.EqualTo(("redis", "raw_exec", "nobody", 30 * S, "SIGINT")));
        Assert.That(t.Config!["command"], Is.EqualTo("/bin/redis"));
        Assert.That(t.Config["args"], Is.EqualTo(new List<object?> { "--port", 6379L }));
        // jobspec2 turns a nested block of a driver config into a list of objects, as HCL1 did.
        Assert.That(t.Config["limits"], Is.EqualTo(new List<object?> { new Dictionary<string, object?> { ["nofile"] = 1024L } }));
        Assert.That(t.Config["mount"], Is.EqualTo(new List<object?>
        {
            new Dictionary<string, object?> { ["source"] = "a" },
            new Dictionary<string, object?> { ["source"] = "b" },
        }));
        Assert.That(t.Env, Is.EqualTo(new Dictionary<string, string> { ["MODE"] = "fast" }));
        Assert.That(t.Meta, Is.EqualTo(new Dictionary<string, string> { ["version"] = "6" }));
        Assert.That((t.Resources.CPU, t.Resources.MemoryMB, t.Resources.DiskMB), Is.EqualTo((250, 128, 20)));
        var tnet = t.Resources.Networks!.Single();
        Assert.That(tnet.MBits, Is.EqualTo(50));
        Assert.That(tnet.DynamicPorts, Is.EqualTo(new[] { new Port { Label = "admin" } }));
        Assert.That(tnet.ReservedPorts, Is.EqualTo(new[] { new Port { Label = "metrics", Value = 9100 } }));
        Assert.That(t.LogConfig, Is.EqualTo(new LogConfig { MaxFiles = 3, MaxFileSizeMB = 5 }));
        Assert.That(t.Constraints, Is.EqualTo(new[] { new Constraint { LTarget = "${meta.rack}", RTarget = "^r[0-9]+$", Operand = "regexp" } }));
    }

    [Test]
    public void JobLevelRescheduleIsEachGroupsDefault()
    {
        var job = Parse("""
            job "r" {
              datacenters = ["dc1"]
              reschedule {
                attempts = 4
                interval = "1h"
              }
              group "a" {
                task "t" { driver = "raw_exec" }
              }
              group "b" {
                reschedule {
                  delay = "1m"
                }
                task "t" { driver = "raw_exec" }
              }
            }
            """);
        var fromJob = ReschedulePolicy.ServiceDefault with { Attempts = 4, Interval = H };
        Assert.That(job.TaskGroups[0].ReschedulePolicy, Is.EqualTo(fromJob));
        Assert.That(job.TaskGroups[1].ReschedulePolicy, Is.EqualTo(fromJob with { Delay = M }));
    }

    [Test]
    public void TemplatesInStringsAreKeptForRunTime()
    {
        var job = Parse(Minimal.Replace("driver = \"raw_exec\"", "driver = \"raw_exec\"\n      env {\n        ADDR = \"${NOMAD_IP_http}:${NOMAD_PORT_http}\"\n      }"));
        Assert.That(job.TaskGroups[0].Tasks[0].Env, Is.EqualTo(new Dictionary<string, string> { ["ADDR"] = "${NOMAD_IP_http}:${NOMAD_PORT_http}" }));
    }

    [TestCase("distinct_hosts = true", "", "", "distinct_hosts")]
    [TestCase("distinct_hosts = false", "", "", "=")]
    [TestCase("distinct_property = \"${meta.rack}\"", "${meta.rack}", "", "distinct_property")]
    [TestCase("attribute = \"${attr.nomad.version}\"\n version = \">= 0.11\"", "${attr.nomad.version}", ">= 0.11", "version")]
    [TestCase("attribute = \"${meta.tags}\"\n set_contains = \"a,b\"", "${meta.tags}", "a,b", "set_contains")]
    [TestCase("attribute = \"${meta.x}\"\n operator = \"is_set\"", "${meta.x}", "", "is_set")]
    [TestCase("attribute = \"${meta.x}\"\n operator = \"!=\"\n value = true", "${meta.x}", "true", "!=")]
    [TestCase("attribute = \"${meta.x}\"\n operator = \"<\"\n value = \"3\"", "${meta.x}", "3", "<")]
    public void ConstraintForms(string body, string l, string r, string operand)
    {
        var job = Parse(Minimal.Replace("datacenters", $"constraint {{\n {body}\n }}\n  datacenters"));
        Assert.That(job.Constraints!.Single(), Is.EqualTo(new Constraint { LTarget = l, RTarget = r, Operand = operand }));
    }

    [TestCase("job \"a\" {\n  datacenters = [\"dc1\"\n}\n", "job.nomad:3,1: Missing item separator; Expected a comma to mark the beginning of the next item.")]
    // HCL2's wording, as Nomad 1.4's jobspec2 reports it (the 0.11-era parser had its own).
    [TestCase("job \"a\" {\n  bogus = 1\n}\n", "job.nomad:2,3: Unsupported argument; An argument named \"bogus\" is not expected here.")]
    [TestCase("job \"a\" {\n  group \"g\" {\n    cuont = 1\n  }\n}\n", "job.nomad:3,5: Unsupported argument; An argument named \"cuont\" is not expected here.")]
    [TestCase("job \"a\" {\n  group \"g\" {\n    task \"t\" {\n      resources {\n        memroy = 1\n      }\n    }\n  }\n}\n",
        "job.nomad:5,9: Unsupported argument; An argument named \"memroy\" is not expected here.")]
    [TestCase("job \"a\" {\n  group \"g\" {\n    count = \"many\"\n  }\n}\n", "job.nomad:3,13: Unsuitable value type; Unsuitable value: a number is required")]
    [TestCase("job \"a\" {\n  priority = 1.5\n}\n", "job.nomad:2,14: Unsuitable value type; Unsuitable value: value must be a whole number")]
    [TestCase("job \"a\" {\n  datacenters = \"dc1\"\n}\n", "job.nomad:2,17: Unsuitable value type; Unsuitable value: list of string required")]
    [TestCase("job \"a\" {\n  group \"g\" {\n    task \"t\" {\n      kill_timeout = \"5 seconds\"\n    }\n  }\n}\n",
        "job.nomad:4,22: Unsuitable value type; Unsuitable duration value: time: invalid duration \"5 seconds\"")]
    [TestCase("job \"a\" {\n  group \"g\" {\n    restart {\n      interval = true\n    }\n  }\n}\n",
        "job.nomad:4,18: Unsuitable value type; Unsuitable value: expected a string but found bool")]
    [TestCase("job \"a\" {\n  group \"g\" {\n    restart {}\n    restart {}\n  }\n}\n", "job.nomad:4,5: Duplicate restart block; Only one restart block is allowed.")]
    [TestCase("job \"a\" {\n  group {\n    count = 1\n  }\n}\n", "job.nomad:2,9: Missing name for group; All group blocks must have 1 labels (name).")]
    [TestCase("job \"a\" {\n  group \"g\" {\n    task \"t\" {\n      config {\n        args = [var.x]\n      }\n    }\n  }\n}\n",
        "job.nomad:5,20: Unsupported attribute; This object does not have an attribute named \"x\".")]
    [TestCase("job \"a\" {}\njob \"b\" {}\n", "job.nomad:2,1: Duplicate job block; Only one block of type \"job\" is allowed.")]
    [TestCase("job {}\n", "job.nomad:1,5: Missing name for job; All job blocks must have 1 labels (name).")]
    [TestCase("datacenters = [\"dc1\"]\n", "job.nomad:1,1: Unsupported argument; An argument named \"datacenters\" is not expected here.")]
    [TestCase("", "job.nomad: Missing job block; A job block is required")]
    public void ParseErrorsAreOneLineWithPosition(string hcl, string expectedStart)
    {
        var e = Assert.Throws<JobspecException>(() => Parse(hcl))!;
        Assert.That(e.Message, Does.StartWith(expectedStart));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }
}
