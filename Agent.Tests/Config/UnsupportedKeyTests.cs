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
