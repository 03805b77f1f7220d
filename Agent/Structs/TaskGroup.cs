namespace Nomad.Agent.Structs;

public sealed record TaskGroup
{
    public string Name { get; init; } = "";
    public int Count { get; init; } = 1;
    public List<Constraint>? Constraints { get; init; }
    public List<Affinity>? Affinities { get; init; }
    public List<Spread>? Spreads { get; init; }
    /// <summary>Null until canonicalized: the default depends on the job type (<see cref="RestartPolicy.ForJobType"/>).</summary>
    public RestartPolicy? RestartPolicy { get; init; }
    /// <summary>Null for system jobs, which are never rescheduled.</summary>
    public ReschedulePolicy? ReschedulePolicy { get; init; }
    public EphemeralDisk EphemeralDisk { get; init; } = new();
    public MigrateStrategy? Migrate { get; init; }
    /// <summary>The group's rolling-update settings: the job's update block merged with the group's own (api Canonicalize).</summary>
    public UpdateStrategy? Update { get; init; }
    public Dictionary<string, VolumeRequest>? Volumes { get; init; }
    /// <summary>Nanoseconds between deregistering the group's services and killing its tasks.</summary>
    public long? ShutdownDelay { get; init; }
    public List<NetworkResource>? Networks { get; init; }
    public List<Service>? Services { get; init; }
    public List<JobTask> Tasks { get; init; } = new();
    public Dictionary<string, string>? Meta { get; init; }
}
