using System.CommandLine;
using Nomad.Agent.Jobspec;

namespace Nomad.Cli.Commands.Job;

/// <summary>Reads and validates a job file for run and plan, reporting problems as `job validate` does.</summary>
public static class JobFileReader
{
    /// <summary>
    /// The job to submit, with Nomad's choice of region: the one the file names; otherwise the -region flag (or
    /// NOMAD_REGION); otherwise none, so the agent fills in its own. Submit it with <see cref="ClientFor"/>.
    /// </summary>
    /// <returns>the job, or null after printing why it cannot be used.</returns>
    public static Nomad.Agent.Structs.Job? ReadAndValidate(ParseResult parsed, string path, ApiConnectionOptions api)
    {
        var job = ReadAndValidate(parsed, path, out var namesRegion);
        if (job is null || namesRegion) return job;
        return job with { Region = api.ResolveRegion(parsed) ?? "" };
    }

    /// <summary>A client addressing the job's region (Nomad's CLI forces the request's region to the job's).</summary>
    public static Api.NomadApiClient ClientFor(ParseResult parsed, ApiConnectionOptions api, Nomad.Agent.Structs.Job job) =>
        new(api.ResolveAddress(parsed), string.IsNullOrEmpty(job.Region) ? api.ResolveRegion(parsed) : job.Region);

    /// <returns>the job, or null after printing why it cannot be used.</returns>
    public static Nomad.Agent.Structs.Job? ReadAndValidate(ParseResult parsed, string path) => ReadAndValidate(parsed, path, out _);

    private static Nomad.Agent.Structs.Job? ReadAndValidate(ParseResult parsed, string path, out bool namesRegion)
    {
        Nomad.Agent.Structs.Job job;
        namesRegion = false;
        try
        {
            job = JobFile.Read(path, out namesRegion);
        }
        catch (Exception e) when (e is JobspecException or IOException or UnauthorizedAccessException)
        {
            parsed.Err().WriteLine($"Error getting job struct: {e.Message}");
            return null;
        }
        var errors = JobValidator.Validate(job);
        if (errors.Count == 0) return job;
        parsed.Err().WriteLine("Job validation errors:");
        foreach (var error in errors) parsed.Err().WriteLine($"* {error}");
        return null;
    }
}
