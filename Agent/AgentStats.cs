using System.Runtime.InteropServices;
using Nomad.Agent.Config;
using Nomad.Agent.Structs;

namespace Nomad.Agent;

/// <summary>The sections `nomad agent-info` shows, with Nomad's keys.</summary>
public static class AgentStats
{
    public static Dictionary<string, Dictionary<string, string>> Collect(RunningAgent agent)
    {
        var stats = new Dictionary<string, Dictionary<string, string>>
        {
            ["runtime"] = new()
            {
                ["arch"] = RuntimeInformation.OSArchitecture == Architecture.X64 ? "amd64" : RuntimeInformation.OSArchitecture.ToString().ToLowerInvariant(),
                ["cpu_count"] = Environment.ProcessorCount.ToString(),
                ["kernel.name"] = OperatingSystem.IsLinux() ? "linux" : RuntimeInformation.OSDescription,
                ["max_procs"] = Environment.ProcessorCount.ToString(),
                ["threads"] = System.Diagnostics.Process.GetCurrentProcess().Threads.Count.ToString(),
                ["version"] = RuntimeInformation.FrameworkDescription,
            },
        };
        if (agent.Client is { } c)
        {
            stats["client"] = new()
            {
                ["heartbeat_ttl"] = GoDuration.Format(c.HeartbeatTtl),
                ["known_servers"] = string.Join(",", c.KnownServers),
                ["last_heartbeat"] = c.LastHeartbeat is { } t ? GoDuration.Format(DateTime.UtcNow - t) : "never",
                ["node_id"] = c.Identity.NodeId,
                ["num_allocations"] = "0",
            };
        }
        if (agent.Server is { } s)
        {
            stats["nomad"] = new()
            {
                ["bootstrap"] = (s.Options.BootstrapExpect == 1).ToString().ToLowerInvariant(),
                ["known_regions"] = "1",
                ["leader"] = s.Consensus.IsLeader.ToString().ToLowerInvariant(),
                ["leader_addr"] = s.Consensus.LeaderAddress ?? "",
                ["server"] = "true",
            };
            stats["raft"] = s.Consensus.Stats().ToDictionary();
            stats["serf"] = new()
            {
                ["encrypted"] = "false",
                ["failed"] = "0",
                ["left"] = "0",
                ["members"] = s.Members().Count.ToString(),
            };
        }
        return stats;
    }
}
