using Nomad.Agent.Config;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Http;

/// <summary>The `config` object of /v1/agent/self, in Nomad's field names.</summary>
public static class AgentSelfConfig
{
    public static Dictionary<string, object?> From(AgentConfig c) => new()
    {
        ["Region"] = c.Region,
        ["Datacenter"] = c.Datacenter,
        ["NodeName"] = c.NodeName,
        ["DataDir"] = c.DataDir ?? "",
        ["LogLevel"] = c.LogLevel,
        ["BindAddr"] = c.BindAddr,
        ["PluginDir"] = c.PluginDir ?? "",
        ["DevMode"] = c.DevMode ?? false,
        ["LeaveOnInt"] = c.LeaveOnInterrupt ?? false,
        ["LeaveOnTerm"] = c.LeaveOnTerminate ?? false,
        ["Files"] = c.Files,
        ["Ports"] = new Dictionary<string, object?> { ["HTTP"] = c.Ports.Http, ["RPC"] = c.Ports.Rpc, ["Serf"] = c.Ports.Serf },
        ["Addresses"] = new Dictionary<string, object?> { ["HTTP"] = c.Addresses.Http, ["RPC"] = c.Addresses.Rpc, ["Serf"] = c.Addresses.Serf },
        ["AdvertiseAddrs"] = new Dictionary<string, object?> { ["HTTP"] = c.Advertise.Http, ["RPC"] = c.Advertise.Rpc, ["Serf"] = c.Advertise.Serf },
        ["Server"] = new Dictionary<string, object?>
        {
            ["Enabled"] = c.Server.Enabled ?? false,
            ["BootstrapExpect"] = c.Server.BootstrapExpect ?? 0,
            ["DataDir"] = c.Server.DataDir ?? "",
            ["NumSchedulers"] = c.Server.NumSchedulers,
            ["HeartbeatGrace"] = Nanos(c.Server.HeartbeatGrace),
            ["MinHeartbeatTTL"] = Nanos(c.Server.MinHeartbeatTtl),
            ["MaxHeartbeatsPerSecond"] = c.Server.MaxHeartbeatsPerSecond ?? 0,
            ["FailoverHeartbeatTTL"] = Nanos(c.Server.FailoverHeartbeatTtl),
            ["RaftMultiplier"] = c.Server.RaftMultiplier,
            ["NodeGCThreshold"] = c.Server.NodeGcThreshold is { } t ? GoDuration.Format(t) : "",
            ["RetryJoin"] = c.Server.RetryJoin ?? new List<string>(),
            ["StartJoin"] = c.Server.StartJoin ?? new List<string>(),
        },
        ["Client"] = new Dictionary<string, object?>
        {
            ["Enabled"] = c.Client.Enabled ?? false,
            ["StateDir"] = c.Client.StateDir ?? "",
            ["AllocDir"] = c.Client.AllocDir ?? "",
            ["Servers"] = c.Client.Servers,
            ["NodeClass"] = c.Client.NodeClass ?? "",
            ["Meta"] = c.Client.Meta ?? new Dictionary<string, string>(),
            ["Options"] = c.Client.Options ?? new Dictionary<string, string>(),
            ["NetworkInterface"] = c.Client.NetworkInterface ?? "",
        },
        ["Plugins"] = c.Plugins.Values.Select(p => new Dictionary<string, object?> { ["Name"] = p.Name, ["Args"] = p.Args, ["Config"] = p.Config }).ToList(),
        ["Version"] = new Dictionary<string, object?> { ["Version"] = BuildInfo.Version, ["Revision"] = BuildInfo.Revision, ["VersionMetadata"] = "", ["VersionPrerelease"] = "" },
    };

    // Nomad reports these durations as Go nanosecond integers.
    private static long Nanos(TimeSpan? t) => (t?.Ticks ?? 0) * 100;
}
