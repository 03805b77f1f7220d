using System.CommandLine;

namespace Nomad.Cli.Commands.Eval;

/// <summary>`nomad eval`: the noun grouping the evaluation subcommands.</summary>
public sealed class EvalCommand : Command
{
    public EvalCommand() : base("eval", "Interact with evaluations")
    {
        Add(new EvalStatusCommand("status"));
        Add(new EvalListCommand("list"));
    }
}
