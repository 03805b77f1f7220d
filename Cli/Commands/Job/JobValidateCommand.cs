using System.CommandLine;
using Nomad.Agent.Jobspec;

namespace Nomad.Cli.Commands.Job;

/// <summary>`nomad job validate &lt;file&gt;` (also `nomad validate`): checks a job file (HCL, or JSON by extension) without submitting it.</summary>
public sealed class JobValidateCommand : Command
{
    private readonly Argument<string[]> _file;

    public JobValidateCommand(string name) : base(name, "Checks if a given job specification is valid")
    {
        _file = PositionalArguments.AddTo(this, "file", "The job file, or - for standard input.", 1, 1,
            "This command takes one argument: <path>");
        SetAction(Run);
    }

    private int Run(ParseResult parsed)
    {
        var path = (parsed.GetValue(_file) ?? [])[0];
        Nomad.Agent.Structs.Job job;
        try
        {
            job = JobFile.Read(path);
        }
        catch (Exception e) when (e is JobspecException or IOException or UnauthorizedAccessException)
        {
            parsed.Err().WriteLine($"Error getting job struct: {e.Message}");
            return 1;
        }
        var errors = JobValidator.Validate(job);
        if (errors.Count > 0)
        {
            parsed.Err().WriteLine("Job validation errors:");
            foreach (var error in errors) parsed.Err().WriteLine($"* {error}");
            return 1;
        }
        parsed.Out().WriteLine("Job validation successful");
        return 0;
    }
}
