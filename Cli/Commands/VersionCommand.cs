using System.CommandLine;
using System.CommandLine.Invocation;
using System.Reflection;

namespace Nomad.Cli.Commands;

/// <summary>`nomad version`, and the -version / --version / -v flags: print "Nomad v0.1.0".</summary>
public sealed class VersionCommand : Command
{
    public VersionCommand() : base("version", "Prints the Nomad version")
    {
        SetAction(parsed =>
        {
            parsed.Out().WriteLine(Text);
            return 0;
        });
    }

    /// <summary>"Nomad v" and this build's version (from the assembly, without build metadata).</summary>
    public static string Text { get; } = "Nomad v" + BuildVersion();

    /// <summary>The root's version flag; it prints the version instead of running anything else.</summary>
    public static Option<bool> CreateFlag() =>
        new("-version", "--version", "-v") { Description = "Prints the Nomad version", Action = new PrintVersion() };

    private static string BuildVersion()
    {
        var assembly = typeof(VersionCommand).Assembly;
        var informational = assembly.GetCustomAttribute<AssemblyInformationalVersionAttribute>()?.InformationalVersion;
        if (!string.IsNullOrEmpty(informational)) return informational.Split('+')[0];
        var version = assembly.GetName().Version;
        return version is null ? "0.0.0" : $"{version.Major}.{version.Minor}.{version.Build}";
    }

    private sealed class PrintVersion : SynchronousCommandLineAction
    {
        public override int Invoke(ParseResult parseResult)
        {
            parseResult.Out().WriteLine(Text);
            return 0;
        }
    }
}
