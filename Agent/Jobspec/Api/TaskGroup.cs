namespace Nomad.Agent.Jobspec.Api;

/// <summary>Nomad 1.4's api.TaskGroup (<c>group "name"</c>).</summary>
public sealed class TaskGroup
{
    public string? Name { get; set; }
    public int? Count { get; set; }
    public List<Constraint>? Constraints { get; set; }
    public List<Affinity>? Affinities { get; set; }
    public List<Task>? Tasks { get; set; }
    public List<Spread>? Spreads { get; set; }
    public SortedList<string, VolumeRequest>? Volumes { get; set; }
    public RestartPolicy? RestartPolicy { get; set; }
    public ReschedulePolicy? ReschedulePolicy { get; set; }
    public EphemeralDisk? EphemeralDisk { get; set; }
    public UpdateStrategy? Update { get; set; }
    public MigrateStrategy? Migrate { get; set; }
    public List<NetworkResource>? Networks { get; set; }
    public SortedList<string, string>? Meta { get; set; }
    public List<Service>? Services { get; set; }
    public long? ShutdownDelay { get; set; }
    public long? StopAfterClientDisconnect { get; set; }
    public long? MaxClientDisconnect { get; set; }
    public ScalingPolicy? Scaling { get; set; }
    public Consul? Consul { get; set; }
}

/// <summary>api.Consul (group <c>consul</c>).</summary>
public sealed class Consul
{
    public string Namespace { get; set; } = "";
}

/// <summary>api.EphemeralDisk.</summary>
public sealed class EphemeralDisk
{
    public bool? Sticky { get; set; }
    public bool? Migrate { get; set; }
    public int? SizeMB { get; set; }
}

/// <summary>api.VolumeRequest (group <c>volume "name"</c>).</summary>
public sealed class VolumeRequest
{
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string Source { get; set; } = "";
    public bool ReadOnly { get; set; }
    public string AccessMode { get; set; } = "";
    public string AttachmentMode { get; set; } = "";
    public CSIMountOptions? MountOptions { get; set; }
    public bool PerAlloc { get; set; }
}

public sealed class CSIMountOptions
{
    public string FSType { get; set; } = "";
    public List<string>? MountFlags { get; set; }
}
