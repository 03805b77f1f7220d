namespace Nomad.Agent.Structs;

/// <summary>
/// A directory the client offers to jobs as a host volume (Nomad's "ClientHostVolumeConfig"), from the client's
/// <c>host_volume "name" { path read_only }</c>. Nodes carry them in <c>HostVolumes</c>, by name.
/// </summary>
public sealed record ClientHostVolumeConfig
{
    public string Name { get; init; } = "";
    public string Path { get; init; } = "";
    public bool ReadOnly { get; init; }
}
