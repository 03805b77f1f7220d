using System.CommandLine;
using Nomad.Agent.Jobspec;

namespace Nomad.Cli.Commands.Job;

/// <summary>`nomad job init [filename]` (also `nomad init`): writes an example job that runs on a dev agent.</summary>
public sealed class JobInitCommand : Command
{
    private readonly Argument<string[]> _file;

    public JobInitCommand(string name) : base(name, "Create an example job file")
    {
        _file = PositionalArguments.AddTo(this, "filename", "Where to write the job (default example.nomad).", 0, 1,
            "This command takes no arguments or one: <filename>");
        SetAction(Run);
    }

    private int Run(ParseResult parsed)
    {
        var path = (parsed.GetValue(_file) ?? []).FirstOrDefault() ?? JobspecExamples.InitFileName;
        if (File.Exists(path))
        {
            parsed.Err().WriteLine($"Job '{path}' already exists");
            return 1;
        }
        try
        {
            File.WriteAllText(path, JobspecExamples.Init);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            parsed.Err().WriteLine($"Failed to write '{path}': {e.Message}");
            return 1;
        }
        parsed.Out().WriteLine($"Example job file written to {path}");
        return 0;
    }
}
