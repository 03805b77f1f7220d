using static Nomad.Agent.Config.ConfigValues;

namespace Nomad.Agent.Config;

/// <summary>client { ... } and its reserved { } and server_join { } blocks. meta and options maps merge key by key.</summary>
internal static class ClientConfigDecoder
{
    /// <param name="unsupported">gets `file:line:col: key` for keys accepted but not acted on</param>
    public static ClientConfig Decode(ConfigObject o, ClientConfig c, List<string> unsupported)
    {
        foreach (var e in o.Entries)
        {
            string p = "client." + e.Key;
            c = e.Key switch
            {
                "enabled" => c with { Enabled = Bool(e, p) },
                "servers" => c with { Servers = AgentConfig.Append(c.Servers, StringList(e, p)) },
                "state_dir" => c with { StateDir = String(e, p) },
                "alloc_dir" => c with { AllocDir = String(e, p) },
                "node_class" => c with { NodeClass = String(e, p) },
                "meta" => c with { Meta = AgentConfig.MergeMaps(c.Meta, StringMap(e, p)) },
                "options" => c with { Options = AgentConfig.MergeMaps(c.Options, StringMap(e, p)) },
                "network_interface" => c with { NetworkInterface = String(e, p) },
                "network_speed" => c with { NetworkSpeed = Int(e, p, min: 0) },
                "gc_interval" => c with { GcInterval = Duration(e, p) },
                "gc_max_allocs" => c with { GcMaxAllocs = Int(e, p, min: 0) },
                "gc_disk_usage_threshold" => c with { GcDiskUsageThreshold = Positive(e, p) },
                "reserved" => c with { Reserved = Blocks(e, p).Aggregate(c.Reserved, DecodeReserved) },
                "host_volume" => c with { HostVolumes = HostVolumeConfigDecoder.Decode(e, c.HostVolumes) },
                "artifact" => Blocks(e, p).Aggregate(c, (acc, a) => acc with { Artifact = ArtifactConfig.Decode(a, acc.Artifact, unsupported) }),
                "server_join" => Blocks(e, p).Aggregate(c, (acc, j) => DecodeServerJoin(j, acc, p, unsupported)),
                _ => throw Unknown(e, "client"),
            };
        }
        return c;
    }

    /// <summary>
    /// Nomad's client { server_join { } }: the addresses in start_join and retry_join (host or host:port, RPC port
    /// 4647 by default) are the client's servers, so they add to servers. The client retries its servers on its
    /// own schedule; retry_interval and retry_max are checked and reported as not acted on.
    /// </summary>
    private static ClientConfig DecodeServerJoin(ConfigObject o, ClientConfig c, string section, List<string> unsupported)
    {
        foreach (var e in o.Entries)
        {
            string p = $"{section}.{e.Key}";
            switch (e.Key)
            {
                case "start_join" or "retry_join":
                    c = c with { Servers = AgentConfig.Append(c.Servers, StringList(e, p)) };
                    break;
                case "retry_interval":
                    Duration(e, p);
                    unsupported.Add($"{e.KeyPosition}: {p}");
                    break;
                case "retry_max":
                    Int(e, p, min: 0);
                    unsupported.Add($"{e.KeyPosition}: {p}");
                    break;
                default:
                    throw Unknown(e, section);
            }
        }
        return c;
    }

    private static ReservedConfig DecodeReserved(ReservedConfig r, ConfigObject o)
    {
        foreach (var e in o.Entries)
        {
            string p = "client.reserved." + e.Key;
            r = e.Key switch
            {
                "cpu" => r with { Cpu = Int(e, p, min: 0) },
                "memory" => r with { MemoryMB = Int(e, p, min: 0) },
                "disk" => r with { DiskMB = Int(e, p, min: 0) },
                "reserved_ports" => r with { ReservedPorts = PortRanges(e, p) },
                _ => throw Unknown(e, "client.reserved"),
            };
        }
        return r;
    }
}
