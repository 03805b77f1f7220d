using System.CommandLine;
using System.Text.Json;
using Nomad.Agent.Server.Dispatch;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// `nomad job status [job]` (also `nomad status`): with no argument the job list ("No running jobs" when empty);
/// with a job ID or prefix, the job, its group summary and its allocations.
/// </summary>
public sealed class JobStatusCommand : Command
{
    private readonly ApiConnectionOptions _api = new();
    private readonly Option<bool> _verbose = NomadOption.Flag("verbose", "Display full information: full IDs, evaluations and absolute times.");
    private readonly Option<bool> _json = NomadOption.Flag("json", "Output the job(s) in JSON.");
    private readonly Option<bool> _short = NomadOption.Flag("short", "Display only the job's basic information.");
    private readonly Option<bool> _allAllocs = NomadOption.Flag("all-allocs", "Display all allocations, including those of older job versions.");
    private readonly Option<bool> _evals = NomadOption.Flag("evals", "Display the job's evaluations.");
    private readonly Argument<string[]> _job;

    public JobStatusCommand(string name) : base(name, "Display status information about a job")
    {
        _api.AddTo(this);
        Add(_verbose);
        Add(_json);
        Add(_short);
        Add(_allAllocs);
        Add(_evals);
        _job = PositionalArguments.AddTo(this, "job", "A job ID or ID prefix.", 0, 1, "This command takes either one or no arguments");
        SetAction(RunAsync);
    }

    private async Task<int> RunAsync(ParseResult parsed, CancellationToken ct)
    {
        var args = parsed.GetValue(_job) ?? [];
        using var client = _api.CreateClient(parsed);
        if (args.Length == 0) return await ListAsync(parsed, client, ct);

        var stub = await Lookups.JobAsync(parsed, client, args[0], "Error querying job", ct);
        if (stub is null) return 1;

        try
        {
            var job = await client.GetJobAsync(stub.ID, ct);
            if (parsed.GetValue(_json))
            {
                parsed.Out().WriteLine(JsonOutput.Pretty(job.Json));
                return 0;
            }
            var periodic = IsSet(job.Json, "Periodic");
            // A dispatched job keeps its parent's parameterized block but is not parameterized itself.
            var parameterized = job.Value.IsParameterized;
            var nextLaunch = periodic && !parameterized ? JobStatusFormatter.NextPeriodicLaunch(job.Value, DateTime.UtcNow) : null;
            if (parsed.GetValue(_short))
            {
                parsed.Out().WriteLine(JobStatusFormatter.Basic(new(job.Value, periodic, parameterized, null, [], []), TimeZoneInfo.Local, nextLaunch));
                return 0;
            }
            if (periodic && !parameterized)
            {
                // As Nomad: a periodic job has no allocations of its own; its launches are its children.
                parsed.Out().WriteLine(JobStatusFormatter.Basic(new(job.Value, periodic, parameterized, null, [], []), TimeZoneInfo.Local, nextLaunch));
                var children = await Query("Error querying job", () => client.ListJobsAsync(stub.ID + PeriodicLaunch.Suffix, ct));
                parsed.Out().Write(JobStatusFormatter.PeriodicChildren(stub.ID, children.Value));
                return 0;
            }

            var summary = await Query("Error querying job summary", () => client.GetJobSummaryAsync(stub.ID, ct));
            if (parameterized)
            {
                var children = await Query("Error querying job", () => client.ListJobsAsync(stub.ID + DispatchedJobId.LaunchSuffix, ct));
                parsed.Out().WriteLine(JobStatusFormatter.Basic(new(job.Value, periodic, parameterized, null, [], []), TimeZoneInfo.Local));
                parsed.Out().Write(ParameterizedJobFormatter.Detail(job.Value, summary.Value, children.Value));
                return 0;
            }
            var allocs = await Query("Error querying job allocations", () => client.GetJobAllocationsAsync(stub.ID, parsed.GetValue(_allAllocs), ct));
            var evals = await Query("Error querying job evaluations", () => client.GetJobEvaluationsAsync(stub.ID, ct));
            var view = new JobStatusFormatter.JobView(job.Value, periodic, parameterized, summary.Value, evals.Value, allocs.Value);
            var verbose = parsed.GetValue(_verbose) || parsed.GetValue(_evals);
            parsed.Out().Write(JobStatusFormatter.Detail(view, verbose, DateTime.UtcNow, TimeZoneInfo.Local));
            return 0;
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine(e.Message.StartsWith("Error ", StringComparison.Ordinal) ? e.Message : $"Error querying job: {e.Message}");
            return 1;
        }
    }

    private static async Task<T> Query<T>(string context, Func<Task<T>> query)
    {
        try
        {
            return await query();
        }
        catch (NomadApiException e)
        {
            throw new NomadApiException($"{context}: {e.Message}", e.StatusCode, e);
        }
    }

    private async Task<int> ListAsync(ParseResult parsed, NomadApiClient client, CancellationToken ct)
    {
        ApiResponse<List<JobListStub>> jobs;
        try
        {
            jobs = await client.ListJobsAsync(null, ct);
        }
        catch (NomadApiException e)
        {
            parsed.Err().WriteLine($"Error querying jobs: {e.Message}");
            return 1;
        }
        if (parsed.GetValue(_json))
        {
            parsed.Out().WriteLine(JsonOutput.Pretty(jobs.Json));
            return 0;
        }
        parsed.Out().WriteLine(jobs.Value.Count == 0 ? "No running jobs" : JobStatusFormatter.List(jobs.Value, TimeZoneInfo.Local));
        return 0;
    }

    /// <summary>Whether the job JSON has a non-null block (Periodic, ParameterizedJob) our Job record does not model.</summary>
    private static bool IsSet(JsonElement job, string property) =>
        job.ValueKind == JsonValueKind.Object && job.TryGetProperty(property, out var value) && value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined);
}
