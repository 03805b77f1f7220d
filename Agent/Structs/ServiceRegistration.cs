namespace Nomad.Agent.Structs;

/// <summary>
/// One running allocation's instance of a service in the built-in catalog (Nomad 1.3's ServiceRegistration),
/// written by the client through the servers and removed when the allocation stops or its node goes down.
/// </summary>
public sealed record ServiceRegistration
{
    /// <summary>Nomad's form: <c>_nomad-task-&lt;alloc id&gt;-&lt;group|task&gt;-&lt;service&gt;-&lt;port label&gt;</c>.</summary>
    public string ID { get; init; } = "";
    public string ServiceName { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public string NodeID { get; init; } = "";
    public string Datacenter { get; init; } = "";
    public string JobID { get; init; } = "";
    public string AllocID { get; init; } = "";
    public List<string> Tags { get; init; } = new();
    public string Address { get; init; } = "";
    public int Port { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
}
