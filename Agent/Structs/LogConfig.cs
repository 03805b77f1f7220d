namespace Nomad.Agent.Structs;

public sealed record LogConfig
{
    public int MaxFiles { get; init; } = 10;
    public int MaxFileSizeMB { get; init; } = 10;
}
