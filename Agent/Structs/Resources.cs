namespace Nomad.Agent.Structs;

/// <summary>What a task asks for. CPU is MHz; memory and disk are MB.</summary>
public sealed record Resources
{
    public int CPU { get; init; } = 100;
    public int MemoryMB { get; init; } = 300;
    public int DiskMB { get; init; }
    public List<NetworkResource>? Networks { get; init; }
}
