using System.CommandLine;

// Not "Commands.System": that namespace would hide the System namespace from every sibling command.
namespace Nomad.Cli.Commands.SystemOps;

/// <summary>`nomad system`: the noun grouping system maintenance subcommands.</summary>
public sealed class SystemCommand : Command
{
    public SystemCommand() : base("system", "Interact with the system API")
    {
        Add(new SystemGcCommand("gc"));
    }
}
