using System.CommandLine;

namespace Nomad.Cli.Commands.Operator;

/// <summary>`nomad operator`: cluster-level tools: `operator raft list-peers`, `operator scheduler get-config|set-config`.</summary>
public sealed class OperatorCommand : Command
{
    public OperatorCommand() : base("operator", "Provides cluster-level tools for Nomad operators")
    {
        var raft = new Command("raft", "Provides access to the Raft subsystem");
        raft.Add(new OperatorRaftListPeersCommand());
        Add(raft);
        var scheduler = new Command("scheduler", "Provides access to the scheduler configuration");
        scheduler.Add(new OperatorSchedulerGetConfigCommand());
        scheduler.Add(new OperatorSchedulerSetConfigCommand());
        Add(scheduler);
    }
}
