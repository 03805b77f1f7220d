namespace Nomad.Agent.Structs;

/// <summary>Where a dispatched job's payload is written, relative to the task's local/ dir (Nomad's "DispatchPayloadConfig").</summary>
public sealed record DispatchPayloadConfig
{
    public string File { get; init; } = "";
}
