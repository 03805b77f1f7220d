using System.Text.Json;
using Nomad.Agent.Config;

namespace Nomad.Agent.Tests.Config;

/// <summary>Every supported key, read from HCL and from the equivalent JSON, lands in the same field.</summary>
[TestFixture]
public sealed class ConfigKeyTests
{
    private const string Hcl = """
        region             = "europe"
        datacenter         = "eu-west-1"
        name               = "node-1"
        data_dir           = "/opt/nomad"
        bind_addr          = "10.0.0.5"
        log_level          = "debug"
        plugin_dir         = "/opt/nomad/my-plugins"
        leave_on_interrupt = true
        leave_on_terminate = false

        ports {
          http = 5646
          rpc  = 5647
          serf = 5648
        }

        addresses {
          http = "127.0.0.1 10.0.0.5"
          rpc  = "10.0.0.5"
          serf = "{{ GetPrivateIP }}"
        }

        advertise {
          http = "10.0.0.5"
          rpc  = "10.0.0.5:5647"
          serf = "nomad-1.example.com:5648"
        }

        server {
          enabled                   = true
          bootstrap_expect          = 3
          data_dir                  = "/opt/nomad/srv"
          num_schedulers            = 4
          heartbeat_grace           = "30s"
          min_heartbeat_ttl         = "15s"
          max_heartbeats_per_second = 25.5
          failover_heartbeat_ttl    = "10m"
          raft_multiplier           = 5
          node_gc_threshold         = "48h"
          node_gc_interval          = "10m"
          job_gc_threshold          = "8h"
          eval_gc_threshold         = "2h"
          start_join                = ["10.0.0.6"]
          retry_join                = ["10.0.0.6", "10.0.0.7"]
          retry_interval            = "15s"
          retry_max                 = 5
          rejoin_after_leave        = true
        }

        client {
          enabled           = true
          servers           = ["10.0.0.6:4647"]
          state_dir         = "/opt/nomad/state"
          alloc_dir         = "/opt/nomad/alloc"
          node_class        = "compute"
          network_interface = "eth0"
          network_speed     = 1000

          meta {
            rack      = "r1"
            "zone.id" = "z1"
            weight    = 3
          }

          options = {
            "driver.raw_exec.enable" = "1"
          }

          reserved {
            cpu            = 500
            memory         = 256
            disk           = 1024
            reserved_ports = "22,80,8000-8100"
          }

          host_volume "data" {
            path = "/srv/data"
          }

          host_volume "certs" {
            path      = "/etc/ssl/certs"
            read_only = true
          }
        }

        plugin "raw_exec" {
          config {
            enabled = true
          }
        }

        plugin "docker" {
          args = ["-debug"]
          config {
            allow_caps = ["chown", "kill"]
            volumes {
              enabled = true
            }
            gc {
              image_delay = "3m"
              container   = false
            }
            pull_timeout = 5
            ratio        = 0.5
          }
        }
        """;

    // The same in JSON, using both block shapes HCL's JSON form allows (object, and array of objects).
    private const string Json = """
        {
          "region": "europe",
          "datacenter": "eu-west-1",
          "name": "node-1",
          "data_dir": "/opt/nomad",
          "bind_addr": "10.0.0.5",
          "log_level": "debug",
          "plugin_dir": "/opt/nomad/my-plugins",
          "leave_on_interrupt": true,
          "leave_on_terminate": false,
          "ports": { "http": 5646, "rpc": "5647", "serf": 5648 },
          "addresses": [{ "http": "127.0.0.1 10.0.0.5", "rpc": "10.0.0.5", "serf": "{{ GetPrivateIP }}" }],
          "advertise": { "http": "10.0.0.5", "rpc": "10.0.0.5:5647", "serf": "nomad-1.example.com:5648" },
          "server": [{
            "enabled": true,
            "bootstrap_expect": 3,
            "data_dir": "/opt/nomad/srv",
            "num_schedulers": 4,
            "heartbeat_grace": "30s",
            "min_heartbeat_ttl": "15s",
            "max_heartbeats_per_second": 25.5,
            "failover_heartbeat_ttl": "10m",
            "raft_multiplier": 5,
            "node_gc_threshold": "48h",
            "node_gc_interval": "10m",
            "job_gc_threshold": "8h",
            "eval_gc_threshold": "2h",
            "start_join": ["10.0.0.6"],
            "retry_join": ["10.0.0.6", "10.0.0.7"],
            "retry_interval": "15s",
            "retry_max": 5,
            "rejoin_after_leave": "true"
          }],
          "client": {
            "enabled": true,
            "servers": ["10.0.0.6:4647"],
            "state_dir": "/opt/nomad/state",
            "alloc_dir": "/opt/nomad/alloc",
            "node_class": "compute",
            "network_interface": "eth0",
            "network_speed": 1000,
            "meta": { "rack": "r1", "zone.id": "z1", "weight": 3 },
            "options": { "driver.raw_exec.enable": "1" },
            "reserved": { "cpu": 500, "memory": 256, "disk": 1024, "reserved_ports": "22,80,8000-8100" },
            "host_volume": [{ "data": [{ "path": "/srv/data" }], "certs": { "path": "/etc/ssl/certs", "read_only": true } }]
          },
          "plugin": [{
            "raw_exec": [{ "config": [{ "enabled": true }] }],
            "docker": {
              "args": ["-debug"],
              "config": {
                "allow_caps": ["chown", "kill"],
                "volumes": { "enabled": true },
                "gc": { "image_delay": "3m", "container": false },
                "pull_timeout": 5,
                "ratio": 0.5
              }
            }
          }]
        }
        """;

    private static IEnumerable<TestCaseData> Sources()
    {
        yield return new TestCaseData(ConfigLoader.ParseHcl(Hcl, "agent.hcl")).SetArgDisplayNames("hcl");
        yield return new TestCaseData(ConfigLoader.ParseJson(Json, "agent.json")).SetArgDisplayNames("json");
    }

    [TestCaseSource(nameof(Sources))]
    public void TopLevelKeys(AgentConfig c)
    {
        Assert.That(c.Region, Is.EqualTo("europe"));
        Assert.That(c.Datacenter, Is.EqualTo("eu-west-1"));
        Assert.That(c.NodeName, Is.EqualTo("node-1"));
        Assert.That(c.DataDir, Is.EqualTo("/opt/nomad"));
        Assert.That(c.BindAddr, Is.EqualTo("10.0.0.5"));
        Assert.That(c.LogLevel, Is.EqualTo("DEBUG"), "log levels are normalised to upper case");
        Assert.That(c.PluginDir, Is.EqualTo("/opt/nomad/my-plugins"));
        Assert.That(c.LeaveOnInterrupt, Is.True);
        Assert.That(c.LeaveOnTerminate, Is.False);
        Assert.That(c.DevMode, Is.Null);
    }

    [TestCaseSource(nameof(Sources))]
    public void PortsAddressesAdvertise(AgentConfig c)
    {
        Assert.That(c.Ports, Is.EqualTo(new Ports { Http = 5646, Rpc = 5647, Serf = 5648 }));
        Assert.That(c.Addresses, Is.EqualTo(new Addresses { Http = "127.0.0.1 10.0.0.5", Rpc = "10.0.0.5", Serf = "{{ GetPrivateIP }}" }));
        Assert.That(c.Advertise, Is.EqualTo(new Addresses { Http = "10.0.0.5", Rpc = "10.0.0.5:5647", Serf = "nomad-1.example.com:5648" }));
    }

    [TestCaseSource(nameof(Sources))]
    public void ServerKeys(AgentConfig c)
    {
        var s = c.Server;
        Assert.That(s.Enabled, Is.True);
        Assert.That(s.BootstrapExpect, Is.EqualTo(3));
        Assert.That(s.DataDir, Is.EqualTo("/opt/nomad/srv"));
        Assert.That(s.NumSchedulers, Is.EqualTo(4));
        Assert.That(s.HeartbeatGrace, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(s.MinHeartbeatTtl, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(s.MaxHeartbeatsPerSecond, Is.EqualTo(25.5));
        Assert.That(s.FailoverHeartbeatTtl, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(s.RaftMultiplier, Is.EqualTo(5));
        Assert.That(s.NodeGcThreshold, Is.EqualTo(TimeSpan.FromHours(48)));
        Assert.That(s.NodeGcInterval, Is.EqualTo(TimeSpan.FromMinutes(10)));
        Assert.That(s.JobGcThreshold, Is.EqualTo(TimeSpan.FromHours(8)));
        Assert.That(s.EvalGcThreshold, Is.EqualTo(TimeSpan.FromHours(2)));
        Assert.That(s.StartJoin, Is.EqualTo(new[] { "10.0.0.6" }));
        Assert.That(s.RetryJoin, Is.EqualTo(new[] { "10.0.0.6", "10.0.0.7" }));
        Assert.That(s.RetryInterval, Is.EqualTo(TimeSpan.FromSeconds(15)));
        Assert.That(s.RetryMaxAttempts, Is.EqualTo(5));
        Assert.That(s.RejoinAfterLeave, Is.True);
    }

    [TestCaseSource(nameof(Sources))]
    public void ClientKeys(AgentConfig c)
    {
        var cl = c.Client;
        Assert.That(cl.Enabled, Is.True);
        Assert.That(cl.Servers, Is.EqualTo(new[] { "10.0.0.6:4647" }));
        Assert.That(cl.StateDir, Is.EqualTo("/opt/nomad/state"));
        Assert.That(cl.AllocDir, Is.EqualTo("/opt/nomad/alloc"));
        Assert.That(cl.NodeClass, Is.EqualTo("compute"));
        Assert.That(cl.NetworkInterface, Is.EqualTo("eth0"));
        Assert.That(cl.NetworkSpeed, Is.EqualTo(1000));
        Assert.That(cl.Meta, Is.EqualTo(new Dictionary<string, string> { ["rack"] = "r1", ["zone.id"] = "z1", ["weight"] = "3" }));
        Assert.That(cl.Options, Is.EqualTo(new Dictionary<string, string> { ["driver.raw_exec.enable"] = "1" }));
        Assert.That(cl.Reserved, Is.EqualTo(new ReservedConfig { Cpu = 500, MemoryMB = 256, DiskMB = 1024, ReservedPorts = "22,80,8000-8100" }));
        Assert.That(cl.HostVolumes, Is.EqualTo(new Dictionary<string, HostVolumeConfig>
        {
            ["data"] = new() { Name = "data", Path = "/srv/data" },
            ["certs"] = new() { Name = "certs", Path = "/etc/ssl/certs", ReadOnly = true },
        }));
    }

    [TestCaseSource(nameof(Sources))]
    public void Plugins(AgentConfig c)
    {
        Assert.That(c.Plugins.Keys, Is.EquivalentTo(new[] { "raw_exec", "docker" }));
        var raw = c.Plugins["raw_exec"];
        Assert.That(raw.Name, Is.EqualTo("raw_exec"));
        Assert.That(raw.Args, Is.Null);
        Assert.That(raw.Config, Is.EqualTo(new Dictionary<string, object?> { ["enabled"] = true }));

        var docker = c.Plugins["docker"];
        Assert.That(docker.Args, Is.EqualTo(new[] { "-debug" }));
        Assert.That(docker.Config["allow_caps"], Is.EqualTo(new List<object?> { "chown", "kill" }));
        Assert.That(docker.Config["volumes"], Is.EqualTo(new Dictionary<string, object?> { ["enabled"] = true }));
        Assert.That(docker.Config["gc"], Is.EqualTo(new Dictionary<string, object?> { ["image_delay"] = "3m", ["container"] = false }));
        Assert.That(docker.Config["pull_timeout"], Is.EqualTo(5L));
        Assert.That(docker.Config["ratio"], Is.EqualTo(0.5));
    }

    [Test]
    public void HclAndJsonDecodeToTheSameConfig()
    {
        var hcl = ConfigLoader.ParseHcl(Hcl, "agent.hcl");
        var json = ConfigLoader.ParseJson(Json, "agent.json");
        Assert.That(JsonSerializer.Serialize(json), Is.EqualTo(JsonSerializer.Serialize(hcl)));
    }

    [Test]
    public void ServerJoinBlockSetsTheJoinKeys()
    {
        var c = ConfigLoader.ParseHcl("""
            server {
              server_join {
                retry_join     = ["a", "b"]
                start_join     = ["c"]
                retry_max      = 3
                retry_interval = "1m"
              }
            }
            """, "agent.hcl");
        Assert.That(c.Server.RetryJoin, Is.EqualTo(new[] { "a", "b" }));
        Assert.That(c.Server.StartJoin, Is.EqualTo(new[] { "c" }));
        Assert.That(c.Server.RetryMaxAttempts, Is.EqualTo(3));
        Assert.That(c.Server.RetryInterval, Is.EqualTo(TimeSpan.FromMinutes(1)));
    }

    [Test]
    public void ClientServerJoinAddsToTheServers()
    {
        // Nomad's documented way to point a client at its servers; a config using it must load.
        var c = ConfigLoader.ParseHcl("""
            client {
              enabled = true
              servers = ["10.0.0.1:4647"]
              server_join {
                retry_join     = ["10.0.0.2", "10.0.0.3:4647"]
                start_join     = ["10.0.0.1:4647"]
                retry_max      = 3
                retry_interval = "15s"
              }
            }
            """, "agent.hcl");
        Assert.That(c.Client.Servers, Is.EqualTo(new[] { "10.0.0.1:4647", "10.0.0.2", "10.0.0.3:4647" }));
        Assert.That(c.Unsupported, Has.Count.EqualTo(2));
        Assert.That(c.Unsupported, Has.Some.EndsWith(": client.server_join.retry_max"));
        Assert.That(c.Unsupported, Has.Some.EndsWith(": client.server_join.retry_interval"));

        var bad = Assert.Throws<ConfigException>(() => ConfigLoader.ParseHcl("client {\n  server_join {\n    retry_max = \"x\"\n  }\n}\n", "agent.hcl"))!;
        Assert.That(bad.Message, Is.EqualTo("agent.hcl:3:17: client.server_join.retry_max: must be a whole number >= 0"));
    }

    [Test]
    public void Hcl1StyleBlocksAsObjectAttributes()
    {
        var c = ConfigLoader.ParseHcl("server = {\n  enabled = true\n}\nclient {\n  meta = { a = \"b\" }\n}\n", "agent.hcl");
        Assert.That(c.Server.Enabled, Is.True);
        Assert.That(c.Client.Meta, Is.EqualTo(new Dictionary<string, string> { ["a"] = "b" }));
    }

    [Test]
    public void RepeatedBlocksInOneFileApplyInOrder()
    {
        var c = ConfigLoader.ParseHcl("""
            server {
              enabled        = true
              num_schedulers = 1
            }
            client {
              meta { a = "1" }
            }
            server {
              num_schedulers = 2
            }
            client {
              meta { b = "2" }
            }
            plugin "docker" {
              config { a = 1 }
            }
            plugin "docker" {
              config { b = 2 }
            }
            """, "agent.hcl");
        Assert.That(c.Server.Enabled, Is.True);
        Assert.That(c.Server.NumSchedulers, Is.EqualTo(2));
        Assert.That(c.Client.Meta, Is.EqualTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2" }));
        Assert.That(c.Plugins["docker"].Config, Is.EqualTo(new Dictionary<string, object?> { ["a"] = 1L, ["b"] = 2L }));
    }

    [Test]
    public void RepeatedBlocksInsidePluginConfigBecomeAList()
    {
        var c = ConfigLoader.ParseHcl("plugin \"x\" {\n  config {\n    mount { a = 1 }\n    mount { a = 2 }\n  }\n}\n", "agent.hcl");
        Assert.That(c.Plugins["x"].Config["mount"], Is.EqualTo(new List<object?>
        {
            new Dictionary<string, object?> { ["a"] = 1L },
            new Dictionary<string, object?> { ["a"] = 2L },
        }));
    }

    [Test]
    public void EmptyFilesGiveAnEmptyConfig()
    {
        Assert.That(JsonSerializer.Serialize(ConfigLoader.ParseHcl("# nothing\n", "a.hcl")), Is.EqualTo(JsonSerializer.Serialize(new AgentConfig())));
        Assert.That(JsonSerializer.Serialize(ConfigLoader.ParseJson("{}", "a.json")), Is.EqualTo(JsonSerializer.Serialize(new AgentConfig())));
    }

    [Test]
    public void CorpusAgentFilesLoad()
    {
        // The agent configs in the HCL corpus that use only keys we support.
        string corpus = Path.Combine(TestPaths.TestsDir, "Hcl", "corpus");
        var c = ConfigLoader.Load([Path.Combine(corpus, "agent-dev-plugins.hcl")]);
        Assert.That(c.LogLevel, Is.EqualTo("TRACE"));
        Assert.That(c.Plugins.Keys, Is.EquivalentTo(new[] { "raw_exec", "exec", "nomad-driver-podman" }));
        Assert.That(c.Plugins["nomad-driver-podman"].Args, Is.EqualTo(new[] { "-log-level", "debug" }));
    }
}
