using static Nomad.Agent.Config.ConfigValues;

namespace Nomad.Agent.Config;

/// <summary>client { ... } and its reserved { } block. meta and options maps merge key by key.</summary>
internal static class ClientConfigDecoder
{
    public static ClientConfig Decode(ConfigObject o, ClientConfig c)
    {
        foreach (var e in o.Entries)
        {
            string p = "client." + e.Key;
            c = e.Key switch
            {
                "enabled" => c with { Enabled = Bool(e, p) },
                "servers" => c with { Servers = StringList(e, p) },
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
                _ => throw Unknown(e, "client"),
            };
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
