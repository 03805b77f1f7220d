namespace Nomad.Agent.Structs;

/// <summary>A parameterized job's dispatch rules (Nomad's "ParameterizedJobConfig"): Payload is optional, required or forbidden.</summary>
public sealed record ParameterizedJobConfig
{
    public string Payload { get; init; } = "optional";
    public List<string>? MetaRequired { get; init; }
    public List<string>? MetaOptional { get; init; }
}
