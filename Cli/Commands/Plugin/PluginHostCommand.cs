using System.CommandLine;
using Nomad.Agent.Plugins;

namespace Nomad.Cli.Commands.Plugin;

/// <summary>`nomad plugin-host DLL`: the process the agent runs a .dll driver plugin in (not for people).</summary>
public sealed class PluginHostCommand : Command
{
    public PluginHostCommand() : base("plugin-host", "Serves a .dll driver plugin on stdio (run by the agent)")
    {
        Hidden = true;
        var dll = new Argument<string>("dll") { Description = "The driver plugin's assembly" };
        Add(dll);
        SetAction((parsed, _) => DllDriverHost.RunAsync(parsed.GetValue(dll)!));
    }
}
