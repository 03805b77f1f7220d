namespace Nomad.Contracts;

/// <summary>What a driver may tell the agent without being asked.</summary>
public interface IDriverHost
{
    /// <summary>Pushes a changed fingerprint (health or attributes) to the agent.</summary>
    Task PublishFingerprintAsync(DriverFingerprint fingerprint);

    /// <summary>
    /// Tells the agent something about one task that the operator should see among its events (docker:
    /// <c>Downloading image</c> and the pull's progress). Best effort: an agent that does not know the
    /// notification ignores it.
    /// </summary>
    Task PublishTaskEventAsync(DriverTaskEvent taskEvent) => Task.CompletedTask;
}
