namespace Nomad.Agent.Structs;

/// <summary>Spread a group's allocations over the values of a node attribute (Nomad's "Spread"), optionally by target percentages.</summary>
public sealed record Spread
{
    public string Attribute { get; init; } = "";
    public int Weight { get; init; } = 50;
    public List<SpreadTarget>? SpreadTarget { get; init; }
}

public sealed record SpreadTarget
{
    public string Value { get; init; } = "";
    public int Percent { get; init; }
}
