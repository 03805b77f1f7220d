using System.CommandLine;

namespace Nomad.Cli.Commands.Job;

/// <summary>`nomad job`: the noun grouping the job subcommands.</summary>
public sealed class JobCommand : Command
{
    public JobCommand() : base("job", "Interact with jobs")
    {
        Add(new JobInitCommand("init"));
        Add(new JobValidateCommand("validate"));
        Add(new JobRunCommand("run"));
        Add(new JobStatusCommand("status"));
        Add(new JobStopCommand("stop"));
        Add(new JobPlanCommand("plan"));
        Add(new JobPeriodicCommand());
        Add(new JobDispatchCommand("dispatch"));
    }
}
