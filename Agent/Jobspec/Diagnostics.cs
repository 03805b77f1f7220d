using Nomad.Agent.Hcl;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// The problems found while decoding a job file, each as HCL2 words them: <c>file:line,col: Summary; Detail</c>.
/// Decoding goes on after a problem so that every problem is reported at once.
/// </summary>
public sealed class Diagnostics
{
    private readonly List<(HclPosition? At, string Text)> _problems = [];

    public bool HasErrors => _problems.Count > 0;

    public void Add(HclPosition at, string summary, string detail) => _problems.Add((at, $"{Where(at)}: {summary}; {detail}"));

    public void Add(string file, string summary, string detail) => _problems.Add((null, $"{file}: {summary}; {detail}"));

    public static string Where(HclPosition at) => $"{at.File}:{at.Line},{at.Column}";

    /// <summary>The problems in source order (file-level ones first).</summary>
    public IReadOnlyList<string> Problems =>
        _problems.OrderBy(p => p.At is null ? 0 : 1).ThenBy(p => p.At?.Line ?? 0).ThenBy(p => p.At?.Column ?? 0)
            .Select(p => p.Text).Distinct().ToList();

    public void ThrowIfAny()
    {
        if (HasErrors) throw new JobspecException(Problems);
    }
}
