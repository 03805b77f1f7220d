namespace Nomad.Agent.Structs;

/// <summary>The values of <see cref="ParameterizedJobConfig.Payload"/> (Nomad's DispatchPayload* constants).</summary>
public static class ParameterizedPayload
{
    public const string Optional = "optional";
    public const string Required = "required";
    public const string Forbidden = "forbidden";

    public static readonly IReadOnlyList<string> All = [Optional, Required, Forbidden];
}
