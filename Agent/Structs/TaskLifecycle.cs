namespace Nomad.Agent.Structs;

/// <summary>When a task runs relative to the group's main tasks (Nomad's "TaskLifecycleConfig"): Hook is prestart, poststart or poststop.</summary>
public sealed record TaskLifecycle
{
    public string Hook { get; init; } = "";
    public bool Sidecar { get; init; }
}

/// <summary>Values of TaskLifecycle.Hook.</summary>
public static class TaskLifecycleHook
{
    public const string Prestart = "prestart";
    public const string Poststart = "poststart";
    public const string Poststop = "poststop";

    public static readonly IReadOnlyList<string> All = [Prestart, Poststart, Poststop];
}
