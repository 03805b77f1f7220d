using System.Text.Json;
using StreamJsonRpc;

namespace Nomad.Drivers.RawExec.Tests;

/// <summary>The handshake, configuration, fingerprint and validation, against the real driver process.</summary>
public sealed class PluginTests : DriverTest
{
    private static JsonElement J(object o) => JsonSerializer.SerializeToElement(o);

    [Test]
    public async Task Handshake_names_the_plugin_and_protocol()
    {
        var d = await StartDriver(enable: false);
        var info = await d.Call<PluginInfo>(PluginProtocol.Methods.PluginInfo);
        Assert.That(info, Is.EqualTo(new PluginInfo("raw_exec", "driver", "0.1.0", PluginProtocol.Version)));
    }

    [Test]
    public async Task Disabled_until_configured_then_healthy_and_pushed()
    {
        var d = await StartDriver(enable: false);
        var fp = await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        Assert.That(fp.Health, Is.EqualTo(DriverHealth.Undetected));
        Assert.That(fp.HealthDescription, Is.EqualTo("raw_exec is disabled"));
        Assert.That(fp.Attributes, Does.Not.ContainKey("driver.raw_exec"));

        var r = await d.Call<ValidationResult>(PluginProtocol.Methods.SetConfig, J(new { enabled = true }));
        Assert.That(r.Errors, Is.Empty);
        fp = await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        Assert.That(fp.Health, Is.EqualTo(DriverHealth.Healthy));
        Assert.That(fp.Attributes["driver.raw_exec"], Is.EqualTo("1"));
        await Os.Eventually(() => d.Pushed.Any(p => p.Health == DriverHealth.Healthy), "a FingerprintChanged notification");
    }

    [Test]
    public async Task Empty_plugin_config_keeps_it_disabled()
    {
        var d = await StartDriver(enable: false);
        var r = await d.Call<ValidationResult>(PluginProtocol.Methods.SetConfig, J(new { }));
        Assert.That(r.Errors, Is.Empty);
        var fp = await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        Assert.That(fp.Health, Is.EqualTo(DriverHealth.Undetected));
    }

    [Test]
    public async Task Bad_plugin_config_names_the_fields()
    {
        var d = await StartDriver(enable: false);
        var r = await d.Call<ValidationResult>(PluginProtocol.Methods.SetConfig, J(new { enabled = "yes", bogus = 1, no_cgroups = true }));
        Assert.That(r.Errors, Is.EquivalentTo(new[] { "config.enabled: must be a bool", "config.bogus: unknown field" }));
        var fp = await d.Call<DriverFingerprint>(PluginProtocol.Methods.Fingerprint);
        Assert.That(fp.Health, Is.EqualTo(DriverHealth.Undetected), "a rejected config is not applied");
    }

    [Test]
    public async Task Capabilities()
    {
        var d = await StartDriver(enable: false);
        var c = await d.Call<DriverCapabilities>(PluginProtocol.Methods.Capabilities);
        Assert.That(c, Is.EqualTo(new DriverCapabilities(SendSignals: true, Exec: true, FSIsolation: "none") { ExecStreaming = true }));
    }

    private static readonly object[] BadConfigs =
    [
        new object[] { new { args = new[] { "x" } }, "config.command: required" },
        new object[] { new { command = "" }, "config.command: must not be empty" },
        new object[] { new { command = 5 }, "config.command: must be a string" },
        new object[] { new { command = "/bin/true", args = "x" }, "config.args: must be a list of strings" },
        new object[] { new { command = "/bin/true", args = new object[] { "a", 1 } }, "config.args: must be a list of strings" },
        new object[] { new { command = "/bin/true", bogus = true }, "config.bogus: unknown field" },
    ];

    [TestCaseSource(nameof(BadConfigs))]
    public async Task Task_config_errors_are_one_line_naming_the_field(object config, string error)
    {
        var d = await StartDriver(enable: false);
        var r = await d.Call<ValidationResult>(PluginProtocol.Methods.ValidateTaskConfig, J(config));
        Assert.That(r.Errors, Is.EqualTo(new[] { error }));
    }

    [Test]
    public async Task Valid_task_config_has_no_errors()
    {
        var d = await StartDriver(enable: false);
        var r = await d.Call<ValidationResult>(PluginProtocol.Methods.ValidateTaskConfig, J(new { command = "/bin/echo", args = new[] { "hi" } }));
        Assert.That(r.Errors, Is.Empty);
        r = await d.Call<ValidationResult>(PluginProtocol.Methods.ValidateTaskConfig, J(new { command = "/bin/true" }));
        Assert.That(r.Errors, Is.Empty);
    }

    [Test]
    public async Task StartTask_refuses_while_disabled()
    {
        var d = await StartDriver(enable: false);
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() => d.Call<TaskHandle>(PluginProtocol.Methods.StartTask, Sh("t", "exit 0")));
        Assert.That(e!.Message, Does.Contain("disabled"));
    }

    [Test]
    public async Task StartTask_reports_a_missing_command()
    {
        var d = await StartDriver();
        var e = await Assert.ThrowsAsync<RemoteInvocationException>(() => d.Call<TaskHandle>(PluginProtocol.Methods.StartTask, Task("t", "no-such-command-here", [])));
        Assert.That(e!.Message, Does.Contain("no-such-command-here").And.Contain("not found"));
    }
}
