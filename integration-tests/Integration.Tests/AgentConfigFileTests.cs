using System.Text.RegularExpressions;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>Config files as Nomad's tools write them: JSON without an extension, merged over -dev as Nomad merges.</summary>
[TestFixture]
public sealed class AgentConfigFileTests
{
    [Test]
    public async Task Dev_with_a_json_file_without_extension_turning_the_client_off_still_runs_a_client()
    {
        var dir = Directory.CreateTempSubdirectory("nomad-it-").FullName;
        var file = Path.Combine(dir, "agent-config");
        File.WriteAllText(file, """{"client": {"enabled": false}, "server": {"bootstrap_expect": 0}, "datacenter": "from-json"}""");
        await using var agent = AgentProcess.Start(["-dev", $"-config={file}"], dir: dir);
        await agent.WaitForReadyNodeAsync();
        Assert.That(agent.Lines.Any(l => Regex.IsMatch(l, @"^\s+Client: true$")), agent.Output);
        Assert.That(agent.Lines.Any(l => Regex.IsMatch(l, @"^\s+Server: true$")), agent.Output);
        Assert.That(agent.Output, Does.Contain("Region: global (DC: from-json)"), "the JSON file was read");
    }

    [TestCase("plugin {\n  config {\n  }\n}\n", "plugin: a plugin block needs one label")]
    [TestCase("plugin \"raw_exec\" \"extra\" {\n  config {\n    enabled = true\n  }\n}\n", "plugin: a plugin block takes one label")]
    public async Task A_plugin_block_without_exactly_one_name_is_one_line_and_exit_1(string block, string problem)
    {
        await using var agent = AgentProcess.Start(["-dev"], block);
        var exit = await agent.WaitForExitAsync(TimeSpan.FromSeconds(30));
        Assert.That(exit, Is.EqualTo(1), agent.Output);
        Assert.That(agent.Lines, Has.Count.EqualTo(1), agent.Output);
        Assert.That(agent.Lines[0], Does.StartWith("==> Error loading configuration: ").And.Contain(problem));
    }
}
