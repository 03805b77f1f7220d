using System.CommandLine;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Alloc;

/// <summary>`nomad alloc status &lt;alloc&gt;` (also `alloc-status`): one allocation, its tasks' resources, states and events.</summary>
public sealed class AllocStatusCommand : Command
{
    /// <summary>How long to wait for the client's live stats before showing the allocated values alone.</summary>
    private static readonly TimeSpan StatsTimeout = TimeSpan.FromSeconds(5);

    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full information: full IDs, absolute times and placement metrics.");
    private readonly Option<bool> _json = NomadOption.Flag("json", "Output the allocation in JSON.");
    private readonly Option<bool> _short = NomadOption.Flag("short", "Display short output: task states only.");
    private readonly Option<bool> _stats = NomadOption.Flag("stats", "Accepted for compatibility: live usage is shown when the client answers.");
    private readonly Argument<string[]> _alloc;

    public AllocStatusCommand(string name) : base(name, "Display allocation status information and metadata")
    {
        _api.AddTo(this);
        Add(_verbose);
        Add(_json);
        Add(_short);
        Add(_stats);
        _alloc = PositionalArguments.AddTo(this, "alloc", "An allocation ID or ID prefix (at least two characters).", 1, 1,
            "This command takes one of the following argument conditions:\n * A single <allocation>");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var verbose = parsed.GetValue(_verbose);
        using var client = _api.CreateClient(parsed);
        var stub = await Lookups.AllocAsync(parsed, client, parsed.GetValue(_alloc)![0], verbose,
            "Identifier must contain at least two characters.", ct);
        if (stub is null) return 1;

        ApiResponse<Allocation> alloc;
        try
        {
            alloc = await client.GetAllocationAsync(stub.ID, ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying allocation: {e.Message}");
            return 1;
        }
        if (parsed.GetValue(_json))
        {
            parsed.Out().WriteLine(JsonOutput.Pretty(alloc.Json));
            return 0;
        }

        if (parsed.GetValue(_short))
        {
            parsed.Out().Write(AllocStatusFormatter.Short(alloc.Value, verbose, DateTime.UtcNow, TimeZoneInfo.Local));
            return 0;
        }
        var stats = alloc.Value.ClientTerminal ? null : await StatsOrNullAsync(client, alloc.Value.ID, ct);
        parsed.Out().Write(AllocStatusFormatter.Format(alloc.Value, stats, verbose, DateTime.UtcNow, TimeZoneInfo.Local));
        return 0;
    }

    /// <summary>Live stats are extra: the allocation is shown without them if its client cannot be asked.</summary>
    private static async Task<AllocResourceUsage?> StatsOrNullAsync(NomadApiClient client, string allocId, CancellationToken ct)
    {
        using var timeout = CancellationTokenSource.CreateLinkedTokenSource(ct);
        timeout.CancelAfter(StatsTimeout);
        try
        {
            return (await client.GetAllocationStatsAsync(allocId, timeout.Token)).Value;
        }
        catch (Exception e) when (e is NomadApiException || (e is OperationCanceledException && !ct.IsCancellationRequested))
        {
            return null;
        }
    }
}
