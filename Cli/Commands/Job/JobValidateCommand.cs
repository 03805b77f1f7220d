using System.CommandLine;

namespace Nomad.Cli.Commands.Job;

/// <summary>
/// `nomad job validate &lt;file&gt;` (also `nomad validate`): checks a job file (HCL2, HCL1 with -hcl1, or JSON by
/// extension) without submitting it: syntax, variables, every stanza, Nomad's rules, and what this agent cannot run yet.
/// </summary>
public sealed class JobValidateCommand : Command
{
    private readonly JobFileFlags _jobFile = new();
    private readonly Argument<string[]> _file;

    public JobValidateCommand(string name) : base(name, "Checks if a given job specification is valid")
    {
        _jobFile.AddTo(this);
        _file = PositionalArguments.AddTo(this, "file", "The job file, or - for standard input.", 1, 1,
            "This command takes one argument: <path>");
        SetAction(Run);
    }

    private int Run(ParseResult parsed)
    {
        var path = (parsed.GetValue(_file) ?? [])[0];
        var apiJob = JobFileReader.Read(parsed, path, _jobFile);
        if (apiJob is null || JobFileReader.Validate(parsed, apiJob, path, api: null) is null) return 1;
        parsed.Out().WriteLine("Job validation successful");
        return 0;
    }
}
