namespace Nomad.Agent.Hcl;

/// <summary>
/// A syntax error in an HCL file. <see cref="Exception.Message"/> is always one line,
/// <c>FILE:LINE:COL: problem</c>, so it can be shown to a user as it is.
/// </summary>
public sealed class HclException : Exception
{
    public HclException(HclPosition position, string problem)
        : base($"{position}: {OneLine(problem)}")
    {
        Position = position;
        Problem = OneLine(problem);
    }

    // Problems quote the user's text, which may hold line breaks (a decoded "\n", a quoted name).
    private static string OneLine(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");

    public HclPosition Position { get; }

    /// <summary>The problem without the position prefix.</summary>
    public string Problem { get; }
}
