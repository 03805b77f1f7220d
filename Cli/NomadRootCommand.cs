using System.CommandLine;
using System.CommandLine.Help;
using Nomad.Cli.Commands;
using Nomad.Cli.Commands.Agent;
using Nomad.Cli.Commands.Alloc;
using Nomad.Cli.Commands.Eval;
using Nomad.Cli.Commands.Job;
using Nomad.Cli.Commands.Node;
using Nomad.Cli.Commands.Plugin;
using Nomad.Cli.Commands.Server;
using Nomad.Cli.Commands.SystemOps;

namespace Nomad.Cli;

/// <summary>The `nomad` command tree: the nouns with their subcommands, and the older hyphenated forms (node-status, ...).</summary>
public static class NomadRootCommand
{
    // The commands by name, built only when wanted: building all of them costs every CLI start several ms.
    private static readonly (string Name, Func<Command> Create)[] Commands =
    [
        ("agent", () => new AgentCommand()),
        ("agent-info", () => new AgentInfoCommand()),
        ("alloc", () => new AllocCommand()),
        ("eval", () => new EvalCommand()),
        ("job", () => new JobCommand()),
        ("node", () => new NodeCommand()),
        ("server", () => new ServerCommand()),
        ("system", () => new SystemCommand()),
        ("operator", () => new Commands.Operator.OperatorCommand()),
        ("version", () => new VersionCommand()),
        ("plugin-host", () => new PluginHostCommand()),
        ("init", () => new JobInitCommand("init")),
        ("validate", () => new JobValidateCommand("validate")),
        ("run", () => new JobRunCommand("run")),
        ("status", () => new JobStatusCommand("status")),
        ("stop", () => new JobStopCommand("stop")),
        ("plan", () => new JobPlanCommand("plan")),
        ("alloc-status", () => new AllocStatusCommand("alloc-status")),
        ("logs", () => new AllocLogsCommand("logs")),
        ("fs", () => new AllocFsCommand("fs")),
        ("eval-status", () => new EvalStatusCommand("eval-status")),
        ("node-drain", () => new NodeDrainCommand("node-drain")),
        ("node-status", () => new NodeStatusCommand("node-status")),
        ("server-members", () => new ServerMembersCommand("server-members")),
        ("server-join", () => new ServerJoinCommand("server-join")),
        ("server-force-leave", () => new ServerForceLeaveCommand("server-force-leave")),
    ];

    /// <summary>The whole tree.</summary>
    public static RootCommand Create() => Create(null);

    /// <summary>
    /// The tree for a command line: when its first word names a command, the root holds only that command (what
    /// parsing, invoking and that command's help need); otherwise (no command, an option, a misspelt command: usage,
    /// help and suggestions list them all) every command.
    /// </summary>
    public static RootCommand Create(IReadOnlyList<string>? args)
    {
        var root = new RootCommand("Nomad: a cluster agent and its command line");

        // No [directives]; Nomad's own version flags; -help beside -h and --help.
        root.Directives.Clear();
        foreach (var option in root.Options.ToList())
        {
            if (option is VersionOption) root.Options.Remove(option);
            if (option is HelpOption help) help.Aliases.Add("-help");
        }
        root.Add(VersionCommand.CreateFlag());

        string? wanted = null;
        if (args is [var first, ..])
            foreach (var (name, _) in Commands)
                if (name == first) wanted = first;
        foreach (var (name, create) in Commands)
            if (wanted is null || name == wanted) root.Add(create());

        root.SetAction(parsed =>
        {
            parsed.Err().Write(Usage(root));
            return 1;
        });
        return root;
    }

    /// <summary>What a bare `nomad` prints: the usage line and the commands.</summary>
    public static string Usage(RootCommand root)
    {
        var commands = root.Subcommands.Where(c => !c.Hidden).OrderBy(c => c.Name, StringComparer.Ordinal).ToList();
        var width = commands.Max(c => c.Name.Length);
        var lines = new List<string> { "Usage: nomad [-version] [-help] <command> [args]", "", "Commands:" };
        lines.AddRange(commands.Select(c => $"    {c.Name.PadRight(width)}    {c.Description}"));
        return string.Join("\n", lines) + "\n";
    }
}
