using System.CommandLine;

namespace Nomad.Cli.Commands.Job;

/// <summary>`nomad job periodic`: the noun grouping the periodic job subcommands.</summary>
public sealed class JobPeriodicCommand : Command
{
    public JobPeriodicCommand() : base("periodic", "Interact with periodic jobs")
    {
        Add(new JobPeriodicForceCommand("force"));
    }
}
