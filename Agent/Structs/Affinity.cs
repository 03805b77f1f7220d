namespace Nomad.Agent.Structs;

/// <summary>A soft placement preference (Nomad's "Affinity"): nodes matching it score higher (positive weight) or lower (negative), −100..100.</summary>
public sealed record Affinity
{
    public string LTarget { get; init; } = "";
    public string RTarget { get; init; } = "";
    public string Operand { get; init; } = "";
    public int Weight { get; init; } = 50;
}
