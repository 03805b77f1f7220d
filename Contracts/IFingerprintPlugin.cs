namespace Nomad.Contracts;

/// <summary>
/// A fingerprinter: contributes node attributes (and resources) such as <c>cpu.numcores</c> or
/// <c>kernel.name</c>. Fingerprint plugins load in the agent's process, each in its own load context.
/// </summary>
public interface IFingerprintPlugin
{
    /// <summary>The fingerprinter's name (<c>cpu</c>, <c>host</c>, ...).</summary>
    string Name { get; }

    /// <summary>How often to run again; null to run once at start.</summary>
    TimeSpan? Period { get; }

    /// <summary>Looks at the machine and reports what it found. <paramref name="request"/> carries the agent's relevant configuration.</summary>
    Task<FingerprintResponse> FingerprintAsync(FingerprintRequest request, CancellationToken ct = default);
}

/// <summary>What the agent tells a fingerprinter.</summary>
public sealed record FingerprintRequest
{
    /// <summary>The client's <c>options {}</c> and the plugin's config, as strings.</summary>
    public IReadOnlyDictionary<string, string> Options { get; init; } = new Dictionary<string, string>();
    /// <summary>The client's alloc directory (the storage fingerprinter measures its volume).</summary>
    public string AllocDir { get; init; } = "";
    /// <summary>The configured network interface, or empty to pick the default route's.</summary>
    public string NetworkInterface { get; init; } = "";
    /// <summary>The configured link speed in Mbit/s, 0 when not set.</summary>
    public int NetworkSpeed { get; init; }
    /// <summary>The agent's version, revision and advertised HTTP address (for the <c>nomad</c> fingerprinter).</summary>
    public string AgentVersion { get; init; } = "";
    /// <summary>The agent's build revision.</summary>
    public string AgentRevision { get; init; } = "";
    /// <summary>The agent's advertised HTTP address (<c>ip:port</c>).</summary>
    public string HttpAdvertise { get; init; } = "";
    /// <summary>Writes a line to the agent's log: (level TRACE|DEBUG|INFO|WARN|ERROR, message).</summary>
    public Action<string, string> Log { get; init; } = (_, _) => { };
}

/// <summary>What a fingerprinter found.</summary>
/// <param name="Detected">False when nothing applies here (e.g. not on that cloud); the rest is then ignored.</param>
/// <param name="Attributes">Attributes to set; a null value removes the attribute.</param>
/// <param name="Resources">Node resources, if this fingerprinter measures any.</param>
/// <param name="Links">Links to other systems (e.g. <c>aws.ec2</c> → instance ID).</param>
public sealed record FingerprintResponse(bool Detected, Dictionary<string, string?> Attributes, NodeResourcesFingerprint? Resources = null, Dictionary<string, string>? Links = null)
{
    /// <summary>Nothing detected.</summary>
    public static FingerprintResponse NotDetected { get; } = new(false, new());
}

/// <summary>Resources a fingerprinter measured; null fields were not measured.</summary>
public sealed record NodeResourcesFingerprint(long? CpuShares = null, long? MemoryMB = null, long? DiskMB = null, List<NetworkFingerprint>? Networks = null);

/// <summary>One network address of the node.</summary>
public sealed record NetworkFingerprint(string Device, string CIDR, string IP, int MBits);
