namespace Nomad.Agent.Config;

// Rules that involve more than one field, checked once files and flags are merged.
public sealed partial record AgentConfig
{
    /// <summary>host, host:port or [ipv6]:port, with a port from 1 to 65535 when one is given.</summary>
    private static bool IsHostPort(string address)
    {
        if (string.IsNullOrWhiteSpace(address) || address.Any(char.IsWhiteSpace)) return false;
        var colon = address.LastIndexOf(':');
        if (colon < 0 || address.EndsWith(']') || address.Count(c => c == ':') > 1 && !address.StartsWith('[')) return true;
        return colon > 0 && int.TryParse(address[(colon + 1)..], out var port) && port is > 0 and < 65536;
    }

    /// <summary>Throws a one-line <see cref="ConfigException"/> for the first rule broken.</summary>
    public void Validate()
    {
        bool server = Server.Enabled == true, client = Client.Enabled == true, dev = DevMode == true;
        if (!server && !client)
            throw new ConfigException("at least one of server or client must be enabled");

        // Files are checked as they are read; flags arrive here unchecked.
        if (LogLevel is { } level && !Logging.LogSeverityNames.TryParse(level, out _))
            throw new ConfigException($"log_level: invalid value \"{level}\" (want {Logging.LogSeverityNames.Valid})");

        foreach (var address in Client.Servers ?? [])
            if (!IsHostPort(address))
                throw new ConfigException($"client.servers: \"{address}\" is not host or host:port");

        if (Server.BootstrapExpect is int expect)
        {
            if (expect < 1) throw new ConfigException($"bootstrap_expect must be at least 1 (got {expect})");
            if (!server) throw new ConfigException("bootstrap_expect requires the server to be enabled");
            if (dev && expect != 1) throw new ConfigException($"-dev runs a single server: bootstrap_expect must be 1 (got {expect})");
        }
        if (Server.NumSchedulers < 0) throw new ConfigException($"server.num_schedulers must not be negative (got {Server.NumSchedulers})");
        if (Server.MaxHeartbeatsPerSecond <= 0) throw new ConfigException("server.max_heartbeats_per_second must be > 0");

        // -dev keeps its state in memory or temporary directories, so needs none of these.
        if (dev) return;
        if (server && string.IsNullOrEmpty(DataDir) && string.IsNullOrEmpty(Server.DataDir))
            throw new ConfigException("must specify data_dir for a server (or use -dev)");
        if (client && string.IsNullOrEmpty(DataDir) && (string.IsNullOrEmpty(Client.StateDir) || string.IsNullOrEmpty(Client.AllocDir)))
            throw new ConfigException("must specify data_dir, or both client.state_dir and client.alloc_dir, for a client (or use -dev)");
        foreach (var (name, dir) in new[]
                 {
                     ("data_dir", DataDir), ("plugin_dir", PluginDir), ("server.data_dir", Server.DataDir),
                     ("client.state_dir", Client.StateDir), ("client.alloc_dir", Client.AllocDir),
                 })
        {
            if (!string.IsNullOrEmpty(dir) && !Path.IsPathRooted(dir))
                throw new ConfigException($"{name} must be an absolute path (got \"{dir}\")");
        }
    }
}
