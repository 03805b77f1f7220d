using System.CommandLine;
using Nomad.Cli.Api;

namespace Nomad.Cli.Commands.Server;

/// <summary>`nomad server force-leave &lt;name&gt;` (also `server-force-leave`): marks a failed server as having left.</summary>
public sealed class ServerForceLeaveCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Argument<string[]> _node;
    private readonly Option<bool> _prune = NomadOption.Flag("prune", "Also remove the server from the member list at once.");

    /// <param name="name">"force-leave" under `server`, or the older top-level "server-force-leave".</param>
    public ServerForceLeaveCommand(string name) : base(name, "Force a server into the 'left' state")
    {
        _api.AddTo(this);
        Add(_prune);
        _node = PositionalArguments.AddTo(this,
            "node", "The server's member name, e.g. vm.global.", 1, 1, "This command takes one argument: <node>");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var node = (parsed.GetValue(_node) ?? [])[0];
        using var client = _api.CreateClient(parsed);
        try
        {
            await client.ForceLeaveAsync(node, parsed.GetValue(_prune), ct);
            return 0;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error force-leaving server {node}: {e.Message}");
            return 1;
        }
    }
}
