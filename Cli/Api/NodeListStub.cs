using Nomad.Agent.Structs;

namespace Nomad.Cli.Api;

/// <summary>One entry of GET /v1/nodes (Nomad's NodeListStub); the full record is <see cref="Node"/>.</summary>
public sealed record NodeListStub
{
    public string Address { get; init; } = "";
    public string ID { get; init; } = "";
    public string Datacenter { get; init; } = "";
    public string Name { get; init; } = "";
    public string NodeClass { get; init; } = "";
    public string Version { get; init; } = "";
    public bool Drain { get; init; }
    public string SchedulingEligibility { get; init; } = "";
    public string Status { get; init; } = "";
    public string StatusDescription { get; init; } = "";
    public Dictionary<string, DriverInfo>? Drivers { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
}
