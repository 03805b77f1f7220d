using Nomad.Agent.Server;
using System.CommandLine;
using System.Text.RegularExpressions;
using Nomad.Agent.Jobspec;
using Nomad.Cli.Api;
using Nomad.Cli.Commands.Eval;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// `nomad job run &lt;file&gt;` (also `nomad run`): parses the job locally, registers it with PUT /v1/jobs and, unless
/// -detach, monitors the evaluation. Exit 0, 1 on error, 2 when the evaluation failed to place allocations.
/// </summary>
public sealed partial class JobRunCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _detach = NomadOption.Flag("detach", "Return immediately instead of monitoring the evaluation.");
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full information (full IDs).");
    private readonly Option<string> _checkIndex = NomadOption.Value<string>("check-index",
        "Register the job only if its job modify index is this value (0: only if the job does not exist yet).");
    private readonly Option<bool> _output = NomadOption.Flag("output", "Print the job file as Nomad's API JSON, and do not submit it.");
    private readonly JobFileFlags _jobFile = new();
    private readonly Option<bool> _policyOverride = NomadOption.Flag("policy-override", "Accepted for compatibility (no Sentinel policies here).");
    private readonly Argument<string[]> _file;

    public JobRunCommand(string name) : base(name, "Run a new job or update an existing job")
    {
        _api.AddTo(this);
        Add(_detach);
        Add(_verbose);
        Add(_checkIndex);
        Add(_output);
        _jobFile.AddTo(this);
        Add(_policyOverride);
        _file = PositionalArguments.AddTo(this, "file", "The job file, or - for standard input.", 1, 1,
            "This command takes one argument: <path>");
        SetAction(RunAsync);
    }

    [GeneratedRegex(@"\((Enforcing job modify index.*)\)")]
    private static partial Regex EnforceIndexError();

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var path = parsed.GetValue(_file)![0];
        var apiJob = JobFileReader.Read(parsed, path, _jobFile);
        if (apiJob is null) return 1;

        // As Nomad: the job as the file describes it, before any default is filled in or any check is made.
        if (parsed.GetValue(_output))
        {
            // Written straight from the model (no JSON tree in between), indented one level more under "Job".
            var jobJson = Nomad.Agent.Jobspec.ApiJson.WriteIndented(apiJob).Replace("\n", "\n    ");
            StartupTrace.Mark("api json");
            parsed.Out().WriteLine(JsonOutput.GoEscapes("{\n    \"Job\": " + jobJson + "\n}"));
            return 0;
        }

        var job = JobFileReader.Validate(parsed, apiJob, path, _api);
        if (job is null) return 1;

        ulong? enforceIndex = null;
        if (parsed.TextIfGiven(_checkIndex) is { } checkIndex)
        {
            if (!ulong.TryParse(checkIndex, out var index))
            {
                parsed.Err().WriteLine($"Error parsing check-index value {GoText.Quote(checkIndex)}: strconv.ParseUint: parsing {GoText.Quote(checkIndex)}: invalid syntax");
                return 1;
            }
            enforceIndex = index;
        }

        using var client = JobFileReader.ClientFor(parsed, _api, job);
        JobRegisterResponse response;
        try
        {
            response = (await client.RegisterJobAsync(job, enforceIndex, ct)).Value;
        }
        catch (NomadApiException e)
        {
            var match = EnforceIndexError().Match(e.Message);
            if (match.Success)
            {
                parsed.Err().WriteLine(match.Groups[1].Value);
                parsed.Err().WriteLine("Job not updated");
                return 1;
            }
            parsed.Err().WriteLine($"Error submitting job: {e.Message}");
            return 1;
        }

        if (response.Warnings.Length > 0)
            parsed.Out().WriteLine($"Job Warnings:\n{response.Warnings}\n");

        var verbose = parsed.GetValue(_verbose);
        if (parsed.GetValue(_detach) || response.EvalID.Length == 0)
        {
            parsed.Out().WriteLine("Job registration successful");
            if (job.Periodic is not null && job.ParameterizedJob is null)
            {
                if (PeriodicLaunchText.Next(job.Periodic, DateTime.UtcNow) is { } next) parsed.Out().WriteLine($"Approximate next launch time: {next}");
            }
            else if (response.EvalID.Length > 0) parsed.Out().WriteLine("Evaluation ID: " + response.EvalID);
            return 0;
        }
        return await new EvalMonitor(client, parsed.Out(), parsed.Err(), verbose).MonitorAsync(response.EvalID, ct);
    }
}
