using static Nomad.Agent.Config.ConfigValues;

namespace Nomad.Agent.Config;

/// <summary>
/// Decodes one file's tree into an <see cref="AgentConfig"/>, key by key. Unknown keys and bad values are
/// errors naming the file:line and the key. A block given twice in one file is applied in order.
/// </summary>
internal static class AgentConfigDecoder
{
    public static AgentConfig Decode(ConfigObject root)
    {
        var c = new AgentConfig();
        foreach (var e in root.Entries)
        {
            string k = e.Key;
            c = k switch
            {
                "region" => c with { Region = String(e, k) },
                "datacenter" => c with { Datacenter = String(e, k) },
                "name" => c with { NodeName = String(e, k) },
                "data_dir" => c with { DataDir = String(e, k) },
                "bind_addr" => c with { BindAddr = Address(e, k) },
                "log_level" => c with { LogLevel = OneOf(e, k, "TRACE", "DEBUG", "INFO", "WARN", "ERROR") },
                "plugin_dir" => c with { PluginDir = String(e, k) },
                "leave_on_interrupt" => c with { LeaveOnInterrupt = Bool(e, k) },
                "leave_on_terminate" => c with { LeaveOnTerminate = Bool(e, k) },
                "ports" => c with { Ports = Blocks(e, k).Aggregate(c.Ports, (p, o) => DecodePorts(o, p)) },
                "addresses" => c with { Addresses = Blocks(e, k).Aggregate(c.Addresses, (a, o) => DecodeAddresses(o, a, k, advertise: false)) },
                "advertise" => c with { Advertise = Blocks(e, k).Aggregate(c.Advertise, (a, o) => DecodeAddresses(o, a, k, advertise: true)) },
                "server" => c with { Server = Blocks(e, k).Aggregate(c.Server, (s, o) => ServerConfigDecoder.Decode(o, s)) },
                "client" => DecodeClient(e, c),
                "plugin" => c with { Plugins = PluginConfigDecoder.Decode(e, c.Plugins) },
                _ when UnsupportedNomadKeys.Contains(k) => c with { Unsupported = [.. c.Unsupported, $"{e.KeyPosition}: {k}"] },
                _ => throw Unknown(e, ""),
            };
        }
        return c;
    }

    /// <summary>
    /// Real Nomad agent keys for features this agent does not have yet. A Nomad user's config file that sets
    /// them should still load; the agent warns that they are ignored instead of refusing to start.
    /// </summary>
    private static readonly HashSet<string> UnsupportedNomadKeys = new(StringComparer.Ordinal)
    {
        "acl", "audit", "autopilot", "consul", "disable_anonymous_signature", "disable_update_check", "enable_debug",
        "enable_syslog", "http_api_response_headers", "limits", "log_file", "log_json", "log_rotate_bytes",
        "log_rotate_duration", "log_rotate_max_files", "sentinel", "syslog_facility", "telemetry", "tls", "ui", "vault",
    };

    private static AgentConfig DecodeClient(ConfigEntry e, AgentConfig c)
    {
        var unsupported = new List<string>();
        var client = Blocks(e, "client").Aggregate(c.Client, (cl, o) => ClientConfigDecoder.Decode(o, cl, unsupported));
        return c with { Client = client, Unsupported = [.. c.Unsupported, .. unsupported] };
    }

    private static Ports DecodePorts(ConfigObject o, Ports p)
    {
        foreach (var e in o.Entries)
        {
            string path = "ports." + e.Key;
            p = e.Key switch
            {
                "http" => p with { Http = Int(e, path, 1, 65535) },
                "rpc" => p with { Rpc = Int(e, path, 1, 65535) },
                "serf" => p with { Serf = Int(e, path, 1, 65535) },
                _ => throw Unknown(e, "ports"),
            };
        }
        return p;
    }

    /// <summary>addresses { } and advertise { }: advertise may carry a port; addresses.http may list several.</summary>
    private static Addresses DecodeAddresses(ConfigObject o, Addresses a, string section, bool advertise)
    {
        foreach (var e in o.Entries)
        {
            string path = $"{section}.{e.Key}";
            a = e.Key switch
            {
                "http" => a with { Http = Address(e, path, allowPort: advertise, allowMany: !advertise) },
                "rpc" => a with { Rpc = Address(e, path, allowPort: advertise) },
                "serf" => a with { Serf = Address(e, path, allowPort: advertise) },
                _ => throw Unknown(e, section),
            };
        }
        return a;
    }
}
