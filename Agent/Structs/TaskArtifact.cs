namespace Nomad.Agent.Structs;

/// <summary>A file or archive fetched into the task dir before the task starts (Nomad's "TaskArtifact").</summary>
public sealed record TaskArtifact
{
    public string GetterSource { get; init; } = "";
    public Dictionary<string, string>? GetterOptions { get; init; }
    public Dictionary<string, string>? GetterHeaders { get; init; }
    public string GetterMode { get; init; } = "any";
    public string RelativeDest { get; init; } = "local/";
}
