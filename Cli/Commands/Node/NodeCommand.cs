using System.CommandLine;

namespace Nomad.Cli.Commands.Node;

/// <summary>`nomad node`: the noun grouping the node subcommands.</summary>
public sealed class NodeCommand : Command
{
    public NodeCommand() : base("node", "Interact with nodes")
    {
        Add(new NodeStatusCommand("status"));
        Add(new NodeDrainCommand("drain"));
        Add(new NodeEligibilityCommand("eligibility"));
    }
}
