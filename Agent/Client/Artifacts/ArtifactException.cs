namespace Nomad.Agent.Client.Artifacts;

/// <summary>Why an artifact could not be fetched; its one-line message becomes the task's "Failed Artifact Download" event.</summary>
public sealed class ArtifactException(string message) : Exception(message);
