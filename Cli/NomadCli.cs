using System.CommandLine;
using System.CommandLine.Parsing;
using Nomad.Cli.Api;

namespace Nomad.Cli;

/// <summary>
/// Runs one `nomad` command line: parse with Nomad's flag rules, then invoke. A bad command line or an unexpected
/// failure is reported as one line on standard error with exit code 1, never as a stack trace.
/// </summary>
public static class NomadCli
{
    /// <summary>Nomad's flags: no @response files, and -abc is one flag, never -a -b -c.</summary>
    public static ParserConfiguration ParserConfiguration { get; } = new()
    {
        EnablePosixBundling = false,
        ResponseFileTokenReplacer = null,
    };

    public static ParseResult Parse(IReadOnlyList<string> args)
    {
        var root = NomadRootCommand.Create(args);
        StartupTrace.Mark("tree built");
        var parsed = root.Parse(Commands.Alloc.AllocExecCommand.StopOptionsAtCommand(args), ParserConfiguration);
        StartupTrace.Mark("parsed");
        return parsed;
    }

    public static async Task<int> RunAsync(IReadOnlyList<string> args, TextWriter stdout, TextWriter stderr, CancellationToken ct = default)
    {
        ParseResult parsed;
        try
        {
            parsed = Parse(args);
        }
        catch (Exception e)
        {
            stderr.WriteLine($"Error: {RequestErrorText.OneLine(e.Message)}");
            return 1;
        }

        if (parsed.Errors.Count > 0)
        {
            stderr.WriteLine(UsageError(parsed));
            return 1;
        }

        var invocation = new InvocationConfiguration
        {
            Output = stdout,
            Error = stderr,
            EnableDefaultExceptionHandler = false,
            // The agent handles its own signals (graceful leave); the parser must not exit the process under it.
            ProcessTerminationTimeout = null,
        };
        try
        {
            return await parsed.InvokeAsync(invocation, ct);
        }
        catch (OperationCanceledException) when (ct.IsCancellationRequested)
        {
            return 1;
        }
        catch (Exception e)
        {
            stderr.WriteLine($"Error: {RequestErrorText.OneLine(e.Message)}");
            return 1;
        }
    }

    /// <summary>One line: the most telling parse error and where to find the command's help.</summary>
    public static string UsageError(ParseResult parsed)
    {
        var error = parsed.Errors.FirstOrDefault(e => e.Message.StartsWith("Unrecognized", StringComparison.Ordinal))
                    ?? parsed.Errors[0];
        var message = RequestErrorText.OneLine(error.Message).TrimEnd('.');
        if (!message.StartsWith("Error", StringComparison.Ordinal)) message = "Error: " + message;
        return $"{message} (see '{CommandPath(parsed.CommandResult)} -help')";
    }

    private static string CommandPath(CommandResult result)
    {
        var names = new List<string>();
        for (SymbolResult? r = result; r is CommandResult command; r = r.Parent)
        {
            if (command.Parent is not null) names.Insert(0, command.Command.Name);
        }
        names.Insert(0, "nomad");
        return string.Join(' ', names);
    }
}
