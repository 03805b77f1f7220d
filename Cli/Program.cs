namespace Nomad.Cli;

public static class Program
{
    public static Task<int> Main(string[] args)
    {
        // First thing: .NET fixes a signal's disposition the first time Console, Process or a signal
        // registration is touched, and the agent must not keep an inherited ignore of SIGINT/SIGQUIT/SIGHUP.
        if (args.Length > 0 && args[0] == "agent") Agent.AgentSignals.ResetInheritedIgnores();
        return NomadCli.RunAsync(args, Console.Out, Console.Error);
    }
}
