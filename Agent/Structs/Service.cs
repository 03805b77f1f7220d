namespace Nomad.Agent.Structs;

/// <summary>
/// A <c>service</c> block of a group or a task (Nomad's structs.Service). The built-in catalog holds every
/// registration, whatever the provider (no Consul exists here).
/// </summary>
public sealed record Service
{
    public string Name { get; init; } = "";
    /// <summary>The task a group service belongs to (for address_mode = driver); a task's own service names its task.</summary>
    public string TaskName { get; init; } = "";
    /// <summary>A port label of the allocation's network, or a port number.</summary>
    public string PortLabel { get; init; } = "";
    /// <summary><c>auto</c>, <c>host</c>, <c>driver</c> or <c>alloc</c>.</summary>
    public string AddressMode { get; init; } = ServiceAddressModes.Auto;
    public string Address { get; init; } = "";
    public bool EnableTagOverride { get; init; }
    public List<string>? Tags { get; init; }
    public List<string>? CanaryTags { get; init; }
    public List<ServiceCheck>? Checks { get; init; }
    public Dictionary<string, string>? Meta { get; init; }
    public Dictionary<string, string>? CanaryMeta { get; init; }
    public Dictionary<string, string>? TaggedAddresses { get; init; }
    /// <summary><c>require_healthy</c>, <c>ignore_warnings</c> or <c>ignore</c>.</summary>
    public string OnUpdate { get; init; } = ServiceOnUpdate.RequireHealthy;
    /// <summary><c>consul</c> (Nomad's default) or <c>nomad</c>; both register in the built-in catalog here.</summary>
    public string Provider { get; init; } = ServiceProviders.Consul;
}

public static class ServiceAddressModes
{
    public const string Auto = "auto";
    public const string Host = "host";
    public const string Driver = "driver";
    public const string Alloc = "alloc";
}

public static class ServiceOnUpdate
{
    public const string RequireHealthy = "require_healthy";
    public const string IgnoreWarnings = "ignore_warnings";
    public const string Ignore = "ignore";
}

public static class ServiceProviders
{
    public const string Consul = "consul";
    public const string Nomad = "nomad";
}
