using System.Text.Json.Nodes;

namespace Nomad.Agent.Jobspec.Api;

/// <summary>api.ConsulGateway (connect <c>gateway</c>): one of ingress, terminating or mesh, and its Envoy proxy.</summary>
public sealed class ConsulGateway
{
    public ConsulGatewayProxy? Proxy { get; set; }
    public ConsulIngressConfigEntry? Ingress { get; set; }
    public ConsulTerminatingConfigEntry? Terminating { get; set; }
    public ConsulMeshConfigEntry? Mesh { get; set; }
}

public sealed class ConsulGatewayProxy
{
    public long? ConnectTimeout { get; set; }
    public bool EnvoyGatewayBindTaggedAddresses { get; set; }
    public SortedList<string, ConsulGatewayBindAddress>? EnvoyGatewayBindAddresses { get; set; }
    public bool EnvoyGatewayNoDefaultBind { get; set; }
    public string EnvoyDNSDiscoveryType { get; set; } = "";
    public JsonObject? Config { get; set; }
}

public sealed class ConsulGatewayBindAddress
{
    public string Name { get; set; } = "";
    public string Address { get; set; } = "";
    public int Port { get; set; }
}

public sealed class ConsulIngressConfigEntry
{
    public ConsulGatewayTLSConfig? TLS { get; set; }
    public List<ConsulIngressListener>? Listeners { get; set; }
}

public sealed class ConsulGatewayTLSConfig
{
    public bool Enabled { get; set; }
    public string TLSMinVersion { get; set; } = "";
    public string TLSMaxVersion { get; set; } = "";
    public List<string>? CipherSuites { get; set; }
}

public sealed class ConsulIngressListener
{
    public int Port { get; set; }
    public string Protocol { get; set; } = "";
    public List<ConsulIngressService>? Services { get; set; }
}

public sealed class ConsulIngressService
{
    public string Name { get; set; } = "";
    public List<string>? Hosts { get; set; }
}

public sealed class ConsulTerminatingConfigEntry
{
    public List<ConsulLinkedService>? Services { get; set; }
}

public sealed class ConsulLinkedService
{
    public string Name { get; set; } = "";
    public string CAFile { get; set; } = "";
    public string CertFile { get; set; } = "";
    public string KeyFile { get; set; } = "";
    public string SNI { get; set; } = "";
}

/// <summary>The mesh gateway has no settings of its own.</summary>
public sealed class ConsulMeshConfigEntry
{
}
