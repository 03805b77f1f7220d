namespace Nomad.Agent.Hcl;

/// <summary>
/// A syntax error in an HCL file. <see cref="Exception.Message"/> is always one line,
/// <c>FILE:LINE:COL: problem</c>, so it can be shown to a user as it is.
/// </summary>
public sealed class HclException : Exception
{
    public HclException(HclPosition position, string problem)
        : base($"{position}: {problem}")
    {
        Position = position;
        Problem = problem;
    }

    public HclPosition Position { get; }

    /// <summary>The problem without the position prefix.</summary>
    public string Problem { get; }
}
