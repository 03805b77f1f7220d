using System.Text.Json.Nodes;
using Nomad.Agent.Jobspec;
using Nomad.Agent.Jobspec.Api;

namespace Nomad.Agent.Tests.Jobspec;

/// <summary>
/// Each stanza decoded and canonicalized as Nomad 1.4 does (jobspec2 + the api package's Canonicalize); expected
/// values are Nomad's defaults from its source.
/// </summary>
[TestFixture]
public sealed class JobFileStanzaTests
{
    private const long S = 1_000_000_000, M = 60 * S, H = 60 * M;

    private static Job Parse(string body, bool canonicalize = true, string type = "service") =>
        JobFile.Parse($"job \"j\" {{\n  type = \"{type}\"\n  datacenters = [\"dc1\"]\n{body}\n}}\n", "j.nomad", new JobFileOptions(), canonicalize);

    private static Job Group(string groupBody, bool canonicalize = true, string type = "service") =>
        Parse($"group \"g\" {{\n{groupBody}\n  task \"t\" {{\n    driver = \"raw_exec\"\n  }}\n}}", canonicalize, type);

    private static Nomad.Agent.Jobspec.Api.Task Task(string taskBody, bool canonicalize = true) =>
        Parse($"group \"g\" {{\n  task \"t\" {{\n    driver = \"raw_exec\"\n{taskBody}\n  }}\n}}", canonicalize).TaskGroups![0].Tasks![0];

    [Test]
    public void DecodedJobLeavesUnsetFieldsNil()
    {
        var j = Group("", canonicalize: false);
        Assert.That((j.ID, j.Name, j.Type), Is.EqualTo(("j", "j", "service")));
        Assert.That(j.Priority, Is.Null);
        Assert.That(j.Region, Is.Null);
        Assert.That(j.Update, Is.Null);
        var json = JobFile.ParseToApiJson("job \"j\" {\n group \"g\" {\n task \"t\" {}\n }\n}\n", "j.nomad", new JobFileOptions(), false);
        Assert.That(json.ContainsKey("Priority") && json["Priority"] is null, "nil pointers are written as null");
        Assert.That(json["TaskGroups"]![0]!["Tasks"]![0]!["Leader"]!.GetValue<bool>(), Is.False, "value fields are their zero value");
        Assert.That(json["TaskGroups"]![0]!["Tasks"]![0]!.AsObject().ContainsKey("CSIPluginConfig"), Is.False, "omitempty");
    }

    [Test]
    public void JobCanonicalizeDefaults()
    {
        var j = Group("");
        Assert.That((j.Region, j.Namespace, j.Priority, j.AllAtOnce, j.Stop, j.ParentID), Is.EqualTo(("global", "default", 50, false, false, "")));
        Assert.That((j.ConsulToken, j.VaultToken, j.Status, j.Stable, j.Version), Is.EqualTo(("", "", "", false, 0UL)));
        var u = j.Update!;
        Assert.That((u.Stagger, u.MaxParallel, u.HealthCheck, u.MinHealthyTime, u.HealthyDeadline, u.ProgressDeadline, u.Canary, u.AutoRevert, u.AutoPromote),
            Is.EqualTo((30 * S, 1, "checks", 10 * S, 5 * M, 10 * M, 0, false, false)));
        var g = j.TaskGroups![0];
        Assert.That(g.Count, Is.EqualTo(1));
        Assert.That((g.EphemeralDisk!.SizeMB, g.EphemeralDisk.Sticky, g.EphemeralDisk.Migrate), Is.EqualTo((300, false, false)));
        Assert.That((g.RestartPolicy!.Attempts, g.RestartPolicy.Interval, g.RestartPolicy.Delay, g.RestartPolicy.Mode), Is.EqualTo((2, 30 * M, 15 * S, "fail")));
        var r = g.ReschedulePolicy!;
        Assert.That((r.Attempts, r.Interval, r.Delay, r.DelayFunction, r.MaxDelay, r.Unlimited), Is.EqualTo((0, 0L, 30 * S, "exponential", H, true)));
        Assert.That((g.Migrate!.MaxParallel, g.Migrate.HealthCheck, g.Migrate.MinHealthyTime, g.Migrate.HealthyDeadline), Is.EqualTo((1, "checks", 10 * S, 5 * M)));
        Assert.That(g.Update!.MaxParallel, Is.EqualTo(1), "the job's update strategy is the group's");
        Assert.That(g.Consul!.Namespace, Is.EqualTo(""));
        var t = g.Tasks![0];
        Assert.That((t.Resources!.CPU, t.Resources.Cores, t.Resources.MemoryMB, t.Resources.DiskMB), Is.EqualTo(((int?)100, (int?)0, (int?)300, (int?)null)));
        Assert.That((t.KillTimeout, t.LogConfig!.MaxFiles, t.LogConfig.MaxFileSizeMB), Is.EqualTo((5 * S, 10, 10)));
        Assert.That(t.RestartPolicy!.Attempts, Is.EqualTo(2));
    }

    [Test]
    public void BatchAndSystemJobsGetTheirPolicies()
    {
        var b = Group("", type: "batch");
        Assert.That(b.Update, Is.Null);
        var g = b.TaskGroups![0];
        Assert.That((g.RestartPolicy!.Attempts, g.RestartPolicy.Interval), Is.EqualTo((3, 24 * H)));
        Assert.That((g.ReschedulePolicy!.Attempts, g.ReschedulePolicy.Interval, g.ReschedulePolicy.Delay, g.ReschedulePolicy.DelayFunction),
            Is.EqualTo((1, 24 * H, 5 * S, "constant")));
        Assert.That(g.Migrate, Is.Null);
        var s = Group("", type: "system").TaskGroups![0];
        Assert.That(s.ReschedulePolicy, Is.Null);
        Assert.That((s.RestartPolicy!.Attempts, s.RestartPolicy.Interval), Is.EqualTo((2, 30 * M)));
        Assert.That(Group("", type: "sysbatch").TaskGroups![0].ReschedulePolicy!.DelayFunction, Is.EqualTo(""),
            "sysbatch takes the api's catch-all default (all zero), not system's nil");
    }

    [Test]
    public void CoresLeaveCpuZero()
    {
        var r = Task("    resources {\n      cores = 2\n      memory = 64\n      memory_max = 128\n    }").Resources!;
        Assert.That((r.CPU, r.Cores, r.MemoryMB, r.MemoryMaxMB), Is.EqualTo(((int?)0, (int?)2, (int?)64, (int?)128)));
    }

    [Test]
    public void JobLevelStanzas()
    {
        var j = Parse("""
              priority = 70
              all_at_once = true
              region = "eu"
              namespace = "ns"
              consul_token = "ct"
              meta = { "a.b" = 1 }
              affinity {
                attribute = "${node.class}"
                value = "big"
              }
              spread {
                attribute = "${node.datacenter}"
                target "dc1" {
                  percent = 70
                }
              }
              periodic {
                cron = "*/15 * * * *"
                prohibit_overlap = true
              }
              parameterized {
                payload = "required"
                meta_required = ["x"]
              }
              reschedule {
                attempts = 5
              }
              migrate {
                max_parallel = 2
              }
              multiregion {
                strategy {
                  max_parallel = 1
                }
                region "west" {
                  datacenters = ["w1"]
                }
              }
              group "g" {
                task "t" {}
              }
            """, type: "batch");
        Assert.That((j.Priority, j.AllAtOnce, j.Region, j.Namespace, j.ConsulToken), Is.EqualTo((70, true, "eu", "ns", "ct")));
        Assert.That(j.Meta, Is.EqualTo(new SortedList<string, string> { ["a.b"] = "1" }));
        Assert.That((j.Affinities![0].LTarget, j.Affinities[0].RTarget, j.Affinities[0].Operand, j.Affinities[0].Weight),
            Is.EqualTo(("${node.class}", "big", "=", (sbyte?)50)));
        Assert.That((j.Spreads![0].Attribute, j.Spreads[0].Weight, j.Spreads[0].SpreadTarget![0].Value, j.Spreads[0].SpreadTarget![0].Percent),
            Is.EqualTo(("${node.datacenter}", (sbyte?)50, "dc1", (byte)70)));
        var p = j.Periodic!;
        Assert.That((p.Enabled, p.Spec, p.SpecType, p.ProhibitOverlap, p.TimeZone), Is.EqualTo((true, "*/15 * * * *", "cron", true, "UTC")));
        Assert.That((j.ParameterizedJob!.Payload, j.ParameterizedJob.MetaRequired, j.ParameterizedJob.MetaOptional),
            Is.EqualTo(("required", new List<string> { "x" }, (List<string>?)null)));
        var g = j.TaskGroups![0];
        Assert.That((g.ReschedulePolicy!.Attempts, g.ReschedulePolicy.Interval), Is.EqualTo((5, 24 * H)), "the job's reschedule over the batch defaults");
        Assert.That((g.Migrate!.MaxParallel, g.Migrate.HealthCheck), Is.EqualTo((2, "checks")), "the job's migrate reaches the group");
        var m = j.Multiregion!;
        Assert.That((m.Strategy!.MaxParallel, m.Strategy.OnFailure, m.Regions![0].Name, m.Regions[0].Count), Is.EqualTo((1, "", "west", 1)));
    }

    [Test]
    public void GroupStanzas()
    {
        var j = Group("""
              count = 3
              shutdown_delay = "6s"
              stop_after_client_disconnect = "1m"
              max_client_disconnect = "1h"
              network {
                mode = "bridge"
                port "http" {
                  to = 8080
                }
                port "db" {
                  static = 5432
                  host_network = "private"
                }
                dns {
                  servers = ["1.1.1.1"]
                }
              }
              volume "data" {
                type = "host"
                source = "data"
                read_only = true
              }
              scaling {
                min = 2
                max = 10
                policy {
                  cooldown = "1m"
                }
              }
              update {
                canary = 1
              }
              consul {
                namespace = "team"
              }
            """);
        var g = j.TaskGroups![0];
        Assert.That((g.Count, g.ShutdownDelay, g.StopAfterClientDisconnect, g.MaxClientDisconnect), Is.EqualTo(((int?)3, (long?)6 * S, (long?)M, (long?)H)));
        var n = g.Networks![0];
        Assert.That((n.Mode, n.MBits, n.DNS!.Servers![0]), Is.EqualTo(("bridge", (int?)null, "1.1.1.1")), "Nomad 1.x leaves MBits unset");
        Assert.That(n.DynamicPorts!.Select(p => (p.Label, p.Value, p.To)), Is.EqualTo(new[] { ("http", 0, 8080) }), "static ports move to ReservedPorts");
        Assert.That(n.ReservedPorts!.Select(p => (p.Label, p.Value, p.HostNetwork)), Is.EqualTo(new[] { ("db", 5432, "private") }));
        var v = g.Volumes!["data"];
        Assert.That((v.Name, v.Type, v.Source, v.ReadOnly), Is.EqualTo(("data", "host", "data", true)));
        var s = g.Scaling!;
        Assert.That((s.Type, s.Min, s.Max, s.Enabled, s.Policy!["cooldown"]!.GetValue<string>()), Is.EqualTo(("horizontal", (long?)2, (long?)10, (bool?)true, "1m")));
        Assert.That((g.Update!.Canary, g.Update.MaxParallel, g.Update.Stagger), Is.EqualTo(((int?)1, (int?)1, (long?)30 * S)), "group update merged over the job's");
        Assert.That(g.Consul!.Namespace, Is.EqualTo("team"));
    }

    [Test]
    public void ScalingMinIsTheCountWhenCountIsUnset()
    {
        var g = Group("  scaling {\n    max = 5\n  }").TaskGroups![0];
        Assert.That((g.Count, g.Scaling!.Min), Is.EqualTo(((int?)1, (long?)1)));
        g = Group("  scaling {\n    min = 3\n    max = 5\n  }").TaskGroups![0];
        Assert.That(g.Count, Is.EqualTo(3));
    }

    [Test]
    public void TaskStanzas()
    {
        var t = Task("""
                user = "nobody"
                kill_timeout = "20s"
                kill_signal = "SIGINT"
                leader = true
                kind = "connect-proxy:x"
                env = { "A.B" = "1" }
                meta {
                  m = true
                }
                lifecycle {
                  hook = "prestart"
                  sidecar = true
                }
                artifact {
                  source = "https://example.com/file.tgz"
                  options {
                    checksum = "md5:abc"
                  }
                }
                artifact {
                  source = "https://example.com/x/app.bin"
                  mode = "file"
                }
                template {
                  data = "{{ key \"x\" }}"
                  destination = "local/x"
                  change_mode = "signal"
                }
                vault {
                  policies = ["p"]
                }
                dispatch_payload {
                  file = "input.txt"
                }
                volume_mount {
                  volume = "data"
                  destination = "/data"
                }
                csi_plugin {
                  id = "ebs"
                  type = "monolith"
                }
                scaling "cpu" {
                  max = 500
                }
                resources {
                  device "nvidia/gpu" {}
                }
                logs {
                  max_files = 3
                }
            """);
        Assert.That((t.User, t.KillTimeout, t.KillSignal, t.Leader, t.Kind), Is.EqualTo(("nobody", (long?)20 * S, "SIGINT", true, "connect-proxy:x")));
        Assert.That(t.Env, Is.EqualTo(new SortedList<string, string> { ["A.B"] = "1" }));
        Assert.That(t.Meta, Is.EqualTo(new SortedList<string, string> { ["m"] = "true" }));
        Assert.That((t.Lifecycle!.Hook, t.Lifecycle.Sidecar), Is.EqualTo(("prestart", true)));
        Assert.That((t.Artifacts![0].GetterMode, t.Artifacts[0].RelativeDest, t.Artifacts[0].GetterOptions!["checksum"]), Is.EqualTo(("any", "local/", "md5:abc")));
        Assert.That(t.Artifacts[1].RelativeDest, Is.EqualTo("local/app.bin"));
        var tm = t.Templates![0];
        Assert.That((tm.ChangeMode, tm.ChangeSignal, tm.Splay, tm.Perms, tm.LeftDelim, tm.RightDelim, tm.Envvars, tm.VaultGrace, tm.SourcePath),
            Is.EqualTo(("signal", "SIGHUP", (long?)5 * S, "0644", "{{", "}}", (bool?)false, (long?)0, "")));
        Assert.That((t.Vault!.Env, t.Vault.ChangeMode, t.Vault.ChangeSignal, t.Vault.Namespace), Is.EqualTo(((bool?)true, "restart", "SIGHUP", "")));
        Assert.That(t.DispatchPayload!.File, Is.EqualTo("input.txt"));
        Assert.That((t.VolumeMounts![0].Volume, t.VolumeMounts[0].ReadOnly, t.VolumeMounts[0].PropagationMode), Is.EqualTo(("data", (bool?)false, "private")));
        Assert.That((t.CSIPluginConfig!.ID, t.CSIPluginConfig.MountDir, t.CSIPluginConfig.StagePublishBaseDir, t.CSIPluginConfig.HealthTimeout), Is.EqualTo(("ebs", "/csi", "/local/csi", 30 * S)));
        Assert.That((t.ScalingPolicies![0].Type, t.ScalingPolicies[0].Max), Is.EqualTo(("vertical_cpu", (long?)500)));
        Assert.That((t.Resources!.Devices![0].Name, t.Resources.Devices[0].Count), Is.EqualTo(("nvidia/gpu", (ulong?)1)));
        Assert.That((t.LogConfig!.MaxFiles, t.LogConfig.MaxFileSizeMB), Is.EqualTo(((int?)3, (int?)10)));
    }

    [Test]
    public void TemplatesAreNormalisedEvenWithoutCanonicalize()
    {
        var tm = Task("    template {\n      data = \"x\"\n      destination = \"local/x\"\n    }", canonicalize: false).Templates![0];
        Assert.That((tm.ChangeMode, tm.Perms, tm.Splay, tm.LeftDelim), Is.EqualTo(("restart", "0644", (long?)5 * S, (string?)null)));
    }

    [Test]
    public void ServicesAndChecks()
    {
        var j = Group("""
              service {
                port = "http"
                tags = ["a"]
                check_restart {
                  limit = 3
                }
                check {
                  type = "http"
                  path = "/health"
                  interval = "10s"
                  timeout = "2s"
                  header {
                    X-Auth = ["t"]
                  }
                }
                connect {
                  sidecar_service {
                    proxy {
                      upstreams {
                        destination_name = "db"
                        local_bind_port = 5000
                      }
                    }
                  }
                }
              }
            """);
        var s = j.TaskGroups![0].Services![0];
        Assert.That((s.Name, s.PortLabel, s.AddressMode, s.OnUpdate, s.Provider), Is.EqualTo(("j-g", "http", "auto", "require_healthy", "consul")));
        var c = s.Checks![0];
        Assert.That((c.Type, c.Path, c.Interval, c.Timeout, c.OnUpdate), Is.EqualTo(("http", "/health", 10 * S, 2 * S, "require_healthy")));
        Assert.That((c.CheckRestart!.Limit, c.CheckRestart.Grace), Is.EqualTo((3, (long?)S)), "the service's check_restart reaches each check, grace 1s");
        Assert.That(c.Header!["X-Auth"], Is.EqualTo(new List<string> { "t" }));
        var u = s.Connect!.SidecarService!.Proxy!.Upstreams![0];
        Assert.That((u.DestinationName, u.LocalBindPort), Is.EqualTo(("db", 5000)));
        var taskService = Task("    service {\n      port = \"http\"\n    }").Services![0];
        Assert.That(taskService.Name, Is.EqualTo("j-g-t"));
    }

    [Test]
    public void ConstraintShorthands()
    {
        var cs = Parse("""
              constraint {
                distinct_hosts = true
              }
              constraint {
                attribute = "${attr.kernel.version}"
                version = ">= 4.0"
              }
              constraint {
                attribute = "${attr.os.name}"
                regexp = "^ubuntu"
              }
              constraint {
                distinct_property = "${meta.rack}"
                value = "2"
              }
              constraint {
                attribute = "${meta.n}"
                value = 3
              }
              group "g" {
                task "t" {}
              }
            """).Constraints!;
        Assert.That(cs.Select(c => (c.LTarget, c.RTarget, c.Operand)), Is.EqualTo(new[]
        {
            ("", "", "distinct_hosts"),
            ("${attr.kernel.version}", ">= 4.0", "version"),
            ("${attr.os.name}", "^ubuntu", "regexp"),
            ("${meta.rack}", "2", "distinct_property"),
            ("${meta.n}", "3", "="),
        }));
    }

    [Test]
    public void DriverConfigIsFreeForm()
    {
        var config = Task("""
                config {
                  image = "redis:7"
                  ports = ["db"]
                  port_map = { db = 6379 }
                  computed = merge({ a = "b" }, {})
                  mount {
                    type = "bind"
                  }
                  logging "json" {
                    max = 1.5
                  }
                }
            """).Config!;
        Assert.That(config.ToJsonString(), Is.EqualTo(
            """{"computed":{"a":"b"},"image":"redis:7","logging":[{"json":[{"max":1.5}]}],"mount":[{"type":"bind"}],"port_map":[{"db":6379}],"ports":["db"]}"""),
            "an object written as { ... } is a one-element list, as jobspec2's BlocksAsAttrs makes it; a computed one stays an object");
    }

    [Test]
    public void TaskDirectlyInTheJobAndJobVault()
    {
        var j = JobFile.Parse("""
            job "j" {
              vault {
                policies = ["jp"]
              }
              task "alone" {
                driver = "raw_exec"
              }
              group "g" {
                vault {
                  policies = ["gp"]
                }
                task "t" {}
                task "own" {
                  vault {
                    policies = ["own"]
                  }
                }
              }
            }
            """, "j.nomad", new JobFileOptions(), canonicalize: false);
        Assert.That(j.TaskGroups!.Select(g => g.Name), Is.EqualTo(new[] { "alone", "g" }), "a task in the job is a group of its own, first");
        Assert.That(j.TaskGroups[0].Tasks![0].Vault!.Policies, Is.EqualTo(new[] { "jp" }));
        Assert.That(j.TaskGroups[1].Tasks![0].Vault!.Policies, Is.EqualTo(new[] { "gp" }));
        Assert.That(j.TaskGroups[1].Tasks![1].Vault!.Policies, Is.EqualTo(new[] { "own" }));
        Assert.That((j.TaskGroups[0].Tasks![0].Vault!.Env, j.TaskGroups[0].Tasks![0].Vault!.ChangeMode), Is.EqualTo(((bool?)true, "restart")));
    }

    [Test]
    public void DurationsAcceptNanosecondNumbers()
    {
        Assert.That(Task("    kill_timeout = 1500000000", canonicalize: false).KillTimeout, Is.EqualTo(1_500_000_000L));
    }

    [Test]
    public void ConnectGateways()
    {
        var j = Group("""
              service {
                name = "ingress"
                port = "8080"
                connect {
                  gateway {
                    proxy {
                      envoy_gateway_bind_addresses "web" {
                        address = "0.0.0.0"
                        port = 8080
                      }
                    }
                    ingress {
                      listener {
                        port = 8080
                        service {
                          name = "web"
                          hosts = ["web.example"]
                        }
                      }
                    }
                  }
                }
              }
              service {
                name = "id-check"
                id = "unused"
              }
            """);
        var g = j.TaskGroups![0].Services![0].Connect!.Gateway!;
        Assert.That(g.Proxy!.ConnectTimeout, Is.EqualTo(5 * S), "Consul's default connect timeout");
        Assert.That((g.Proxy.EnvoyGatewayBindAddresses!["web"].Name, g.Proxy.EnvoyGatewayBindAddresses["web"].Port), Is.EqualTo(("web", 8080)));
        var l = g.Ingress!.Listeners![0];
        Assert.That((l.Port, l.Protocol, l.Services![0].Name, l.Services[0].Hosts![0]), Is.EqualTo((8080, "tcp", "web", "web.example")));
        Assert.That(j.TaskGroups[0].Services![1].Id, Is.EqualTo("unused"), "id is accepted and kept, as Nomad 1.4 does");
    }

    [Test]
    public void JsonFieldsAreInNomadsOrder()
    {
        var json = JobFile.ParseToApiJson("job \"j\" {\n  group \"g\" {\n    task \"t\" {}\n  }\n}\n", "j.nomad", new JobFileOptions(), canonicalize: true);
        Assert.That(json.Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "Region", "Namespace", "ID", "Name", "Type", "Priority", "AllAtOnce", "Datacenters", "Constraints", "Affinities", "TaskGroups",
            "Update", "Multiregion", "Spreads", "Periodic", "ParameterizedJob", "Reschedule", "Migrate", "Meta", "ConsulToken", "VaultToken",
            "Stop", "ParentID", "Dispatched", "DispatchIdempotencyToken", "Payload", "ConsulNamespace", "VaultNamespace", "NomadTokenID",
            "Status", "StatusDescription", "Stable", "Version", "SubmitTime", "CreateIndex", "ModifyIndex", "JobModifyIndex",
        }));
        Assert.That(json["TaskGroups"]![0]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "Name", "Count", "Constraints", "Affinities", "Tasks", "Spreads", "Volumes", "RestartPolicy", "ReschedulePolicy", "EphemeralDisk",
            "Update", "Migrate", "Networks", "Meta", "Services", "ShutdownDelay", "StopAfterClientDisconnect", "MaxClientDisconnect", "Scaling", "Consul",
        }));
        Assert.That(json["TaskGroups"]![0]!["Tasks"]![0]!.AsObject().Select(kv => kv.Key), Is.EqualTo(new[]
        {
            "Name", "Driver", "User", "Lifecycle", "Config", "Constraints", "Affinities", "Env", "Services", "Resources", "RestartPolicy", "Meta",
            "KillTimeout", "LogConfig", "Artifacts", "Vault", "Templates", "DispatchPayload", "VolumeMounts", "Leader", "ShutdownDelay",
            "KillSignal", "Kind", "ScalingPolicies",
        }));
        Assert.That(json["TaskGroups"]![0]!["Tasks"]![0]!["KillTimeout"]!.GetValue<long>(), Is.EqualTo(5 * S), "durations are int64 nanoseconds");
    }

    [Test]
    public void IndentedOutputUsesFourSpaces()
    {
        string text = ApiJson.Write(JobFile.Parse("job \"j\" {}\n", "j.nomad", new JobFileOptions(), false), indented: true);
        Assert.That(text, Does.StartWith("{\n    \"Region\": null,"));
    }
}
