using System.CommandLine;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Operator;

/// <summary>`nomad operator raft list-peers`: the Raft voters, their addresses and who leads.</summary>
public sealed class OperatorRaftListPeersCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _stale = NomadOption.Flag("stale", "Let any server answer from its own view, even without a leader.");

    public OperatorRaftListPeersCommand() : base("list-peers", "Display the current Raft peer configuration")
    {
        _api.AddTo(this);
        Add(_stale);
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        using var client = _api.CreateClient(parsed);
        RaftConfiguration config;
        try
        {
            config = await client.GetRaftConfigurationAsync(parsed.GetValue(_stale), ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Failed to retrieve raft configuration: {e.Message}");
            return 1;
        }
        var rows = new List<IReadOnlyList<string>> { new[] { "Node", "ID", "Address", "State", "Voter", "RaftProtocol" } };
        foreach (var s in config.Servers)
            rows.Add([s.Node, s.ID, s.Address, s.Leader ? "leader" : "follower", s.Voter ? "true" : "false", s.RaftProtocol]);
        parsed.Out().WriteLine(Columns.PlainTable(rows));
        return 0;
    }
}
