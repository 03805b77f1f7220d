namespace Nomad.Agent.Hcl;

/// <summary>A place in an HCL file: 1-based line and column (columns count UTF-16 characters; a tab is one).</summary>
public readonly record struct HclPosition(string File, int Line, int Column)
{
    public override string ToString() => $"{File}:{Line}:{Column}";
}
