using System.Net.Http.Json;
using System.Text.Json;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Driver plugins found in a plugin directory, run out of process (here: a driver written in Python),
/// and supervised: bad ones are reported and skipped, crashing or hanging ones marked unhealthy and
/// restarted with backoff, new ones picked up and removed ones dropped without an agent restart.
/// </summary>
[TestFixture]
public sealed class PluginTests
{
    [Test]
    public async Task A_third_party_driver_loads_and_reports_healthy()
    {
        var plugins = new PluginDir();
        plugins.AddMock("mock");
        await using var agent = AgentProcess.Start(["-dev", $"-plugin-dir={plugins.Path}"]);
        var nodeId = await agent.WaitForReadyNodeAsync();
        var driver = await WaitForDriver(agent, nodeId, "mock", d => d.GetProperty("Healthy").GetBoolean());
        Assert.That(driver.GetProperty("Detected").GetBoolean(), Is.True);
        Assert.That(driver.GetProperty("Attributes").GetProperty("driver.mock").GetString(), Is.EqualTo("1"));
        var node = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/node/{nodeId}");
        Assert.That(node.GetProperty("Attributes").GetProperty("driver.mock").GetString(), Is.EqualTo("1"));
        await agent.WaitForLineAsync("agent: detected plugin: name=mock type=driver plugin_version=0.1.0");
        await agent.WaitForLineAsync("plugin.mock: mock driver ready");
        await agent.WaitForLineAsync("client: available drivers [");
    }

    [Test]
    public async Task A_dotnet_driver_shipped_as_a_dll_runs_under_plugin_host()
    {
        var plugins = new PluginDir();
        plugins.AddSampleDotnetDriver();
        await using var agent = AgentProcess.Start(["-dev", $"-plugin-dir={plugins.Path}"]);
        var nodeId = await agent.WaitForReadyNodeAsync();
        var driver = await WaitForDriver(agent, nodeId, "sleep", d => d.GetProperty("Healthy").GetBoolean());
        Assert.That(driver.GetProperty("Attributes").GetProperty("driver.sleep").GetString(), Is.EqualTo("1"));
        Assert.That(File.Exists(Path.Combine(plugins.Path, "sleep", "Nomad.Contracts.dll")), Is.False, "the plugin shares the agent's Contracts");
    }

    [Test]
    public async Task A_broken_manifest_is_reported_and_the_agent_goes_on()
    {
        var plugins = new PluginDir();
        plugins.AddRaw("broken", "{ this is not json");
        plugins.AddRaw("typeless", """{ "name": "typeless", "type": "gadget", "entry": "x" }""");
        plugins.AddMock("mock");
        await using var agent = AgentProcess.Start(["-dev", $"-plugin-dir={plugins.Path}"]);
        var nodeId = await agent.WaitForReadyNodeAsync();
        await agent.WaitForLineAsync("broken/plugin.json: invalid JSON");
        await agent.WaitForLineAsync("typeless/plugin.json: type: must be \"driver\" or \"fingerprint\", got \"gadget\"");
        await WaitForDriver(agent, nodeId, "mock", d => d.GetProperty("Healthy").GetBoolean());
    }

    [Test]
    public async Task A_protocol_version_mismatch_names_the_plugin_and_both_versions()
    {
        var plugins = new PluginDir();
        plugins.AddMock("mock_old", mode: "protocol");
        await using var agent = AgentProcess.Start(["-dev", $"-plugin-dir={plugins.Path}"]);
        var nodeId = await agent.WaitForReadyNodeAsync();
        var driver = await WaitForDriver(agent, nodeId, "mock_old", d => d.GetProperty("HealthDescription").GetString()!.Contains("protocol"));
        Assert.That(driver.GetProperty("Healthy").GetBoolean(), Is.False);
        Assert.That(driver.GetProperty("HealthDescription").GetString(), Is.EqualTo("protocol version mismatch: plugin mock_old speaks 99, agent speaks 1"));
    }

    [TestCase("garbage", "invalid protocol data")]
    [TestCase("exit", "plugin process exited with code 3")]
    public async Task A_failing_driver_is_unhealthy_with_the_reason_and_restarted_with_backoff(string mode, string reason)
    {
        var plugins = new PluginDir();
        plugins.AddMock("bad", mode);
        await using var agent = AgentProcess.Start(["-dev", $"-plugin-dir={plugins.Path}"]);
        var nodeId = await agent.WaitForReadyNodeAsync();
        var driver = await WaitForDriver(agent, nodeId, "bad", d => d.GetProperty("HealthDescription").GetString()!.Contains(reason));
        Assert.That(driver.GetProperty("Healthy").GetBoolean(), Is.False);
        await agent.WaitForLineAsync("plugin=bad", TimeSpan.FromSeconds(5));
        await agent.WaitForLineAsync("restarting in 5s");
        await agent.WaitForLineAsync("restarting in 10s", TimeSpan.FromSeconds(30));
        Assert.That(agent.HasExited, Is.False, "the agent keeps running");
    }

    [Test]
    public async Task A_hung_driver_fails_its_health_check()
    {
        var plugins = new PluginDir();
        plugins.AddMock("hung", "hang");
        await using var agent = AgentProcess.Start(["-dev", $"-plugin-dir={plugins.Path}"]);
        var nodeId = await agent.WaitForReadyNodeAsync();
        await WaitForDriver(agent, nodeId, "hung", d => d.GetProperty("HealthDescription").GetString()!.Contains("did not answer a health check"), TimeSpan.FromSeconds(40));
    }

    [Test]
    public async Task Plugins_are_hot_plugged_and_removed_without_a_restart()
    {
        var plugins = new PluginDir();
        await using var agent = AgentProcess.Start(["-dev", $"-plugin-dir={plugins.Path}"]);
        var nodeId = await agent.WaitForReadyNodeAsync();
        plugins.AddMock("late");
        await WaitForDriver(agent, nodeId, "late", d => d.GetProperty("Healthy").GetBoolean());
        plugins.Remove("late");
        var gone = await WaitForDriver(agent, nodeId, "late", d => !d.GetProperty("Detected").GetBoolean());
        Assert.That(gone.GetProperty("Healthy").GetBoolean(), Is.False);
    }

    private static async Task<JsonElement> WaitForDriver(AgentProcess agent, string nodeId, string name, Func<JsonElement, bool> condition, TimeSpan? timeout = null) =>
        (JsonElement)await Eventually.WaitAsync<object>(async () =>
        {
            var node = await agent.Http.GetFromJsonAsync<JsonElement>($"/v1/node/{nodeId}");
            return node.GetProperty("Drivers").TryGetProperty(name, out var d) && condition(d) ? d : null;
        }, timeout ?? TimeSpan.FromSeconds(30), $"driver {name} to meet the condition");
}
