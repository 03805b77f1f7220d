using System.CommandLine;
using Nomad.Agent;
using Nomad.Agent.Config;
using Nomad.Agent.Structs;
using Nomad.Cli.Output;

namespace Nomad.Cli.Commands.Agent;

/// <summary>
/// `nomad agent`: turns Nomad's agent flags into a configuration overlay (only what was given is set) and runs the agent
/// with it and the -config files. Defaults, dev-mode settings and file merging are the agent's business.
/// </summary>
public sealed class AgentCommand : Command
{
    // General
    private readonly Option<bool> _dev = NomadOption.Flag("dev", "Start the agent in development mode: server and client in one, state in memory.");
    private readonly Option<string[]> _config = NomadOption.Repeated("config", "A configuration file or directory; may be given many times, later ones win.");
    private readonly Option<string> _region = NomadOption.Value<string>("region", "The region the agent belongs to.");
    private readonly Option<string> _datacenter = NomadOption.Value<string>("dc", "The datacenter the agent belongs to.");
    private readonly Option<string> _nodeName = NomadOption.Value<string>("node", "The name of this node. Default: the host name.");
    private readonly Option<string> _bind = NomadOption.Value<string>("bind", "The address the agent binds all its network services to.");
    private readonly Option<string> _dataDir = NomadOption.Value<string>("data-dir", "The directory the agent keeps its state in.");
    private readonly Option<string> _logLevel = NomadOption.Value<string>("log-level", "The log level: TRACE, DEBUG, INFO, WARN or ERROR.");
    private readonly Option<string> _pluginDir = NomadOption.Value<string>("plugin-dir", "The directory holding plugins.");

    // Server
    private readonly Option<bool> _server = NomadOption.Flag("server", "Run the agent as a server.");
    private readonly Option<int> _bootstrapExpect = NomadOption.Integer("bootstrap-expect", "How many servers to wait for before bootstrapping the cluster.");
    private readonly Option<string[]> _join = NomadOption.Repeated("join", "A server address to join at start; may be given many times.");
    private readonly Option<string[]> _retryJoin = NomadOption.Repeated("retry-join", "A server address to join, retrying until it works; may be given many times.");
    private readonly Option<TimeSpan> _retryInterval = NomadOption.Value<TimeSpan>("retry-interval", "How long to wait between join attempts, e.g. 30s.");
    private readonly Option<int> _retryMax = NomadOption.Integer("retry-max", "How many join attempts to make; 0 means no limit.");
    private readonly Option<bool> _rejoin = NomadOption.Flag("rejoin", "Rejoin the cluster on start even after having left it.");

    // Client
    private readonly Option<bool> _client = NomadOption.Flag("client", "Run the agent as a client.");
    private readonly Option<string> _servers = NomadOption.Value<string>("servers", "Comma-separated server addresses (host:port) for the client to register with.");
    private readonly Option<string> _stateDir = NomadOption.Value<string>("state-dir", "The directory the client keeps its state in.");
    private readonly Option<string> _allocDir = NomadOption.Value<string>("alloc-dir", "The directory the client keeps allocation data in.");
    private readonly Option<string> _nodeClass = NomadOption.Value<string>("node-class", "The class of this node, for scheduling.");
    private readonly Option<string[]> _meta = NomadOption.Repeated("meta", "Node metadata as key=value; may be given many times.");
    private readonly Option<string> _networkInterface = NomadOption.Value<string>("network-interface", "The network interface to fingerprint and advertise.");
    private readonly Option<int> _networkSpeed = NomadOption.Integer("network-speed", "The network link speed in MBits, overriding what is detected.");

    public AgentCommand() : base("agent", "Runs a Nomad agent")
    {
        foreach (var option in new Option[]
                 {
                     _dev, _config, _region, _datacenter, _nodeName, _bind, _dataDir, _logLevel, _pluginDir,
                     _server, _bootstrapExpect, _join, _retryJoin, _retryInterval, _retryMax, _rejoin,
                     _client, _servers, _stateDir, _allocDir, _nodeClass, _meta, _networkInterface, _networkSpeed,
                 })
        {
            Add(option);
        }

        _retryInterval.CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : "";
            if (GoDuration.TryParse(text, out var interval)) return interval;
            result.AddError($"Invalid duration for -retry-interval: \"{text}\" (want e.g. 30s, 1m30s)");
            return default;
        };
        _meta.Validators.Add(result =>
        {
            var bad = result.Tokens.FirstOrDefault(t => !t.Value.Contains('='));
            if (bad is not null) result.AddError($"Error parsing Client.Meta value: {bad.Value}");
        });

        SetAction((parsed, ct) => AgentHost.RunAsync(BuildOverlay(parsed), ConfigPaths(parsed), ct));
    }

    /// <summary>The -config paths in the order given.</summary>
    public IReadOnlyList<string> ConfigPaths(ParseResult parsed) => parsed.GetValue(_config) ?? [];

    /// <summary>The configuration the flags ask for, every field not named on the command line left null.</summary>
    public AgentConfig BuildOverlay(ParseResult parsed) => new()
    {
        DevMode = parsed.ValueIfGiven(_dev),
        Region = parsed.TextIfGiven(_region),
        Datacenter = parsed.TextIfGiven(_datacenter),
        NodeName = parsed.TextIfGiven(_nodeName),
        BindAddr = parsed.TextIfGiven(_bind),
        DataDir = parsed.TextIfGiven(_dataDir),
        LogLevel = parsed.TextIfGiven(_logLevel),
        PluginDir = parsed.TextIfGiven(_pluginDir),
        Server = new ServerConfig
        {
            Enabled = parsed.ValueIfGiven(_server),
            BootstrapExpect = parsed.ValueIfGiven(_bootstrapExpect),
            StartJoin = ListIfGiven(parsed, _join),
            RetryJoin = ListIfGiven(parsed, _retryJoin),
            RetryInterval = parsed.ValueIfGiven(_retryInterval),
            RetryMaxAttempts = parsed.ValueIfGiven(_retryMax),
            RejoinAfterLeave = parsed.ValueIfGiven(_rejoin),
        },
        Client = new ClientConfig
        {
            Enabled = parsed.ValueIfGiven(_client),
            Servers = parsed.TextIfGiven(_servers)?.Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries).ToList(),
            StateDir = parsed.TextIfGiven(_stateDir),
            AllocDir = parsed.TextIfGiven(_allocDir),
            NodeClass = parsed.TextIfGiven(_nodeClass),
            Meta = MetaIfGiven(parsed),
            NetworkInterface = parsed.TextIfGiven(_networkInterface),
            NetworkSpeed = parsed.ValueIfGiven(_networkSpeed),
        },
    };

    private static List<string>? ListIfGiven(ParseResult parsed, Option<string[]> option) =>
        parsed.IsGiven(option) ? (parsed.GetValue(option) ?? []).ToList() : null;

    /// <summary>-meta key=value pairs; a key given twice keeps its last value.</summary>
    private Dictionary<string, string>? MetaIfGiven(ParseResult parsed)
    {
        if (!parsed.IsGiven(_meta)) return null;
        var meta = new Dictionary<string, string>();
        foreach (var pair in parsed.GetValue(_meta) ?? [])
        {
            var split = pair.IndexOf('=');
            meta[pair[..split]] = pair[(split + 1)..];
        }
        return meta;
    }
}
