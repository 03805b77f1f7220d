using System.CommandLine;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Agent;

/// <summary>`nomad agent-info`: the local agent's stats by section, or with -json all of /v1/agent/self.</summary>
public sealed class AgentInfoCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _json = NomadOption.Flag("json", "Output the agent's information in JSON.");

    public AgentInfoCommand() : base("agent-info", "Display status information about the local agent")
    {
        _api.AddTo(this);
        Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        using var client = _api.CreateClient(parsed);
        ApiResponse<AgentSelf> self;
        try
        {
            self = await client.GetAgentSelfAsync(ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying agent info: {e.Message}");
            return 1;
        }

        if (parsed.GetValue(_json))
            parsed.Out().WriteLine(JsonOutput.Pretty(self.Json));
        else
            parsed.Out().Write(AgentInfoFormatter.Format(self.Value.Stats));
        return 0;
    }
}
