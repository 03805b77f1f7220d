using System.CommandLine;

namespace Nomad.Cli.Commands;

/// <summary>Positional arguments with Nomad's checks: a misspelt flag is an error rather than an argument, and the count is checked with Nomad's message.</summary>
public static class PositionalArguments
{
    /// <summary>Adds the argument to <paramref name="command"/> with its checks.</summary>
    /// <param name="name">the name shown in help, e.g. "node".</param>
    /// <param name="min">fewest allowed.</param>
    /// <param name="max">most allowed.</param>
    /// <param name="countError">Nomad's message when the count is wrong.</param>
    public static Argument<string[]> AddTo(Command command, string name, string description, int min, int max, string countError)
    {
        var argument = new Argument<string[]>(name) { Description = description, Arity = ArgumentArity.ZeroOrMore };
        command.Add(argument);
        // On the command, not the argument: an argument's validators do not run when it got no tokens.
        command.Validators.Add(result =>
        {
            var tokens = result.GetResult(argument)?.Tokens ?? [];
            var flagLike = tokens.FirstOrDefault(t => t.Value.Length > 1 && t.Value.StartsWith('-'));
            if (flagLike is not null)
                result.AddError($"Unrecognized command or argument '{flagLike.Value}'.");
            else if (tokens.Count < min || tokens.Count > max)
                result.AddError(countError);
        });
        return argument;
    }
}
