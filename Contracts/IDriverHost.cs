namespace Nomad.Contracts;

/// <summary>What a driver may tell the agent without being asked.</summary>
public interface IDriverHost
{
    /// <summary>Pushes a changed fingerprint (health or attributes) to the agent.</summary>
    Task PublishFingerprintAsync(DriverFingerprint fingerprint);
}
