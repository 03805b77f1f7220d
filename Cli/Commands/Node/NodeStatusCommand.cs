using Nomad.Agent.Structs;
using System.CommandLine;
using Nomad.Cli.Api;
using Nomad.Cli.Output;
using NodeRecord = Nomad.Agent.Structs.Node;

namespace Nomad.Cli.Commands.Node;

/// <summary>
/// `nomad node status` (also `node-status`): with no argument the node list; with an ID or ID prefix, or -self, one node
/// in detail. An ambiguous prefix lists the nodes it matched and fails.
/// </summary>
public sealed class NodeStatusCommand : Command
{
    /// <summary>How long to wait for the optional host stats before showing the node without them.</summary>
    private static readonly TimeSpan HostStatsTimeout = TimeSpan.FromSeconds(5);

    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _self = NomadOption.Flag("self", "Query the status of the local node.");
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full information: full IDs, drivers, attributes and meta.");
    private readonly Option<bool> _json = NomadOption.Flag("json", "Output the node(s) in JSON.");
    private readonly Argument<string[]> _node;

    /// <param name="name">"status" under `node`, or the older top-level "node-status".</param>
    public NodeStatusCommand(string name) : base(name, "Display status information about nodes")
    {
        _api.AddTo(this);
        Add(_self);
        Add(_verbose);
        Add(_json);
        _node = PositionalArguments.AddTo(this,
            "node", "A node ID or an ID prefix of at least two characters.", 0, 1, "This command takes either one or no arguments");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var args = parsed.GetValue(_node) ?? [];
        using var client = _api.CreateClient(parsed);

        if (args.Length == 0 && !parsed.GetValue(_self))
            return await ListAsync(parsed, client, ct);

        var nodeId = parsed.GetValue(_self)
            ? await Lookups.LocalNodeIdAsync(parsed, client, ct)
            : (await Lookups.NodeAsync(parsed, client, args[0], "Error querying node info", ct,
                verbose: parsed.GetValue(_verbose), notFound: p => $"No node(s) with prefix \"{p}\" found"))?.ID;
        if (nodeId is null) return 1;

        ApiResponse<NodeRecord> node;
        try
        {
            node = await client.GetNodeAsync(nodeId, ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying node info: {e.Message}");
            return 1;
        }

        if (parsed.GetValue(_json))
        {
            parsed.Out().WriteLine(JsonOutput.Pretty(node.Json));
            return 0;
        }

        var hostStats = await HostStatsOrNullAsync(client, node.Value.ID, ct);
        parsed.Out().Write(NodeDetailFormatter.Format(node.Value, parsed.GetValue(_verbose), hostStats, TimeZoneInfo.Local));
        return 0;
    }

    private async Task<int> ListAsync(ParseResult parsed, NomadApiClient client, CancellationToken ct)
    {
        ApiResponse<List<NodeListStub>> nodes;
        try
        {
            nodes = await client.ListNodesAsync(null, ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying node status: {e.Message}");
            return 1;
        }

        if (parsed.GetValue(_json))
        {
            parsed.Out().WriteLine(JsonOutput.Pretty(nodes.Json));
            return 0;
        }

        var table = NodeListFormatter.List(nodes.Value, parsed.GetValue(_verbose));
        if (table.Length > 0) parsed.Out().WriteLine(table);
        return 0;
    }

    /// <summary>Host stats are extra: the node is shown without them if the client cannot be asked.</summary>
    private static async Task<HostStats?> HostStatsOrNullAsync(NomadApiClient client, string nodeId, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(HostStatsTimeout);
        try
        {
            return (await client.GetHostStatsAsync(nodeId, timeout.Token)).Value;
        }
        catch (Exception e) when (e is NomadApiException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }
}
