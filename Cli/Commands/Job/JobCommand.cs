using System.CommandLine;

namespace Nomad.Cli.Commands.Job;

/// <summary>`nomad job`: the noun grouping the job subcommands.</summary>
public sealed class JobCommand : Command
{
    public JobCommand() : base("job", "Interact with jobs")
    {
        Add(new JobInitCommand("init"));
        Add(new JobValidateCommand("validate"));
    }
}
