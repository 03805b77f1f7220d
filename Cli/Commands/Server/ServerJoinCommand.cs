using System.CommandLine;
using Nomad.Cli.Api;

namespace Nomad.Cli.Commands.Server;

/// <summary>`nomad server join &lt;addr&gt;...` (also `server-join`): asks the local server to join others' gossip pool.</summary>
public sealed class ServerJoinCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Argument<string[]> _addresses;

    /// <param name="name">"join" under `server`, or the older top-level "server-join".</param>
    public ServerJoinCommand(string name) : base(name, "Join server nodes together")
    {
        _api.AddTo(this);
        _addresses = PositionalArguments.AddTo(this,
            "address", "Servers' gossip addresses (host or host:port).", 1, int.MaxValue, "One or more node addresses must be given as arguments");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        using var client = _api.CreateClient(parsed);
        try
        {
            var joined = await client.JoinAsync(parsed.GetValue(_addresses) ?? [], ct);
            parsed.Out().WriteLine($"Joined {joined} servers successfully");
            return 0;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error joining: {e.Message}");
            return 1;
        }
    }
}
