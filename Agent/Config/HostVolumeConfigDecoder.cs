using static Nomad.Agent.Config.ConfigValues;

namespace Nomad.Agent.Config;

/// <summary>
/// client { host_volume "NAME" { path = "/srv/data"  read_only = true } }: the directories this client offers to jobs'
/// <c>volume</c> blocks of type "host". As with plugin blocks, HCL groups the blocks by name and JSON may wrap each
/// level in an array; a later block of the same name replaces the earlier one's keys.
/// </summary>
internal static class HostVolumeConfigDecoder
{
    public static Dictionary<string, HostVolumeConfig> Decode(ConfigEntry entry, Dictionary<string, HostVolumeConfig>? current)
    {
        var volumes = new Dictionary<string, HostVolumeConfig>(current ?? new(), StringComparer.Ordinal);
        foreach (var byName in Blocks(entry, "client.host_volume"))
        {
            foreach (var named in byName.Entries)
            {
                string path = $"client.host_volume.{named.Key}";
                var v = volumes.GetValueOrDefault(named.Key) ?? new HostVolumeConfig { Name = named.Key };
                foreach (var body in Blocks(named, path)) v = DecodeOne(body, v, path);
                if (v.Path.Length == 0) throw Fail(named.Value, $"{path}.path", "is required");
                if (!v.Path.StartsWith('/')) throw Fail(named.Value, $"{path}.path", $"must be an absolute path, got \"{v.Path}\"");
                volumes[named.Key] = v;
            }
        }
        return volumes;
    }

    private static HostVolumeConfig DecodeOne(ConfigObject body, HostVolumeConfig v, string path)
    {
        foreach (var e in body.Entries)
        {
            v = e.Key switch
            {
                "path" => v with { Path = String(e, $"{path}.path") },
                "read_only" => v with { ReadOnly = Bool(e, $"{path}.read_only") },
                _ => throw Unknown(e, $"client.host_volume \"{v.Name}\""),
            };
        }
        return v;
    }
}
