namespace Nomad.Cli;

public static class Program
{
    public static int Main(string[] args)
    {
        StartupTrace.Mark("main");
        // First thing: .NET fixes a signal's disposition the first time Console, Process or a signal
        // registration is touched, and the agent must not keep an inherited ignore of SIGINT/SIGQUIT/SIGHUP.
        if (args.Length > 0 && args[0] == "agent") Agent.AgentSignals.ResetInheritedIgnores();
        // Blocking here is what an async Main does; a plain Main saves JIT-compiling its state machine at start.
        var code = NomadCli.RunAsync(args, Console.Out, Console.Error).GetAwaiter().GetResult();
        StartupTrace.Report();
        return code;
    }
}
