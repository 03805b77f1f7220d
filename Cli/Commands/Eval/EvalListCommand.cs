using System.CommandLine;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Eval;

/// <summary>`nomad eval list [-verbose] [-json] [-job id] [-status s]`: the evaluations, newest first.</summary>
public sealed class EvalListCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full IDs.");
    private readonly Option<bool> _json = NomadOption.Flag("json", "Output the evaluations in JSON.");
    private readonly Option<string> _job = NomadOption.Value<string>("job", "Only the evaluations of this job.");
    private readonly Option<string> _status = NomadOption.Value<string>("status", "Only the evaluations with this status.");

    public EvalListCommand(string name) : base(name, "List the evaluations")
    {
        _api.AddTo(this);
        Add(_verbose);
        Add(_json);
        Add(_job);
        Add(_status);
        PositionalArguments.AddTo(this, "none", "This command takes no arguments.", 0, 0, "This command takes no arguments");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        using var client = _api.CreateClient(parsed);
        ApiResponse<List<Evaluation>> evals;
        try
        {
            evals = await client.ListEvaluationsAsync(null, ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying evaluations: {e.Message}");
            return 1;
        }
        if (parsed.GetValue(_json))
        {
            parsed.Out().WriteLine(JsonOutput.Pretty(evals.Json));
            return 0;
        }
        var job = parsed.GetValue(_job);
        var status = parsed.GetValue(_status);
        var shown = evals.Value
            .Where(e => string.IsNullOrEmpty(job) || e.JobID == job)
            .Where(e => string.IsNullOrEmpty(status) || e.Status == status)
            .OrderByDescending(e => e.CreateIndex)
            .ToList();
        if (shown.Count == 0)
        {
            parsed.Out().WriteLine("No evals found");
            return 0;
        }
        var verbose = parsed.GetValue(_verbose);
        var rows = new List<IReadOnlyList<string>> { new[] { "ID", "Priority", "Triggered By", "Job ID", "Status", "Placement Failures" } };
        rows.AddRange(shown.Select(e => (IReadOnlyList<string>)
            [Ids.Display(e.ID, verbose), e.Priority.ToString(), e.TriggeredBy, e.JobID, e.Status, EvalFormatter.FailureStatus(e).Text]));
        parsed.Out().WriteLine(Columns.Table(rows));
        return 0;
    }
}
