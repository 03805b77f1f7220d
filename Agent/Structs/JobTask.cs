using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>
/// A task of a task group: Nomad's "Task". Named JobTask so that it never shadows System.Threading.Tasks.Task
/// in files that import this namespace.
/// </summary>
public sealed record JobTask
{
    public string Name { get; init; } = "";
    public string Driver { get; init; } = "";
    public string User { get; init; } = "";
    public TaskLifecycle? Lifecycle { get; init; }
    /// <summary>The driver's config as a JSON-like tree: string, long, double, bool, null, List&lt;object?&gt;, Dictionary&lt;string, object?&gt;.</summary>
    [JsonConverter(typeof(PlainJsonMapConverter))]
    public Dictionary<string, object?>? Config { get; init; }
    public Dictionary<string, string>? Env { get; init; }
    public Resources Resources { get; init; } = new();
    public List<Constraint>? Constraints { get; init; }
    public List<Affinity>? Affinities { get; init; }
    public Dictionary<string, string>? Meta { get; init; }
    /// <summary>Nanoseconds.</summary>
    public long KillTimeout { get; init; } = 5_000_000_000;
    public string KillSignal { get; init; } = "";
    public LogConfig LogConfig { get; init; } = new();
    public List<TaskArtifact>? Artifacts { get; init; }
    public List<Template>? Templates { get; init; }
    public DispatchPayloadConfig? DispatchPayload { get; init; }
    public List<VolumeMount>? VolumeMounts { get; init; }
    public List<Service>? Services { get; init; }
    /// <summary>When the leader task exits, the group's other tasks are stopped.</summary>
    public bool Leader { get; init; }
    /// <summary>Nanoseconds between deregistering the task's services and killing it.</summary>
    public long ShutdownDelay { get; init; }
}
