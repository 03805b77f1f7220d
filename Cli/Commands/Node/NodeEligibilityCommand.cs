using System.CommandLine;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Node;

/// <summary>`nomad node eligibility -enable|-disable &lt;node&gt;|-self` (also `node-eligibility`): whether new work may be placed on the node.</summary>
public sealed class NodeEligibilityCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _enable = NomadOption.Flag("enable", "Mark the node eligible for scheduling.");
    private readonly Option<bool> _disable = NomadOption.Flag("disable", "Mark the node ineligible for scheduling.");
    private readonly Option<bool> _self = NomadOption.Flag("self", "Set the eligibility of the local node.");
    private readonly Argument<string[]> _node;

    public NodeEligibilityCommand(string name) : base(name, "Toggle scheduling eligibility for a given node")
    {
        _api.AddTo(this);
        Add(_enable);
        Add(_disable);
        Add(_self);
        _node = PositionalArguments.AddTo(this, "node", "A node ID or ID prefix.", 0, 1, "Node ID must be specified if -self isn't being used");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        bool enable = parsed.GetValue(_enable), disable = parsed.GetValue(_disable), self = parsed.GetValue(_self);
        var args = parsed.GetValue(_node) ?? [];
        if (enable == disable)
        {
            parsed.Err().WriteLine("Either the '-enable' or '-disable' flag must be set");
            return 1;
        }
        if (self ? args.Length != 0 : args.Length != 1)
        {
            parsed.Err().WriteLine("Node ID must be specified if -self isn't being used");
            return 1;
        }

        using var client = _api.CreateClient(parsed);
        var prefix = self ? await Lookups.LocalNodeIdAsync(parsed, client, ct) : args[0];
        if (prefix is null) return 1;
        var node = await Lookups.NodeAsync(parsed, client, prefix, "Error updating scheduling eligibility", ct);
        if (node is null) return 1;

        try
        {
            await client.UpdateEligibilityAsync(node.ID, enable, ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error updating scheduling eligibility: {e.Message}");
            return 1;
        }
        parsed.Out().WriteLine($"Node {GoText.Quote(node.ID)} scheduling eligibility set: {(enable ? "eligible" : "ineligible")} for scheduling");
        return 0;
    }
}
