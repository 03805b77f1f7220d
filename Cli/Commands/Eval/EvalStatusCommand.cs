using System.CommandLine;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Eval;

/// <summary>`nomad eval status [-verbose] [-json] [-monitor] &lt;eval&gt;` (also `eval-status`): one evaluation and why it failed to place.</summary>
public sealed class EvalStatusCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full information: full IDs, absolute times, linked evaluations.");
    private readonly Option<bool> _json = NomadOption.Flag("json", "Output the evaluation in JSON.");
    private readonly Option<bool> _monitor = NomadOption.Flag("monitor", "Monitor the evaluation until it completes.");
    private readonly Argument<string[]> _eval;

    public EvalStatusCommand(string name) : base(name, "Display evaluation status and placement failure reasons")
    {
        _api.AddTo(this);
        Add(_verbose);
        Add(_json);
        Add(_monitor);
        _eval = PositionalArguments.AddTo(this, "eval", "An evaluation ID or ID prefix (at least two characters).", 1, 1,
            "This command takes one argument");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var verbose = parsed.GetValue(_verbose);
        using var client = _api.CreateClient(parsed);
        var match = await Lookups.EvalAsync(parsed, client, parsed.GetValue(_eval)![0], verbose, ct);
        if (match is null) return 1;

        if (parsed.GetValue(_monitor))
            return await new EvalMonitor(client, parsed.Out(), parsed.Err(), verbose).MonitorAsync(match.ID, ct);

        ApiResponse<Evaluation> eval;
        try
        {
            eval = await client.GetEvaluationAsync(match.ID, ct: ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying evaluation: {e.Message}");
            return 1;
        }
        if (parsed.GetValue(_json))
        {
            parsed.Out().WriteLine(JsonOutput.Pretty(eval.Json));
            return 0;
        }
        parsed.Out().Write(EvalFormatter.Status(eval.Value, verbose, DateTime.UtcNow, TimeZoneInfo.Local));
        return 0;
    }
}
