namespace Nomad.Agent.Structs;

/// <summary>A group's claim on a volume (Nomad's "VolumeRequest"); Type "host" names a client's host_volume in Source.</summary>
public sealed record VolumeRequest
{
    public string Name { get; init; } = "";
    public string Type { get; init; } = "";
    public string Source { get; init; } = "";
    public bool ReadOnly { get; init; }
    public string AccessMode { get; init; } = "";
    public string AttachmentMode { get; init; } = "";
    public bool PerAlloc { get; init; }
}

/// <summary>Where a task sees one of its group's volumes (Nomad's "VolumeMount").</summary>
public sealed record VolumeMount
{
    public string Volume { get; init; } = "";
    public string Destination { get; init; } = "";
    public bool ReadOnly { get; init; }
    public string PropagationMode { get; init; } = "private";
}
