namespace Nomad.Agent.Structs;

public sealed record EphemeralDisk
{
    public bool Sticky { get; init; }
    public int SizeMB { get; init; } = 300;
    public bool Migrate { get; init; }
}
