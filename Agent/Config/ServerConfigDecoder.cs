using Nomad.Agent.Consensus;
using static Nomad.Agent.Config.ConfigValues;

namespace Nomad.Agent.Config;

/// <summary>server { ... }, including Nomad's server_join { } form of the join settings.</summary>
internal static class ServerConfigDecoder
{
    public static ServerConfig Decode(ConfigObject o, ServerConfig s)
    {
        foreach (var e in o.Entries)
        {
            string p = "server." + e.Key;
            s = e.Key switch
            {
                "enabled" => s with { Enabled = Bool(e, p) },
                "bootstrap_expect" => s with { BootstrapExpect = Int(e, p, min: 0) is > 0 and var n ? n : null }, // 0: unset, as Nomad
                "data_dir" => s with { DataDir = String(e, p) },
                "num_schedulers" => s with { NumSchedulers = Int(e, p, min: 0) },
                "heartbeat_grace" => s with { HeartbeatGrace = Duration(e, p) },
                "min_heartbeat_ttl" => s with { MinHeartbeatTtl = Duration(e, p) },
                "max_heartbeats_per_second" => s with { MaxHeartbeatsPerSecond = PositiveOrUnset(e, p) }, // 0: unset, as Nomad
                "failover_heartbeat_ttl" => s with { FailoverHeartbeatTtl = Duration(e, p) },
                "raft_multiplier" => s with { RaftMultiplier = Int(e, p, min: 0, max: RaftOptions.MaxMultiplier) }, // 0: unset, as Nomad
                "node_gc_threshold" => s with { NodeGcThreshold = Duration(e, p) },
                "node_gc_interval" => s with { NodeGcInterval = Duration(e, p) },
                "job_gc_threshold" => s with { JobGcThreshold = Duration(e, p) },
                "eval_gc_threshold" => s with { EvalGcThreshold = Duration(e, p) },
                "rejoin_after_leave" => s with { RejoinAfterLeave = Bool(e, p) },
                "server_join" => Blocks(e, p).Aggregate(s, (acc, j) => DecodeJoin(j, acc, p)),
                _ => DecodeJoinKey(e, s, p) ?? throw Unknown(e, "server"),
            };
        }
        return s;
    }

    private static ServerConfig DecodeJoin(ConfigObject o, ServerConfig s, string section)
    {
        foreach (var e in o.Entries)
            s = DecodeJoinKey(e, s, $"{section}.{e.Key}") ?? throw Unknown(e, section);
        return s;
    }

    /// <summary>The join keys, valid both directly in server { } and in server_join { }; null if not one.</summary>
    private static ServerConfig? DecodeJoinKey(ConfigEntry e, ServerConfig s, string p) => e.Key switch
    {
        "start_join" => s with { StartJoin = StringList(e, p) },
        "retry_join" => s with { RetryJoin = StringList(e, p) },
        "retry_interval" => s with { RetryInterval = Duration(e, p) },
        "retry_max" => s with { RetryMaxAttempts = Int(e, p, min: 0) },
        _ => null,
    };
}
