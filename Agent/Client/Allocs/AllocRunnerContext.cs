using Nomad.Agent.Client.Artifacts;
using Nomad.Agent.Logging;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>What every allocation runner of the client shares.</summary>
public sealed record AllocRunnerContext
{
    public required DriverManager Drivers { get; init; }
    public required ClientStateStore TaskStore { get; init; }
    public required AllocStateStore AllocStore { get; init; }
    public required string AllocDirRoot { get; init; }
    /// <summary>The client's node as it is now (attributes and meta for interpolation).</summary>
    public required Func<Node> Node { get; init; }
    public required string Region { get; init; }
    public required AllocUpdater Updater { get; init; }
    public required Logger Log { get; init; }
    /// <summary>Cancelled when the agent stops: runners stop following their tasks, which keep running.</summary>
    public required CancellationToken Shutdown { get; init; }
    /// <summary>Fetches tasks' artifacts before they start, within the client's artifact limits.</summary>
    public ArtifactFetcher Artifacts { get; init; } = new(new(), Logging.Logger.Null);
}
