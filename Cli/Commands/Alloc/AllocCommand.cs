using System.CommandLine;

namespace Nomad.Cli.Commands.Alloc;

/// <summary>`nomad alloc`: the noun grouping the allocation subcommands.</summary>
public sealed class AllocCommand : Command
{
    public AllocCommand() : base("alloc", "Interact with allocations")
    {
        Add(new AllocStatusCommand("status"));
        Add(new AllocLogsCommand("logs"));
        Add(new AllocExecCommand("exec"));
        Add(new AllocFsCommand("fs"));
    }
}
