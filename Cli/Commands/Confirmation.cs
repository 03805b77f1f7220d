namespace Nomad.Cli.Commands;

/// <summary>Nomad's y/N question before acting on a prefix match: only an exact "y" confirms.</summary>
public static class Confirmation
{
    /// <returns>(true, 0) when confirmed; otherwise false and the exit code Nomad uses.</returns>
    public static (bool Confirmed, int ExitCode) Ask(string question, string cancelled, TextWriter stdout, TextReader stdin)
    {
        stdout.Write(question + " ");
        stdout.Flush();
        var answer = (stdin.ReadLine() ?? "").Trim();
        if (answer.Length == 0 || char.ToLowerInvariant(answer[0]) == 'n')
        {
            stdout.WriteLine(cancelled);
            return (false, 0);
        }
        if (char.ToLowerInvariant(answer[0]) == 'y' && answer.Length > 1)
        {
            stdout.WriteLine("For confirmation, an exact ‘y’ is required.");
            return (false, 0);
        }
        if (answer != "y")
        {
            stdout.WriteLine("No confirmation detected. For confirmation, an exact 'y' is required.");
            return (false, 1);
        }
        return (true, 0);
    }
}
