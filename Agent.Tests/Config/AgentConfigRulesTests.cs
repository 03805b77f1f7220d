using Nomad.Agent.Config;

namespace Nomad.Agent.Tests.Config;

/// <summary>DevDefaults, WithDefaults and the cross-field rules of Validate.</summary>
[TestFixture]
public sealed class AgentConfigRulesTests
{
    [Test]
    public void DevDefaults()
    {
        var dev = AgentConfig.DevDefaults();
        Assert.That(dev.DevMode, Is.True);
        Assert.That(dev.BindAddr, Is.EqualTo("127.0.0.1"));
        Assert.That(dev.LogLevel, Is.EqualTo("DEBUG"));
        Assert.That(dev.Server.Enabled, Is.True);
        Assert.That(dev.Server.BootstrapExpect, Is.EqualTo(1));
        Assert.That(dev.Client.Enabled, Is.True);
        Assert.That(dev.Plugins["raw_exec"].Config["enabled"], Is.EqualTo(true));
        Assert.DoesNotThrow(() => dev.WithDefaults().Validate());
    }

    [Test]
    public void FilesMergeOverDevDefaults()
    {
        var file = ConfigLoader.ParseHcl("log_level = \"WARN\"\nplugin \"raw_exec\" {\n  config {\n    no_cgroups = true\n  }\n}\n", "dev.hcl");
        var c = AgentConfig.DevDefaults().Merge(file);
        Assert.That(c.LogLevel, Is.EqualTo("WARN"));
        Assert.That(c.BindAddr, Is.EqualTo("127.0.0.1"));
        Assert.That(c.Plugins["raw_exec"].Config, Is.EqualTo(new Dictionary<string, object?> { ["enabled"] = true, ["no_cgroups"] = true }));
    }

    [Test]
    public void RaftMultiplierZeroMeansUnsetAsInNomad()
    {
        var file = ConfigLoader.ParseHcl("server {\n  raft_multiplier = 0\n}\n", "s.hcl");
        Assert.That(new AgentConfig { DataDir = "/d" }.Merge(file).WithDefaults().Server.RaftMultiplier, Is.EqualTo(1));
    }

    [Test]
    public void WithDefaultsFillsNomadsDefaults()
    {
        var c = new AgentConfig { DataDir = "/var/lib/nomad" }.WithDefaults();
        Assert.That(c.Region, Is.EqualTo("global"));
        Assert.That(c.Datacenter, Is.EqualTo("dc1"));
        Assert.That(c.NodeName, Is.EqualTo(System.Net.Dns.GetHostName()));
        Assert.That(c.BindAddr, Is.EqualTo("0.0.0.0"));
        Assert.That(c.LogLevel, Is.EqualTo("INFO"));
        Assert.That(c.PluginDir, Is.EqualTo("/var/lib/nomad/plugins"));
        Assert.That(c.Ports, Is.EqualTo(new Ports { Http = 4646, Rpc = 4647, Serf = 4648 }));
        Assert.That(c.Addresses, Is.EqualTo(new Addresses { Http = "0.0.0.0", Rpc = "0.0.0.0", Serf = "0.0.0.0" }));
        Assert.That(c.LeaveOnInterrupt, Is.False);
        Assert.That(c.DevMode, Is.False);

        var s = c.Server;
        Assert.That(s.Enabled, Is.False);
        Assert.That(s.DataDir, Is.EqualTo("/var/lib/nomad/server"));
        Assert.That(s.NumSchedulers, Is.EqualTo(Environment.ProcessorCount));
        Assert.That(s.HeartbeatGrace, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(s.MinHeartbeatTtl, Is.EqualTo(TimeSpan.FromSeconds(10)));
        Assert.That(s.MaxHeartbeatsPerSecond, Is.EqualTo(50.0));
        Assert.That(s.FailoverHeartbeatTtl, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(s.RaftMultiplier, Is.EqualTo(1));
        Assert.That(s.NodeGcThreshold, Is.EqualTo(TimeSpan.FromHours(24)));
        Assert.That(s.NodeGcInterval, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(s.JobGcThreshold, Is.EqualTo(TimeSpan.FromHours(4)));
        Assert.That(s.EvalGcThreshold, Is.EqualTo(TimeSpan.FromHours(1)));
        Assert.That(s.RetryInterval, Is.EqualTo(TimeSpan.FromSeconds(30)));
        Assert.That(s.BootstrapExpect, Is.Null);

        Assert.That(c.Client.StateDir, Is.EqualTo("/var/lib/nomad/client"));
        Assert.That(c.Client.AllocDir, Is.EqualTo("/var/lib/nomad/alloc"));
        Assert.That(c.Client.Meta, Is.Empty);
        Assert.That(c.Client.Reserved.Cpu, Is.EqualTo(0));
    }

    [Test]
    public void WithDefaultsKeepsWhatIsSet()
    {
        var c = new AgentConfig { BindAddr = "10.0.0.1", Ports = new Ports { Http = 8080 }, Addresses = new Addresses { Rpc = "10.0.0.2" } }.WithDefaults();
        Assert.That(c.Ports, Is.EqualTo(new Ports { Http = 8080, Rpc = 4647, Serf = 4648 }));
        Assert.That(c.Addresses, Is.EqualTo(new Addresses { Http = "10.0.0.1", Rpc = "10.0.0.2", Serf = "10.0.0.1" }));
        Assert.That(c.PluginDir, Is.Null, "no data_dir, so no derived plugin_dir");
    }

    private static AgentConfig Server(string? dataDir = "/data") =>
        new() { DataDir = dataDir, Server = new ServerConfig { Enabled = true } };

    private static readonly object[] InvalidCases =
    [
        new object[] { new AgentConfig(), "at least one of server or client must be enabled" },
        new object[] { new AgentConfig { Server = new ServerConfig { Enabled = false }, Client = new ClientConfig { Enabled = false } }, "at least one of server or client must be enabled" },
        new object[] { Server(dataDir: null), "must specify data_dir for a server (or use -dev)" },
        new object[] { new AgentConfig { Client = new ClientConfig { Enabled = true, StateDir = "/s" } }, "must specify data_dir, or both client.state_dir and client.alloc_dir, for a client (or use -dev)" },
        new object[] { new AgentConfig { DataDir = "/d", Client = new ClientConfig { Enabled = true }, Server = new ServerConfig { BootstrapExpect = 3 } }, "bootstrap_expect requires the server to be enabled" },
        new object[] { Server() with { Server = new ServerConfig { Enabled = true, BootstrapExpect = 0 } }, "bootstrap_expect must be at least 1 (got 0)" },
        new object[] { AgentConfig.DevDefaults() with { Server = new ServerConfig { Enabled = true, BootstrapExpect = 3 } }, "-dev runs a single server: bootstrap_expect must be 1 (got 3)" },
        new object[] { Server(dataDir: "relative/dir"), "data_dir must be an absolute path (got \"relative/dir\")" },
        new object[] { Server() with { Client = new ClientConfig { Enabled = true, AllocDir = "alloc" } }, "client.alloc_dir must be an absolute path (got \"alloc\")" },
        new object[] { Server() with { Server = new ServerConfig { Enabled = true, NumSchedulers = -2 } }, "server.num_schedulers must not be negative (got -2)" },
        new object[] { Server() with { Server = new ServerConfig { Enabled = true, MaxHeartbeatsPerSecond = 0 } }, "server.max_heartbeats_per_second must be > 0" },
    ];

    [TestCaseSource(nameof(InvalidCases))]
    public void ValidateRejects(AgentConfig config, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => config.Validate())!;
        Assert.That(ex.Message, Is.EqualTo(expected));
        // The same problem must survive WithDefaults, which is how the agent calls Validate.
        if (config.Server.Enabled != null || config.Client.Enabled != null)
            Assert.That(Assert.Throws<ConfigException>(() => config.WithDefaults().Validate())!.Message, Is.EqualTo(expected));
    }

    private static readonly object[] ValidCases =
    [
        new object[] { Server() },
        new object[] { new AgentConfig { Client = new ClientConfig { Enabled = true, StateDir = "/s", AllocDir = "/a" } } },
        new object[] { new AgentConfig { DataDir = "/d", Client = new ClientConfig { Enabled = true } } },
        new object[] { Server() with { Server = new ServerConfig { Enabled = true, BootstrapExpect = 3 } } },
        new object[] { AgentConfig.DevDefaults() },
        new object[] { AgentConfig.DevDefaults() with { DataDir = "relative-is-fine-in-dev" } },
    ];

    [TestCaseSource(nameof(ValidCases))]
    public void ValidateAccepts(AgentConfig config)
    {
        Assert.DoesNotThrow(() => config.Validate());
        Assert.DoesNotThrow(() => config.WithDefaults().Validate());
    }
}
