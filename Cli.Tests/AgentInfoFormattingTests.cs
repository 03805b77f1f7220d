using System.Text.Json;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Tests;

/// <summary>agent-info output, from captured /v1/agent/self answers, must equal what Nomad's CLI printed.</summary>
public class AgentInfoFormattingTests
{
    /// <summary>
    /// The API answer was captured a moment after the CLI ran, so client.last_heartbeat differs: it is set to the value the CLI
    /// saw. Everything else is as captured.
    /// </summary>
    [TestCase("nomad-0.11.8", "13.97086676s")]
    [TestCase("nomad-0.4.1", "3.391726891s")]
    public void Agent_info_matches_nomad(string version, string lastHeartbeatSeenByCli)
    {
        var self = Fixture.Decode<AgentSelf>(version + "/v1-agent-self.json");
        self.Stats!["client"]["last_heartbeat"] = JsonSerializer.SerializeToElement(lastHeartbeatSeenByCli);

        Assert.That(AgentInfoFormatter.Format(self.Stats), Is.EqualTo(Fixture.Text(version + "/agent-info.txt")));
    }

    [Test]
    public void The_local_node_id_comes_from_the_client_stats()
    {
        var self = Fixture.Decode<AgentSelf>("nomad-0.11.8/v1-agent-self.json");

        Assert.That(self.Stat("client", "node_id"), Is.EqualTo("203fa61b-120a-b6bf-3196-d49e1b29948d"));
        Assert.That(self.Member?.Name, Is.EqualTo("vm.global"));
        Assert.That(self.Stat("nope", "node_id"), Is.Null);
    }

    [Test]
    public void Values_that_are_not_strings_are_shown_as_their_json_text()
    {
        var stats = new Dictionary<string, Dictionary<string, JsonElement>>
        {
            ["raft"] = new() { ["term"] = JsonSerializer.SerializeToElement(2), ["state"] = JsonSerializer.SerializeToElement("Leader") },
        };

        Assert.That(AgentInfoFormatter.Format(stats), Is.EqualTo("raft\n  state = Leader\n  term = 2\n"));
    }
}
