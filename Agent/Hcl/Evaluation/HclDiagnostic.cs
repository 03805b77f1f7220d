namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// One problem found while evaluating, as HCL reports it: a short <see cref="Summary"/> ("Unsupported attribute") and
/// a <see cref="Detail"/> sentence, at a place in a file (line 0: the file as a whole; null when the problem has no
/// place, e.g. a <c>-var</c> naming an undeclared variable). Shown as Nomad shows an HCL diagnostic: <c>file:line,col: summary; detail</c>.
/// </summary>
public sealed record HclDiagnostic(HclPosition? Position, string Summary, string Detail)
{
    public override string ToString()
    {
        var text = OneLine(Detail.Length == 0 ? Summary : $"{Summary}; {Detail}");
        return Position switch
        {
            null => text,
            { Line: 0 } p => $"{p.File}: {text}",
            { } p => $"{p.File}:{p.Line},{p.Column}: {text}",
        };
    }

    // Details quote the user's text (error messages, values), which may hold line breaks.
    private static string OneLine(string s) => s.Replace("\r", "").Replace("\n\n", " ").Replace("\n", " ");
}

/// <summary>
/// Evaluation failed: one or more <see cref="HclDiagnostic"/>s. The message is one line per diagnostic, in the
/// order found.
/// </summary>
public sealed class EvaluationException(IReadOnlyList<HclDiagnostic> diagnostics)
    : Exception(string.Join("\n", diagnostics.Select(d => d.ToString())))
{
    public EvaluationException(HclPosition? position, string summary, string detail)
        : this([new HclDiagnostic(position, summary, detail)])
    {
    }

    public IReadOnlyList<HclDiagnostic> Diagnostics { get; } = diagnostics;
}
