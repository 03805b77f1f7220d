using System.CommandLine;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Server;

/// <summary>`nomad server members` (also `server-members`): the servers in the gossip pool and which one leads each region.</summary>
public sealed class ServerMembersCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _detailed = NomadOption.Flag("detailed", "Show each server's tags.");
    private readonly Option<bool> _json = NomadOption.Flag("json", "Output the members in JSON.");

    /// <param name="name">"members" under `server`, or the older top-level "server-members".</param>
    public ServerMembersCommand(string name) : base(name, "Display a list of the known servers and their status")
    {
        _api.AddTo(this);
        Add(_detailed);
        Add(_json);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        using var client = _api.CreateClient(parsed);
        ApiResponse<AgentMembers> response;
        try
        {
            response = await client.GetAgentMembersAsync(ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying servers: {e.Message}");
            return 1;
        }

        if (parsed.GetValue(_json))
        {
            parsed.Out().WriteLine(JsonOutput.Pretty(response.Json));
            return 0;
        }

        var members = ServerMembersFormatter.Sorted(response.Value.Members ?? []);
        if (parsed.GetValue(_detailed))
        {
            parsed.Out().WriteLine(ServerMembersFormatter.Detailed(members));
            return 0;
        }

        var leaders = new Dictionary<string, string>();
        var leaderErrors = new List<string>();
        foreach (var region in ServerMembersFormatter.RegionsToAsk(members))
        {
            try
            {
                leaders[region] = await client.GetLeaderAsync(region, ct);
            }
            catch (NomadApiException e)
            {
                leaderErrors.Add($"Region \"{region}\": {e.Message}");
            }
        }

        parsed.Out().WriteLine(ServerMembersFormatter.Standard(members, leaders));
        if (leaderErrors.Count == 0) return 0;

        parsed.Out().WriteLine();
        parsed.Err().WriteLine($"Error determining leaders: {string.Join("; ", leaderErrors)}");
        return 1;
    }
}
