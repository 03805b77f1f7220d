using System.CommandLine;

namespace Nomad.Cli.Commands.Operator;

/// <summary>`nomad operator`: cluster-level tools; for now `operator raft list-peers`.</summary>
public sealed class OperatorCommand : Command
{
    public OperatorCommand() : base("operator", "Provides cluster-level tools for Nomad operators")
    {
        var raft = new Command("raft", "Provides access to the Raft subsystem");
        raft.Add(new OperatorRaftListPeersCommand());
        Add(raft);
    }
}
