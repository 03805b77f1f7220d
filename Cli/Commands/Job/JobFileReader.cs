using System.CommandLine;
using Nomad.Agent.Hcl.Jobspec;

namespace Nomad.Cli.Commands.Job;

/// <summary>Reads and validates a job file for run and plan, reporting problems as `job validate` does.</summary>
public static class JobFileReader
{
    /// <returns>the job, or null after printing why it cannot be used.</returns>
    public static Nomad.Agent.Structs.Job? ReadAndValidate(ParseResult parsed, string path)
    {
        Nomad.Agent.Structs.Job job;
        try
        {
            job = JobFile.Read(path);
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
