namespace Nomad.Agent.Structs;

public sealed record Constraint
{
    public string LTarget { get; init; } = "";
    public string RTarget { get; init; } = "";
    public string Operand { get; init; } = "";
}
