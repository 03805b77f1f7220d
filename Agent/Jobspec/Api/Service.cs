using System.Text.Json.Nodes;

namespace Nomad.Agent.Jobspec.Api;

/// <summary>Nomad 1.4's api.Service (<c>service</c>, group or task level): <c>port</c> is PortLabel, <c>task</c> TaskName.</summary>
public sealed class Service
{
    /// <summary>Accepted and kept, never used (Nomad issue #10405).</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public List<string>? Tags { get; set; }
    public List<string>? CanaryTags { get; set; }
    public bool EnableTagOverride { get; set; }
    public string PortLabel { get; set; } = "";
    public string AddressMode { get; set; } = "";
    public string Address { get; set; } = "";
    public List<ServiceCheck>? Checks { get; set; }
    public CheckRestart? CheckRestart { get; set; }
    public ConsulConnect? Connect { get; set; }
    public SortedList<string, string>? Meta { get; set; }
    public SortedList<string, string>? CanaryMeta { get; set; }
    public SortedList<string, string>? TaggedAddresses { get; set; }
    public string TaskName { get; set; } = "";
    public string OnUpdate { get; set; } = "";
    public string Provider { get; set; } = "";
}

/// <summary>api.ServiceCheck (<c>check</c>). Interval and Timeout are plain durations (0 when unset).</summary>
public sealed class ServiceCheck
{
    /// <summary>Accepted and kept, never used (Nomad issue #10407).</summary>
    public string Id { get; set; } = "";
    public string Name { get; set; } = "";
    public string Type { get; set; } = "";
    public string Command { get; set; } = "";
    public List<string>? Args { get; set; }
    public string Path { get; set; } = "";
    public string Protocol { get; set; } = "";
    public string PortLabel { get; set; } = "";
    public bool Expose { get; set; }
    public string AddressMode { get; set; } = "";
    public string Advertise { get; set; } = "";
    public long Interval { get; set; }
    public long Timeout { get; set; }
    public string InitialStatus { get; set; } = "";
    public bool TLSSkipVerify { get; set; }
    public SortedList<string, List<string>>? Header { get; set; }
    public string Method { get; set; } = "";
    public CheckRestart? CheckRestart { get; set; }
    public string GRPCService { get; set; } = "";
    public bool GRPCUseTLS { get; set; }
    public string TaskName { get; set; } = "";
    public int SuccessBeforePassing { get; set; }
    public int FailuresBeforeCritical { get; set; }
    public string Body { get; set; } = "";
    public string OnUpdate { get; set; } = "";
}

/// <summary>api.CheckRestart (<c>check_restart</c>).</summary>
public sealed class CheckRestart
{
    public int Limit { get; set; }
    public long? Grace { get; set; }
    public bool IgnoreWarnings { get; set; }

    public CheckRestart Copy() => new() { Limit = Limit, Grace = Grace, IgnoreWarnings = IgnoreWarnings };
}

/// <summary>api.ConsulConnect (<c>connect</c>).</summary>
public sealed class ConsulConnect
{
    public bool Native { get; set; }
    public ConsulGateway? Gateway { get; set; }
    public ConsulSidecarService? SidecarService { get; set; }
    public SidecarTask? SidecarTask { get; set; }
}

/// <summary>api.ConsulSidecarService (<c>sidecar_service</c>).</summary>
public sealed class ConsulSidecarService
{
    public List<string>? Tags { get; set; }
    public string Port { get; set; } = "";
    public ConsulProxy? Proxy { get; set; }
    public bool DisableDefaultTCPCheck { get; set; }
}

/// <summary>api.SidecarTask (<c>sidecar_task</c>).</summary>
public sealed class SidecarTask
{
    public string Name { get; set; } = "";
    public string Driver { get; set; } = "";
    public string User { get; set; } = "";
    public JsonObject? Config { get; set; }
    public SortedList<string, string>? Env { get; set; }
    public Resources? Resources { get; set; }
    public SortedList<string, string>? Meta { get; set; }
    public long? KillTimeout { get; set; }
    public LogConfig? LogConfig { get; set; }
    public long? ShutdownDelay { get; set; }
    public string KillSignal { get; set; } = "";
}

/// <summary>api.ConsulProxy (<c>proxy</c>).</summary>
public sealed class ConsulProxy
{
    public string LocalServiceAddress { get; set; } = "";
    public int LocalServicePort { get; set; }
    public ConsulExposeConfig? ExposeConfig { get; set; }
    public List<ConsulUpstream>? Upstreams { get; set; }
    public JsonObject? Config { get; set; }
}

/// <summary>api.ConsulUpstream (<c>upstreams</c>).</summary>
public sealed class ConsulUpstream
{
    public string DestinationName { get; set; } = "";
    public string DestinationNamespace { get; set; } = "";
    public int LocalBindPort { get; set; }
    public string Datacenter { get; set; } = "";
    public string LocalBindAddress { get; set; } = "";
    public ConsulMeshGateway? MeshGateway { get; set; }
}

public sealed class ConsulMeshGateway
{
    public string Mode { get; set; } = "";
}

/// <summary>api.ConsulExposeConfig (<c>expose</c> with <c>path</c> blocks).</summary>
public sealed class ConsulExposeConfig
{
    public List<ConsulExposePath>? Path { get; set; }
}

public sealed class ConsulExposePath
{
    public string Path { get; set; } = "";
    public string Protocol { get; set; } = "";
    public int LocalPathPort { get; set; }
    public string ListenerPort { get; set; } = "";
}
