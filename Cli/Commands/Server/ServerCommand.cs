using System.CommandLine;

namespace Nomad.Cli.Commands.Server;

/// <summary>`nomad server`: the noun grouping the server subcommands.</summary>
public sealed class ServerCommand : Command
{
    public ServerCommand() : base("server", "Interact with servers")
    {
        Add(new ServerMembersCommand("members"));
        Add(new ServerJoinCommand("join"));
        Add(new ServerForceLeaveCommand("force-leave"));
    }
}
