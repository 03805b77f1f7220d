using System.Reflection;
using Nomad.Agent.Config;

namespace Nomad.Agent.Tests.Config;

/// <summary>Files and directories, their order, and how later sources merge over earlier ones.</summary>
[TestFixture]
public sealed class ConfigLoaderTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("nomad-config").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private string Write(string relative, string text)
    {
        string path = Path.Combine(_dir, relative);
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, text);
        return path;
    }

    [Test]
    public void LaterFilesWin()
    {
        string a = Write("a.hcl", "region = \"one\"\ndatacenter = \"dc-a\"\nserver {\n  enabled = true\n  retry_join = [\"x\", \"y\"]\n}\n");
        string b = Write("b.json", "{\"region\": \"two\", \"server\": {\"retry_join\": [\"z\"]}}");
        var c = ConfigLoader.Load([a, b]);
        Assert.That(c.Region, Is.EqualTo("two"));
        Assert.That(c.Datacenter, Is.EqualTo("dc-a"), "unset in the later file, so kept");
        Assert.That(c.Server.Enabled, Is.True);
        Assert.That(c.Server.RetryJoin, Is.EqualTo(new[] { "x", "y", "z" }), "address lists add up, as Nomad appends them");
        Assert.That(c.Files, Is.EqualTo(new[] { a, b }));

        var reversed = ConfigLoader.Load([b, a]);
        Assert.That(reversed.Region, Is.EqualTo("one"));
        Assert.That(reversed.Server.RetryJoin, Is.EqualTo(new[] { "z", "x", "y" }));
    }

    [Test]
    public void DirectoryLoadsHclAndJsonInLexicalOrder()
    {
        Write("conf/20-b.json", "{\"log_level\": \"WARN\", \"client\": {\"meta\": {\"b\": \"2\", \"shared\": \"json\"}}}");
        Write("conf/10-a.hcl", "log_level = \"DEBUG\"\nname = \"n1\"\nclient {\n  meta {\n    a = \"1\"\n    shared = \"hcl\"\n  }\n}\n");
        Write("conf/30-c.hcl", "log_level = \"ERROR\"\n");
        Write("conf/README.md", "not config");
        Write("conf/.#10-a.hcl", "garbage that would not parse {{{");
        Write("conf/40-d.hcl~", "garbage");
        Write("conf/sub/50-e.hcl", "log_level = \"TRACE\"\n");

        var c = ConfigLoader.Load([Path.Combine(_dir, "conf")]);
        Assert.That(c.Files.Select(Path.GetFileName), Is.EqualTo(new[] { "10-a.hcl", "20-b.json", "30-c.hcl" }));
        Assert.That(c.LogLevel, Is.EqualTo("ERROR"));
        Assert.That(c.NodeName, Is.EqualTo("n1"));
        Assert.That(c.Client.Meta, Is.EqualTo(new Dictionary<string, string> { ["a"] = "1", ["b"] = "2", ["shared"] = "json" }), "maps merge key by key");
    }

    [Test]
    public void FilesAndDirectoriesMix()
    {
        string first = Write("base.hcl", "region = \"r0\"\nname = \"base\"\n");
        Write("d/1.hcl", "region = \"r1\"\n");
        string last = Write("override.json", "{\"name\": \"final\"}");
        var c = ConfigLoader.Load([first, Path.Combine(_dir, "d"), last]);
        Assert.That(c.Region, Is.EqualTo("r1"));
        Assert.That(c.NodeName, Is.EqualTo("final"));
        Assert.That(c.Files.Select(Path.GetFileName), Is.EqualTo(new[] { "base.hcl", "1.hcl", "override.json" }));
    }

    [Test]
    public void AnExplicitFileOfAnyNameIsHcl()
    {
        string path = Write("agent.conf", "region = \"x\"\n");
        Assert.That(ConfigLoader.Load([path]).Region, Is.EqualTo("x"));
    }

    [TestCase("agent")]
    [TestCase("agent.conf")]
    [TestCase("agent.hcl")]
    public void AFileWhoseContentIsJsonIsReadAsJsonWhateverItsName(string name)
    {
        // Tools write JSON configs to files without the extension; a BOM and blank lines may come first.
        string path = Write(name, "\uFEFF\n  {\"region\": \"x\", \"client\": {\"enabled\": true, \"meta\": {\"a\": \"1\"}}}\n");
        var c = ConfigLoader.Load([path]);
        Assert.That(c.Region, Is.EqualTo("x"));
        Assert.That(c.Client.Enabled, Is.True);
        Assert.That(c.Client.Meta, Is.EqualTo(new Dictionary<string, string> { ["a"] = "1" }));
    }

    [Test]
    public void AJsonFileOfNoKnownExtensionIsSkippedInADirectory()
    {
        Write("conf/agent", "{\"region\": \"skipped\"}");
        Write("conf/10.hcl", "region = \"read\"\n");
        var c = ConfigLoader.Load([Path.Combine(_dir, "conf")]);
        Assert.That(c.Region, Is.EqualTo("read"));
        Assert.That(c.Files.Select(Path.GetFileName), Is.EqualTo(new[] { "10.hcl" }));
    }

    [Test]
    public void ALaterFalseDoesNotTurnOffWhatAnEarlierFileTurnedOn()
    {
        // Nomad keeps these as plain bools and merges them with `if b.X { result.X = true }`.
        string on = Write("on.hcl", "leave_on_interrupt = true\nleave_on_terminate = true\nserver {\n  enabled = true\n  rejoin_after_leave = true\n}\nclient {\n  enabled = true\n}\n");
        string off = Write("off.json", "{\"leave_on_interrupt\": false, \"leave_on_terminate\": false, \"server\": {\"enabled\": false, \"rejoin_after_leave\": false}, \"client\": {\"enabled\": false}}");
        foreach (var order in new[] { new[] { on, off }, new[] { off, on } })
        {
            var c = ConfigLoader.Load(order);
            Assert.That(new[] { c.LeaveOnInterrupt, c.LeaveOnTerminate, c.Server.Enabled, c.Server.RejoinAfterLeave, c.Client.Enabled },
                Is.All.True, string.Join(", ", order.Select(Path.GetFileName)));
        }
        var onlyOff = ConfigLoader.Load([off]);
        Assert.That(onlyOff.Client.Enabled, Is.False, "false stays false when nothing turns it on");
    }

    [Test]
    public void ZeroAndEmptyValuesOfALaterFileDoNotOverride()
    {
        string set = Write("set.hcl", """
            region = "r1"
            server {
              bootstrap_expect = 3
              heartbeat_grace = "5s"
              retry_max = 4
              retry_interval = "7s"
            }
            client {
              node_class = "c1"
              network_speed = 100
              gc_max_allocs = 10
              gc_interval = "2m"
              reserved {
                cpu = 10
              }
            }
            """);
        string zero = Write("zero.json", """
            {"region": "", "server": {"bootstrap_expect": 0, "max_heartbeats_per_second": 0, "heartbeat_grace": "0s", "retry_max": 0, "retry_interval": "0s"},
             "client": {"node_class": "", "network_speed": 0, "gc_max_allocs": 0, "gc_interval": "0s", "reserved": {"cpu": 0}}}
            """);
        var c = ConfigLoader.Load([set, zero]);
        Assert.That(c.Region, Is.EqualTo("r1"));
        Assert.That(c.Server.BootstrapExpect, Is.EqualTo(3));
        Assert.That(c.Server.HeartbeatGrace, Is.EqualTo(TimeSpan.FromSeconds(5)));
        Assert.That(c.Server.RetryMaxAttempts, Is.EqualTo(4));
        Assert.That(c.Server.RetryInterval, Is.EqualTo(TimeSpan.FromSeconds(7)));
        Assert.That(c.Client.NodeClass, Is.EqualTo("c1"));
        Assert.That(c.Client.NetworkSpeed, Is.EqualTo(100));
        Assert.That(c.Client.GcMaxAllocs, Is.EqualTo(10));
        Assert.That(c.Client.GcInterval, Is.EqualTo(TimeSpan.FromMinutes(2)));
        Assert.That(c.Client.Reserved.Cpu, Is.EqualTo(10));

        var defaults = ConfigLoader.Load([zero]).WithDefaults();
        Assert.That(defaults.Region, Is.EqualTo("global"), "an empty string is unset, so the default applies");
        Assert.That(defaults.Server.BootstrapExpect, Is.Null);
        Assert.That(defaults.Server.MaxHeartbeatsPerSecond, Is.EqualTo(50.0), "0 is unset: Nomad's default applies");
    }

    [Test]
    public void AddressListsAddUpAcrossFilesAndFlags()
    {
        string a = Write("a.hcl", "server {\n  start_join = [\"s1\"]\n}\nclient {\n  servers = [\"10.0.0.1:4647\", \"10.0.0.2:4647\"]\n}\n");
        string b = Write("b.json", "{\"server\": {\"start_join\": [\"s2\"]}, \"client\": {\"servers\": [\"10.0.0.2:4647\", \"10.0.0.3:4647\"]}}");
        var flags = new AgentConfig { Client = new ClientConfig { Servers = ["10.0.0.4:4647"] } };
        var c = ConfigLoader.Load([a, b]).Merge(flags);
        Assert.That(c.Server.StartJoin, Is.EqualTo(new[] { "s1", "s2" }));
        Assert.That(c.Client.Servers, Is.EqualTo(new[] { "10.0.0.1:4647", "10.0.0.2:4647", "10.0.0.3:4647", "10.0.0.4:4647" }));
    }

    [Test]
    public void KeysNomadKeepsAsPointersTakeALaterZero()
    {
        string a = Write("a.hcl", "server {\n  num_schedulers = 4\n  raft_multiplier = 5\n}\n");
        string b = Write("b.hcl", "server {\n  num_schedulers = 0\n  raft_multiplier = 0\n}\n");
        var c = ConfigLoader.Load([a, b]);
        Assert.That(c.Server.NumSchedulers, Is.EqualTo(0));
        Assert.That(c.WithDefaults().Server.RaftMultiplier, Is.EqualTo(1), "raft_multiplier 0 is Nomad's default");
    }

    [Test]
    public void DevKeepsItsClientAndServerWhateverAFileSays()
    {
        // A tool's JSON config in a file without extension, turning the client off and bootstrap_expect to 0.
        string path = Write("agent-config", "{\"client\": {\"enabled\": false}, \"server\": {\"enabled\": false, \"bootstrap_expect\": 0}}");
        var c = AgentHost.LoadConfig(new AgentConfig { DevMode = true }, [path]);
        Assert.That(c.Client.Enabled, Is.True);
        Assert.That(c.Server.Enabled, Is.True);
        Assert.That(c.Server.BootstrapExpect, Is.EqualTo(1));
    }

    [Test]
    public void ErrorsNameTheFileAsGiven()
    {
        string path = Write("conf/bad.hcl", "server {\n  bogus = true\n}\n");
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load([Path.Combine(_dir, "conf")]))!;
        Assert.That(ex.Message, Is.EqualTo($"{path}:2:3: unknown key \"bogus\" in server"));
    }

    [Test]
    public void EmptyDirectoryLoadsNothing()
    {
        Directory.CreateDirectory(Path.Combine(_dir, "empty"));
        var c = ConfigLoader.Load([Path.Combine(_dir, "empty")]);
        Assert.That(c.Files, Is.Empty);
        Assert.That(c.Region, Is.Null);
    }

    [Test]
    public void PluginsMergeByNameAndConfigKeysMerge()
    {
        string a = Write("a.hcl", "plugin \"docker\" {\n  args = [\"-a\"]\n  config {\n    x = 1\n    y = 1\n  }\n}\nplugin \"raw_exec\" {\n  config {\n    enabled = true\n  }\n}\n");
        string b = Write("b.hcl", "plugin \"docker\" {\n  config {\n    y = 2\n  }\n}\n");
        var c = ConfigLoader.Load([a, b]);
        Assert.That(c.Plugins["docker"].Args, Is.EqualTo(new[] { "-a" }));
        Assert.That(c.Plugins["docker"].Config, Is.EqualTo(new Dictionary<string, object?> { ["x"] = 1L, ["y"] = 2L }));
        Assert.That(c.Plugins["raw_exec"].Config["enabled"], Is.EqualTo(true));
    }

    [Test]
    public void MergeTakesEverySetFieldOfTheLaterConfig()
    {
        // Guards against a field added to a record but forgotten in its Merge.
        var full = ConfigLoader.ParseHcl(File.ReadAllText(Path.Combine(TestPaths.TestsDir, "Config", "testdata", "full.hcl")), "full.hcl");
        AssertAllSet(full, "config");
        var merged = new AgentConfig().Merge(full);
        Assert.That(System.Text.Json.JsonSerializer.Serialize(merged), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(full)));
        var kept = full.Merge(new AgentConfig());
        Assert.That(System.Text.Json.JsonSerializer.Serialize(kept), Is.EqualTo(System.Text.Json.JsonSerializer.Serialize(full)));
    }

    private static void AssertAllSet(object record, string path)
    {
        foreach (var prop in record.GetType().GetProperties(BindingFlags.Public | BindingFlags.Instance))
        {
            if (prop.Name == "EqualityContract" || prop.Name is "DevMode" or "Files") continue;
            object? value = prop.GetValue(record);
            Assert.That(value, Is.Not.Null, $"{path}.{prop.Name} is not set in testdata/full.hcl");
            if (value!.GetType().Namespace == typeof(AgentConfig).Namespace) AssertAllSet(value, $"{path}.{prop.Name}");
        }
    }
}
