using static Nomad.Agent.Config.ConfigValues;

namespace Nomad.Agent.Config;

/// <summary>
/// plugin "NAME" { args = [...]  config { ... } }. In HCL the blocks arrive grouped by name
/// (<c>{"raw_exec": {...}}</c>); JSON may also wrap each level in an array. The config block is kept
/// as plain values for the plugin to interpret.
/// </summary>
internal static class PluginConfigDecoder
{
    public static Dictionary<string, PluginConfig> Decode(ConfigEntry plugin, Dictionary<string, PluginConfig> current)
    {
        var plugins = new Dictionary<string, PluginConfig>(current, StringComparer.Ordinal);
        foreach (var byName in Blocks(plugin, "plugin"))
        {
            foreach (var named in byName.Entries)
            {
                string path = $"plugin.{named.Key}";
                var p = plugins.GetValueOrDefault(named.Key) ?? new PluginConfig { Name = named.Key };
                foreach (var body in Blocks(named, path)) p = DecodeOne(body, p, path);
                plugins[named.Key] = p;
            }
        }
        return plugins;
    }

    private static PluginConfig DecodeOne(ConfigObject body, PluginConfig p, string path)
    {
        foreach (var e in body.Entries)
        {
            p = e.Key switch
            {
                "args" => p with { Args = StringList(e, $"{path}.args") },
                "config" => p with { Config = Blocks(e, $"{path}.config").Aggregate(p.Config, (acc, o) => AgentConfig.MergeMaps(acc, PlainObject(o))!) },
                _ => throw Unknown(e, $"plugin \"{p.Name}\""),
            };
        }
        return p;
    }
}
