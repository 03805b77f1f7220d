using Nomad.Agent.Server;
using System.CommandLine;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// `nomad job plan &lt;file&gt;` (also `nomad plan`): asks the scheduler what running the job would do, without doing it.
/// Exit 0 when nothing would change, 1 when allocations would be created, stopped or replaced, 255 on error.
/// </summary>
public sealed class JobPlanCommand : Command
{
    public const int ErrorExitCode = 255;

    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _diff = NomadOption.Flag("diff", "Show the difference between the submitted and the running job (default true).");
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Show the full diff, including unchanged fields of added objects.");
    private readonly Option<bool> _policyOverride = NomadOption.Flag("policy-override", "Accepted for compatibility (no Sentinel policies here).");
    private readonly JobFileFlags _jobFile = new();
    private readonly Argument<string[]> _file;

    public JobPlanCommand(string name) : base(name, "Dry-run a job update to determine its effects")
    {
        _diff.DefaultValueFactory = _ => true;
        _api.AddTo(this);
        Add(_diff);
        Add(_verbose);
        Add(_policyOverride);
        _jobFile.AddTo(this);
        _file = PositionalArguments.AddTo(this, "file", "The job file, or - for standard input.", 1, 1,
            "This command takes one argument: <path>");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var path = parsed.GetValue(_file)![0];
        var job = JobFileReader.ReadAndValidate(parsed, path, _jobFile, _api);
        if (job is null) return ErrorExitCode;

        using var client = JobFileReader.ClientFor(parsed, _api, job);
        JobPlanResponse plan;
        try
        {
            plan = (await client.PlanJobAsync(job, parsed.GetValue(_diff), ct)).Value;
        }
        catch (NomadApiException e) when (e.StatusCode is 404 or 405 or 501)
        {
            parsed.Err().WriteLine($"Error during plan: this agent does not support job plan ({e.Message})");
            return ErrorExitCode;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error during plan: {e.Message}");
            return ErrorExitCode;
        }

        if (!parsed.GetValue(_diff)) plan = plan with { Diff = null };
        parsed.Out().Write(PlanFormatter.Format(plan, job.Type, path, parsed.GetValue(_verbose)));
        return PlanFormatter.ExitCode(plan);
    }
}
