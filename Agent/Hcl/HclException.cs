namespace Nomad.Agent.Hcl;

/// <summary>
/// A syntax error in an HCL file. <see cref="Exception.Message"/> is always one line,
/// <c>FILE:LINE:COL: problem</c>, so it can be shown to a user as it is (the agent configuration does).
/// <see cref="Syntax"/> is the same error in HCL2's words, which job files show as Nomad does.
/// </summary>
public sealed class HclException : Exception
{
    public HclException(HclPosition position, string problem, HclSyntaxError? syntax = null)
        : base($"{position}: {OneLine(problem)}")
    {
        Position = position;
        Problem = OneLine(problem);
        Syntax = syntax;
    }

    // Problems quote the user's text, which may hold line breaks (a decoded "\n", a quoted name).
    private static string OneLine(string s) => s.Replace("\r", "\\r").Replace("\n", "\\n");

    public HclPosition Position { get; }

    /// <summary>The problem without the position prefix.</summary>
    public string Problem { get; }

    /// <summary>HCL2's summary and detail for this error; null where HCL has no equivalent of our problem.</summary>
    public HclSyntaxError? Syntax { get; }

    /// <summary>As Nomad shows an HCL2 diagnostic: <c>FILE:LINE,COL: Summary; Detail</c> (or the problem, when HCL has no words for it).</summary>
    public string Hcl2Message
    {
        get
        {
            var at = Syntax?.At ?? Position;
            return $"{at.File}:{at.Line},{at.Column}: {(Syntax is { } s ? $"{s.Summary}; {s.Detail}" : Problem)}";
        }
    }
}
