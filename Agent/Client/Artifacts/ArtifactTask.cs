namespace Nomad.Agent.Client.Artifacts;

/// <summary>What fetching artifacts needs to know of the task they are for.</summary>
public sealed record ArtifactTask
{
    /// <summary>The allocation's directory: local sources may always be read from inside it.</summary>
    public required string AllocDir { get; init; }

    /// <summary>The task's directory (<c>ALLOC/TASK</c>): relative destinations and sources start here.</summary>
    public required string TaskDir { get; init; }

    /// <summary>The allocation's shared directory (<c>ALLOC/alloc</c>): the one place outside the task dir a destination may be.</summary>
    public required string SharedDir { get; init; }

    /// <summary><c>${...}</c> as the task sees its environment: for the source, options and headers.</summary>
    public required Func<string, string> Interpolate { get; init; }

    /// <summary><c>${...}</c> with the task's directories as host paths: for the destination.</summary>
    public required Func<string, string> InterpolateClientPath { get; init; }
}
