namespace Nomad.Agent.Jobspec.Api;

/// <summary>api.Constraint: <c>attribute</c> is LTarget, <c>value</c> RTarget, <c>operator</c> Operand.</summary>
public sealed class Constraint
{
    public string LTarget { get; set; } = "";
    public string RTarget { get; set; } = "";
    public string Operand { get; set; } = "";
}

/// <summary>api.Affinity.</summary>
public sealed class Affinity
{
    public string LTarget { get; set; } = "";
    public string RTarget { get; set; } = "";
    public string Operand { get; set; } = "";
    public sbyte? Weight { get; set; }
}

/// <summary>api.Spread with its <c>target "value"</c> blocks.</summary>
public sealed class Spread
{
    public string Attribute { get; set; } = "";
    public sbyte? Weight { get; set; }
    public List<SpreadTarget>? SpreadTarget { get; set; }
}

public sealed class SpreadTarget
{
    public string Value { get; set; } = "";
    public byte Percent { get; set; }
}
