using System.CommandLine;
using Nomad.Agent.Jobspec;
using ApiJob = Nomad.Agent.Jobspec.Api.Job;

namespace Nomad.Cli.Commands.Job;

/// <summary>Reads and validates a job file for run, plan and validate, reporting problems as Nomad's CLI does.</summary>
public static class JobFileReader
{
    /// <summary>The API job the file describes, or null after printing why it cannot be read.</summary>
    public static ApiJob? Read(ParseResult parsed, string path, JobFileFlags flags)
    {
        try
        {
            return JobFile.ReadApiJob(path, flags.Resolve(parsed));
        }
        catch (Exception e) when (e is JobspecException or IOException or UnauthorizedAccessException)
        {
            parsed.Err().WriteLine($"Error getting job struct: {e.Message}");
            return null;
        }
    }

    /// <summary>
    /// The job to submit, with Nomad's choice of region: the one the file names; otherwise the -region flag (or
    /// NOMAD_REGION); otherwise none, so the agent fills in its own. Submit it with <see cref="ClientFor"/>.
    /// </summary>
    /// <returns>the job, or null after printing why it cannot be used. <paramref name="apiJob"/> is canonicalised in place.</returns>
    public static Nomad.Agent.Structs.Job? Validate(ParseResult parsed, ApiJob apiJob, string path, ApiConnectionOptions? api)
    {
        bool namesRegion = !string.IsNullOrEmpty(apiJob.Region); // before canonicalising fills in "global"
        Nomad.Agent.Structs.Job job;
        try
        {
            job = JobFile.ToServerJob(apiJob, path);
        }
        catch (JobspecException e)
        {
            parsed.Err().WriteLine($"Error getting job struct: {e.Message}");
            return null;
        }
        var errors = JobValidator.Validate(job);
        if (errors.Count > 0)
        {
            parsed.Err().WriteLine("Job validation errors:");
            foreach (var error in errors) parsed.Err().WriteLine($"* {error}");
            return null;
        }
        if (api is null || namesRegion) return job;
        return job with { Region = api.ResolveRegion(parsed) ?? "" };
    }

    /// <summary>Reads and validates in one go (run and plan); null after printing why the job cannot be used.</summary>
    public static Nomad.Agent.Structs.Job? ReadAndValidate(ParseResult parsed, string path, JobFileFlags flags, ApiConnectionOptions api) =>
        Read(parsed, path, flags) is { } apiJob ? Validate(parsed, apiJob, path, api) : null;

    /// <summary>A client addressing the job's region (Nomad's CLI forces the request's region to the job's).</summary>
    public static Api.NomadApiClient ClientFor(ParseResult parsed, ApiConnectionOptions api, Nomad.Agent.Structs.Job job) =>
        new(api.ResolveAddress(parsed), string.IsNullOrEmpty(job.Region) ? api.ResolveRegion(parsed) : job.Region);
}
