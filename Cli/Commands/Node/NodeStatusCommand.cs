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
            ? await LocalNodeIdAsync(parsed, client, ct)
            : await ResolvePrefixAsync(parsed, client, args[0], ct);
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

    /// <summary>The local client's node ID from /v1/agent/self; null (after saying why) when there is none.</summary>
    private static async Task<string?> LocalNodeIdAsync(ParseResult parsed, NomadApiClient client, CancellationToken ct)
    {
        AgentSelf self;
        try
        {
            self = (await client.GetAgentSelfAsync(ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying agent info: {e.Message}");
            return null;
        }

        if (self.Stats is null || !self.Stats.ContainsKey("client"))
        {
            parsed.Err().WriteLine("Error determining local node ID: Nomad not running in client mode");
            return null;
        }
        var nodeId = self.Stat("client", "node_id");
        if (string.IsNullOrEmpty(nodeId))
        {
            parsed.Err().WriteLine("Error determining local node ID: the agent reported no node_id");
            return null;
        }
        return nodeId;
    }

    /// <summary>The one node whose ID starts with the prefix; null (after saying why, or listing the candidates) otherwise.</summary>
    private async Task<string?> ResolvePrefixAsync(ParseResult parsed, NomadApiClient client, string prefix, CancellationToken ct)
    {
        if (prefix.Length == 1)
        {
            parsed.Err().WriteLine("Identifier must contain at least two characters.");
            return null;
        }
        prefix = SanitizeUuidPrefix(prefix);

        List<NodeListStub> nodes;
        try
        {
            nodes = (await client.ListNodesAsync(prefix, ct)).Value;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying node info: {e.Message}");
            return null;
        }

        switch (nodes.Count)
        {
            case 0:
                parsed.Err().WriteLine($"No node(s) with prefix \"{prefix}\" found");
                return null;
            case 1:
                return nodes[0].ID;
            default:
                parsed.Err().WriteLine($"Prefix matched multiple nodes\n\n{NodeListFormatter.Candidates(nodes, parsed.GetValue(_verbose))}");
                return null;
        }
    }

    /// <summary>
    /// Nomad's sanitizeUUIDPrefix: the servers match IDs by whole hex bytes, so a prefix with an odd number of
    /// hex digits loses its last character.
    /// </summary>
    public static string SanitizeUuidPrefix(string prefix)
    {
        var hexDigits = prefix.Length - prefix.Count(c => c == '-');
        return hexDigits % 2 == 0 ? prefix : prefix[..^1];
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
