using Nomad.Agent.Config;

namespace Nomad.Agent.Tests.Config;

/// <summary>Every bad config gives one line naming file:line:col and the key.</summary>
[TestFixture]
public sealed class ConfigErrorTests
{
    private static readonly object[] HclCases =
    [
        new object[] { "bogus = 1\n", "agent.hcl:1:1: unknown key \"bogus\"" },
        new object[] { "server {\n  enabled = true\n  bogus = 1\n}\n", "agent.hcl:3:3: unknown key \"bogus\" in server" },
        new object[] { "client {\n  reserved {\n    gpu = 1\n  }\n}\n", "agent.hcl:3:5: unknown key \"gpu\" in client.reserved" },
        new object[] { "server {\n  server_join {\n    join = []\n  }\n}\n", "agent.hcl:3:5: unknown key \"join\" in server.server_join" },
        new object[] { "ports {\n  grpc = 1\n}\n", "agent.hcl:2:3: unknown key \"grpc\" in ports" },
        new object[] { "plugin \"raw_exec\" {\n  enabled = true\n}\n", "agent.hcl:2:3: unknown key \"enabled\" in plugin \"raw_exec\"" },
        new object[] { "region = \"x\"\nlog_level = \"LOUD\"\n", "agent.hcl:2:13: log_level: invalid value \"LOUD\" (want TRACE, DEBUG, INFO, WARN, ERROR)" },
        new object[] { "ports {\n  http = 70000\n}\n", "agent.hcl:2:10: ports.http: must be a number between 1 and 65535" },
        new object[] { "ports {\n  rpc = \"abc\"\n}\n", "agent.hcl:2:9: ports.rpc: must be a number between 1 and 65535" },
        new object[] { "ports {\n  serf = 1.5\n}\n", "agent.hcl:2:10: ports.serf: must be a number between 1 and 65535" },
        new object[] { "server {\n  raft_multiplier = 11\n}\n", "agent.hcl:2:21: server.raft_multiplier: must be a number between 0 and 10" },
        new object[] { "server {\n  heartbeat_grace = \"10\"\n}\n", "agent.hcl:2:21: server.heartbeat_grace: invalid duration \"10\" (want e.g. \"10s\", \"1m30s\", \"500ms\")" },
        new object[] { "server {\n  job_gc_threshold = 4\n}\n", "agent.hcl:2:22: server.job_gc_threshold: invalid duration 4 (want e.g. \"10s\", \"1m30s\", \"500ms\")" },
        new object[] { "server {\n  min_heartbeat_ttl = \"-5s\"\n}\n", "agent.hcl:2:23: server.min_heartbeat_ttl: must not be negative (got \"-5s\")" },
        new object[] { "server {\n  enabled = \"yes\"\n}\n", "agent.hcl:2:13: server.enabled: must be true or false" },
        new object[] { "server {\n  bootstrap_expect = -1\n}\n", "agent.hcl:2:22: server.bootstrap_expect: must be a whole number >= 0" },
        new object[] { "server {\n  num_schedulers = -1\n}\n", "agent.hcl:2:20: server.num_schedulers: must be a whole number >= 0" },
        new object[] { "server {\n  max_heartbeats_per_second = -1\n}\n", "agent.hcl:2:31: server.max_heartbeats_per_second: must be a number >= 0" },
        new object[] { "server {\n  retry_join = \"10.0.0.1\"\n}\n", "agent.hcl:2:16: server.retry_join: must be a list of strings" },
        new object[] { "client {\n  servers = [\"a\", 1]\n}\n", "agent.hcl:2:13: client.servers: must be a list of strings" },
        new object[] { "client {\n  meta {\n    a = [1]\n  }\n}\n", "agent.hcl:3:9: client.meta.a: must be a string" },
        new object[] { "client {\n  reserved {\n    reserved_ports = \"22,abc\"\n  }\n}\n", "agent.hcl:3:22: client.reserved.reserved_ports: invalid port range \"abc\" (want e.g. \"22,80,8000-8100\")" },
        new object[] { "client {\n  reserved {\n    reserved_ports = \"90-80\"\n  }\n}\n", "agent.hcl:3:22: client.reserved.reserved_ports: invalid port range \"90-80\" (want e.g. \"22,80,8000-8100\")" },
        new object[] { "bind_addr = \"1.2.3.4:80\"\n", "agent.hcl:1:13: bind_addr: invalid address \"1.2.3.4:80\" (want an IP address or host name, or a go-sockaddr template)" },
        new object[] { "advertise {\n  rpc = \"a b\"\n}\n", "agent.hcl:2:9: advertise.rpc: invalid address \"a b\" (want an IP address or host name, optionally with :port, or a go-sockaddr template)" },
        new object[] { "log_level = \"a\\nb\"\n", "agent.hcl:1:13: log_level: invalid value \"a\\nb\" (want TRACE, DEBUG, INFO, WARN, ERROR)" },
        new object[] { "region = 5\n", "agent.hcl:1:10: region: must be a string" },
        new object[] { "server = 5\n", "agent.hcl:1:10: server: must be a block" },
        new object[] { "name = var.node\n", "agent.hcl:1:8: name: expressions are not supported in agent configuration (quote \"var.node\" if it is a string)" },
        new object[] { "data_dir = \"/x\"\nlog_level = \"DEBUG\n", "agent.hcl:2:13: unterminated string" },
        new object[] { "server {\n  enabled = true\n", "agent.hcl:1:8: unclosed block \"server\" (missing \"}\")" },
        // Labels: an unnamed plugin is not a plugin named after its first key.
        new object[] { "plugin {\n  config {\n  }\n}\n", "agent.hcl:1:1: plugin: a plugin block needs one label, its name (plugin \"NAME\" { ... })" },
        new object[] { "plugin \"a\" \"b\" {\n}\n", "agent.hcl:1:1: plugin: a plugin block takes one label, its name (got 2: \"a\" \"b\")" },
        new object[] { "server \"x\" {\n  enabled = true\n}\n", "agent.hcl:1:1: server: a server block takes no labels (got \"x\")" },
        new object[] { "client {\n  host_volume {\n    path = \"/x\"\n  }\n}\n", "agent.hcl:2:3: client.host_volume: a host_volume block needs one label, its name (host_volume \"NAME\" { ... })" },
        new object[] { "client {\n  host_volume \"d\" {\n    read_only = true\n  }\n}\n", "agent.hcl:2:19: client.host_volume.d.path: is required" },
        new object[] { "client {\n  host_volume \"d\" {\n    path = \"srv\"\n  }\n}\n", "agent.hcl:2:19: client.host_volume.d.path: must be an absolute path, got \"srv\"" },
        new object[] { "client {\n  host_volume \"d\" {\n    path = \"/srv\"\n    size = 1\n  }\n}\n", "agent.hcl:4:5: unknown key \"size\" in client.host_volume \"d\"" },
        new object[] { "client {\n  reserved \"r\" {\n    cpu = 1\n  }\n}\n", "agent.hcl:2:3: client.reserved: a reserved block takes no labels (got \"r\")" },
    ];

    [TestCaseSource(nameof(HclCases))]
    public void Hcl(string source, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.ParseHcl(source, "agent.hcl"))!;
        Assert.That(ex.Message, Is.EqualTo(expected));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
    }

    private static readonly object[] JsonCases =
    [
        new object[] { "{\"ports\": {\"http\": 0}}", "a.json:1:20: ports.http: must be a number between 1 and 65535" },
        new object[] { "{\n  \"log_level\": \"LOUD\"\n}", "a.json:2:16: log_level: invalid value \"LOUD\" (want TRACE, DEBUG, INFO, WARN, ERROR)" },
        new object[] { "{\n  \"server\": [{\n    \"bogus\": 1\n  }]\n}", "a.json:3:5: unknown key \"bogus\" in server" },
        new object[] { "{\"r\u00e9gion\": \"x\"}", "a.json:1:2: unknown key \"r\u00e9gion\"" },
        new object[] { "{\"name\": \"\u00e9\", \"bogus\": 1}", "a.json:1:15: unknown key \"bogus\"" },
        new object[] { "{\"client\": {\"meta\": [1]}}", "a.json:1:21: client.meta: must be a block" },
        new object[] { "{\"plugin\": {\"docker\": {\"config\": 1}}}", "a.json:1:34: plugin.docker.config: must be a block" },
        new object[] { "[1]", "a.json:1:1: the top level of a JSON config must be an object" },
    ];

    [TestCaseSource(nameof(JsonCases))]
    public void Json(string source, string expected)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.ParseJson(source, "a.json"))!;
        Assert.That(ex.Message, Is.EqualTo(expected));
    }

    [TestCase("{\"ports\": ", "a.json:1:11: invalid JSON: ")]
    [TestCase("{\n  \"a\": 1,,\n}", "a.json:2:10: invalid JSON: ")]
    [TestCase("{} x", "a.json:1:4: invalid JSON: ")]
    public void MalformedJson(string source, string expectedStart)
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.ParseJson(source, "a.json"))!;
        Assert.That(ex.Message, Does.StartWith(expectedStart));
        Assert.That(ex.Message, Does.Not.Contain("LineNumber"));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void MissingPath()
    {
        var ex = Assert.Throws<ConfigException>(() => ConfigLoader.Load(["/nonexistent/agent.hcl"]))!;
        Assert.That(ex.Message, Is.EqualTo("/nonexistent/agent.hcl: no such file or directory"));
    }
}
