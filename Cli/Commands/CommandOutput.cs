using System.CommandLine;

namespace Nomad.Cli.Commands;

/// <summary>Where a command writes: the invocation's standard output and error (captured in tests).</summary>
public static class CommandOutput
{
    public static TextWriter Out(this ParseResult parsed) => parsed.InvocationConfiguration.Output;
    public static TextWriter Err(this ParseResult parsed) => parsed.InvocationConfiguration.Error;
}
