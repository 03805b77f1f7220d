namespace Nomad.Cli;

public static class Program
{
    public static Task<int> Main(string[] args) => NomadCli.RunAsync(args, Console.Out, Console.Error);
}
