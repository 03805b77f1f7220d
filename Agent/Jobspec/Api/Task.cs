using System.Text.Json.Nodes;
using System.Text.Json.Serialization;

namespace Nomad.Agent.Jobspec.Api;

/// <summary>Nomad 1.4's api.Task (<c>task "name"</c>). <see cref="Config"/> is the driver's free-form map.</summary>
public sealed class Task
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "";
    public string User { get; set; } = "";
    public TaskLifecycle? Lifecycle { get; set; }
    public JsonObject? Config { get; set; }
    public List<Constraint>? Constraints { get; set; }
    public List<Affinity>? Affinities { get; set; }
    public SortedList<string, string>? Env { get; set; }
    public List<Service>? Services { get; set; }
    public Resources? Resources { get; set; }
    public RestartPolicy? RestartPolicy { get; set; }
    public SortedList<string, string>? Meta { get; set; }
    public long? KillTimeout { get; set; }
    public LogConfig? LogConfig { get; set; }
    public List<TaskArtifact>? Artifacts { get; set; }
    public Vault? Vault { get; set; }
    public List<Template>? Templates { get; set; }
    public DispatchPayloadConfig? DispatchPayload { get; set; }
    public List<VolumeMount>? VolumeMounts { get; set; }
    /// <summary>Go's <c>json:",omitempty"</c>: left out when nil.</summary>
    [JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)]
    public TaskCSIPluginConfig? CSIPluginConfig { get; set; }
    public bool Leader { get; set; }
    public long ShutdownDelay { get; set; }
    public string KillSignal { get; set; } = "";
    public string Kind { get; set; } = "";
    public List<ScalingPolicy>? ScalingPolicies { get; set; }
}

/// <summary>api.TaskLifecycle (<c>lifecycle</c>).</summary>
public sealed class TaskLifecycle
{
    public string Hook { get; set; } = "";
    public bool Sidecar { get; set; }
}

/// <summary>api.LogConfig (<c>logs</c>): <c>max_file_size</c> is MaxFileSizeMB.</summary>
public sealed class LogConfig
{
    public int? MaxFiles { get; set; }
    public int? MaxFileSizeMB { get; set; }
}

/// <summary>api.TaskArtifact (<c>artifact</c>).</summary>
public sealed class TaskArtifact
{
    public string? GetterSource { get; set; }
    public SortedList<string, string>? GetterOptions { get; set; }
    public SortedList<string, string>? GetterHeaders { get; set; }
    public string? GetterMode { get; set; }
    public string? RelativeDest { get; set; }
}

/// <summary>api.Template (<c>template</c>).</summary>
public sealed class Template
{
    public string? SourcePath { get; set; }
    public string? DestPath { get; set; }
    public string? EmbeddedTmpl { get; set; }
    public string? ChangeMode { get; set; }
    public ChangeScript? ChangeScript { get; set; }
    public string? ChangeSignal { get; set; }
    public long? Splay { get; set; }
    public string? Perms { get; set; }
    public int? Uid { get; set; }
    public int? Gid { get; set; }
    public string? LeftDelim { get; set; }
    public string? RightDelim { get; set; }
    public bool? Envvars { get; set; }
    public long? VaultGrace { get; set; }
    public WaitConfig? Wait { get; set; }
}

/// <summary>api.ChangeScript (template <c>change_script</c>).</summary>
public sealed class ChangeScript
{
    public string? Command { get; set; }
    public List<string>? Args { get; set; }
    public long? Timeout { get; set; }
    public bool? FailOnError { get; set; }
}

/// <summary>api.WaitConfig (template <c>wait</c>).</summary>
public sealed class WaitConfig
{
    public long? Min { get; set; }
    public long? Max { get; set; }
}

/// <summary>api.Vault (<c>vault</c>).</summary>
public sealed class Vault
{
    public List<string>? Policies { get; set; }
    public string? Namespace { get; set; }
    public bool? Env { get; set; }
    public string? ChangeMode { get; set; }
    public string? ChangeSignal { get; set; }
}

/// <summary>api.DispatchPayloadConfig (<c>dispatch_payload</c>).</summary>
public sealed class DispatchPayloadConfig
{
    public string File { get; set; } = "";
}

/// <summary>api.VolumeMount (<c>volume_mount</c>).</summary>
public sealed class VolumeMount
{
    public string? Volume { get; set; }
    public string? Destination { get; set; }
    public bool? ReadOnly { get; set; }
    public string? PropagationMode { get; set; }
}

/// <summary>api.TaskCSIPluginConfig (<c>csi_plugin</c>).</summary>
public sealed class TaskCSIPluginConfig
{
    public string ID { get; set; } = "";
    public string Type { get; set; } = "";
    public string MountDir { get; set; } = "";
    public string StagePublishBaseDir { get; set; } = "";
    public long HealthTimeout { get; set; }
}
