namespace Nomad.Agent.Jobspec;

/// <summary>
/// A job file that cannot be read. The message is one line per problem: <c>FILE:LINE,COL: problem</c> (or
/// <c>FILE: problem</c>); a line break inside a problem is escaped so that one problem never spans two lines.
/// </summary>
public sealed class JobspecException : Exception
{
    public JobspecException(string message) : this([message]) { }

    public JobspecException(IReadOnlyList<string> problems)
        : base(string.Join("\n", problems.Select(Escape))) => Problems = problems.Select(Escape).ToList();

    /// <summary>Each problem, one line each.</summary>
    public IReadOnlyList<string> Problems { get; }

    private static string Escape(string p) => p.Replace("\r", "\\r").Replace("\n", "\\n");
}
