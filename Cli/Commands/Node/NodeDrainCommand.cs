using System.CommandLine;
using Nomad.Agent.Config;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Node;

/// <summary>
/// `nomad node drain -enable|-disable [-deadline d|-no-deadline|-force] [-ignore-system] [-keep-ineligible] [-yes]
/// [-detach] [-monitor] &lt;node&gt;|-self` (also `node-drain`): moves allocations off a node; -enable without -detach
/// follows the drain until it is done.
/// </summary>
public sealed class NodeDrainCommand : Command
{
    /// <summary>Nomad's default drain deadline.</summary>
    public static readonly TimeSpan DefaultDeadline = TimeSpan.FromHours(1);

    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _enable = NomadOption.Flag("enable", "Enable draining for the node.");
    private readonly Option<bool> _disable = NomadOption.Flag("disable", "Disable draining for the node.");
    private readonly Option<string> _deadline = NomadOption.Value<string>("deadline", "How long allocations may take to migrate before they are stopped (default 1h).");
    private readonly Option<bool> _noDeadline = NomadOption.Flag("no-deadline", "Let allocations migrate with no deadline.");
    private readonly Option<bool> _force = NomadOption.Flag("force", "Stop all allocations at once.");
    private readonly Option<bool> _ignoreSystem = NomadOption.Flag("ignore-system", "Leave system jobs' allocations on the node.");
    private readonly Option<bool> _keepIneligible = NomadOption.Flag("keep-ineligible", "Keep the node ineligible for scheduling after the drain is disabled.");
    private readonly Option<bool> _yes = NomadOption.Flag("yes", "Do not ask for confirmation.");
    private readonly Option<bool> _detach = NomadOption.Flag("detach", "Return at once instead of monitoring the drain.");
    private readonly Option<bool> _monitor = NomadOption.Flag("monitor", "Monitor an ongoing drain without changing it.");
    private readonly Option<bool> _self = NomadOption.Flag("self", "Drain the local node.");
    private readonly Argument<string[]> _node;

    public NodeDrainCommand(string name) : base(name, "Toggle drain mode on a given node")
    {
        _api.AddTo(this);
        foreach (var option in new Option[] { _enable, _disable, _deadline, _noDeadline, _force, _ignoreSystem, _keepIneligible, _yes, _detach, _monitor, _self })
            Add(option);
        _node = PositionalArguments.AddTo(this, "node", "A node ID or ID prefix.", 0, 1, "Node ID must be specified if -self isn't being used");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        bool enable = parsed.GetValue(_enable), disable = parsed.GetValue(_disable), monitor = parsed.GetValue(_monitor);
        bool force = parsed.GetValue(_force), noDeadline = parsed.GetValue(_noDeadline), ignoreSystem = parsed.GetValue(_ignoreSystem);
        var deadlineText = parsed.GetValue(_deadline) ?? "";
        var self = parsed.GetValue(_self);
        var args = parsed.GetValue(_node) ?? [];
        var err = parsed.Err();

        if (monitor && (enable || disable)) return Fail(err, "The -monitor flag cannot be used with the '-enable' or '-disable' flags");
        if ((enable && disable) || (!monitor && !enable && !disable)) return Fail(err, "Either the '-enable' or '-disable' flag must be set, unless using '-monitor'");
        if (self ? args.Length != 0 : args.Length != 1) return Fail(err, "Node ID must be specified if -self isn't being used");
        if (disable && (deadlineText.Length > 0 || force || noDeadline || ignoreSystem)) return Fail(err, "-disable can't be combined with flags configuring drain strategy");
        if (deadlineText.Length > 0 && (force || noDeadline)) return Fail(err, "-deadline can't be combined with -force or -no-deadline");
        if (force && noDeadline) return Fail(err, "-force and -no-deadline are mutually exclusive");

        var deadline = DefaultDeadline;
        if (force) deadline = TimeSpan.FromSeconds(-1);
        else if (noDeadline) deadline = TimeSpan.Zero;
        else if (deadlineText.Length > 0)
        {
            if (!GoDuration.TryParse(deadlineText, out deadline))
                return Fail(err, $"Failed to parse deadline {GoText.Quote(deadlineText)}: time: invalid duration {GoText.Quote(deadlineText)}");
            if (deadline <= TimeSpan.Zero) return Fail(err, "A positive drain duration must be given");
        }

        using var client = _api.CreateClient(parsed);
        var nodeId = self ? await Lookups.LocalNodeIdAsync(parsed, client, ct) : args[0];
        if (nodeId is null) return 1;
        var node = await Lookups.NodeAsync(parsed, client, nodeId, "Error toggling drain mode", ct);
        if (node is null) return 1;

        if (monitor)
            return await new NodeDrainMonitor(client, parsed.Out(), parsed.Err()).MonitorAsync(node.ID, ignoreSystem, justSet: false, ct);

        if (nodeId != node.ID && !parsed.GetValue(_yes))
        {
            var question = $"Are you sure you want to {(disable ? "disable" : "enable")} drain mode for node {GoText.Quote(node.ID)}? [y/N]";
            var (confirmed, code) = Confirmation.Ask(question, "Canceling drain toggle", parsed.Out(), Console.In);
            if (!confirmed) return code;
        }

        try
        {
            await client.UpdateDrainAsync(node.ID, enable ? deadline : null, ignoreSystem, markEligible: !parsed.GetValue(_keepIneligible), ct);
        }
        catch (NomadApiException e)
        {
            return Fail(err, $"Error updating drain specification: {e.Message}");
        }

        if (!enable)
        {
            parsed.Out().WriteLine($"Node {GoText.Quote(node.ID)} drain strategy unset");
            return 0;
        }
        if (parsed.GetValue(_detach))
        {
            parsed.Out().WriteLine($"Node {GoText.Quote(node.ID)} drain strategy set");
            return 0;
        }

        var now = Timestamps.Format(DateTime.UtcNow, TimeZoneInfo.Local);
        parsed.Out().WriteLine($"{now}: Ctrl-C to stop monitoring: will not cancel the node drain");
        parsed.Out().WriteLine($"{now}: Node {GoText.Quote(node.ID)} drain strategy set");
        return await new NodeDrainMonitor(client, parsed.Out(), parsed.Err()).MonitorAsync(node.ID, ignoreSystem, justSet: true, ct);
    }

    private static int Fail(TextWriter err, string message)
    {
        err.WriteLine(message);
        return 1;
    }
}
