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
    public static RootCommand Create()
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

        root.Add(new AgentCommand());
        root.Add(new AgentInfoCommand());
        root.Add(new AllocCommand());
        root.Add(new EvalCommand());
        root.Add(new JobCommand());
        root.Add(new NodeCommand());
        root.Add(new ServerCommand());
        root.Add(new SystemCommand());
        root.Add(new Commands.Operator.OperatorCommand());
        root.Add(new VersionCommand());
        root.Add(new PluginHostCommand());

        root.Add(new JobInitCommand("init"));
        root.Add(new JobValidateCommand("validate"));
        root.Add(new JobRunCommand("run"));
        root.Add(new JobStatusCommand("status"));
        root.Add(new JobStopCommand("stop"));
        root.Add(new JobPlanCommand("plan"));
        root.Add(new AllocStatusCommand("alloc-status"));
        root.Add(new AllocLogsCommand("logs"));
        root.Add(new AllocFsCommand("fs"));
        root.Add(new EvalStatusCommand("eval-status"));
        root.Add(new NodeDrainCommand("node-drain"));
        root.Add(new NodeStatusCommand("node-status"));
        root.Add(new ServerMembersCommand("server-members"));
        root.Add(new ServerJoinCommand("server-join"));
        root.Add(new ServerForceLeaveCommand("server-force-leave"));

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
