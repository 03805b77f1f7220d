using Nomad.Agent.Config;

namespace Nomad.Agent.Tests.Config;

/// <summary>Nomad keys for features we do not have yet load with a warning, where unknown keys are errors.</summary>
public sealed class UnsupportedKeyTests
{
    [Test]
    public void Real_nomad_keys_we_do_not_support_are_recorded_not_rejected()
    {
        var c = ConfigLoader.ParseHcl("region = \"r1\"\ntelemetry {\n  prometheus_metrics = true\n}\nvault {\n  enabled = false\n}\n", "agent.hcl");
        Assert.That(c.Region, Is.EqualTo("r1"));
        Assert.That(c.Unsupported, Is.EqualTo(new[] { "agent.hcl:2:1: telemetry", "agent.hcl:5:1: vault" }));
    }

    [Test]
    public void Unsupported_keys_accumulate_across_files_and_unknown_keys_still_fail()
    {
        var merged = ConfigLoader.ParseHcl("consul {}\n", "a.hcl").Merge(ConfigLoader.ParseHcl("tls {}\n", "b.hcl"));
        Assert.That(merged.Unsupported, Is.EqualTo(new[] { "a.hcl:1:1: consul", "b.hcl:1:1: tls" }));
        var e = Assert.Throws<ConfigException>(() => ConfigLoader.ParseHcl("telemetri {}\n", "c.hcl"));
        Assert.That(e!.Message, Is.EqualTo("c.hcl:1:1: unknown key \"telemetri\""));
    }
}

/// <summary>client.servers (or -servers) names where the client registers: a bad one is an error at start, not endless retries.</summary>
public sealed class ClientServersRuleTests
{
    [TestCase("10.0.0.1")]
    [TestCase("10.0.0.1:4647")]
    [TestCase("nomad.example:4647")]
    [TestCase("[::1]:4647")]
    public void Good_addresses_pass(string server) =>
        Assert.DoesNotThrow(() => Dev(server).Validate());

    [TestCase("10.0.0.1:bar")]
    [TestCase("10.0.0.1:0")]
    [TestCase("10.0.0.1:70000")]
    [TestCase("not an address")]
    [TestCase("")]
    public void Bad_addresses_name_the_field(string server)
    {
        var e = Assert.Throws<ConfigException>(() => Dev(server).Validate());
        Assert.That(e!.Message, Is.EqualTo($"client.servers: \"{server}\" is not host or host:port"));
    }

    private static AgentConfig Dev(string server) =>
        AgentConfig.DevDefaults().Merge(new AgentConfig { Client = new ClientConfig { Servers = [server] } }).WithDefaults();
}
