using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// Nomad's task environment: the NOMAD_* variables for the allocation, task, ports and resources, then the
/// task's own env with <c>${...}</c> interpolated (NOMAD_* and other env vars, <c>attr.*</c>, <c>meta.*</c>,
/// <c>node.*</c>). The same interpolation applies to every string in the driver's config.
/// </summary>
public sealed partial class TaskEnvironment
{
    private readonly Dictionary<string, string> _env;
    private readonly Node _node;

    private TaskEnvironment(Dictionary<string, string> env, Node node)
    {
        _env = env;
        _node = node;
    }

    public IReadOnlyDictionary<string, string> Variables => _env;

    /// <param name="isolated">Whether the driver shows the task its own root (then the dirs are /alloc, /local, /secrets).</param>
    public static TaskEnvironment Build(Allocation alloc, JobTask task, Node node, AllocDir dir, string region, bool isolated)
    {
        var job = alloc.Job;
        var env = new Dictionary<string, string>
        {
            ["NOMAD_ALLOC_ID"] = alloc.ID,
            ["NOMAD_SHORT_ALLOC_ID"] = alloc.ID.Length >= 8 ? alloc.ID[..8] : alloc.ID,
            ["NOMAD_ALLOC_NAME"] = alloc.Name,
            ["NOMAD_ALLOC_INDEX"] = alloc.Index.ToString(),
            ["NOMAD_TASK_NAME"] = task.Name,
            ["NOMAD_GROUP_NAME"] = alloc.TaskGroup,
            ["NOMAD_JOB_NAME"] = job?.Name ?? alloc.JobID,
            ["NOMAD_JOB_ID"] = alloc.JobID,
            ["NOMAD_NAMESPACE"] = alloc.Namespace,
            ["NOMAD_DC"] = node.Datacenter,
            ["NOMAD_REGION"] = job?.Region is { Length: > 0 } r ? r : region,
            ["NOMAD_ALLOC_DIR"] = isolated ? "/alloc" : dir.SharedDir,
            ["NOMAD_TASK_DIR"] = isolated ? "/local" : dir.TaskLocalDir(task.Name),
            ["NOMAD_SECRETS_DIR"] = isolated ? "/secrets" : dir.TaskSecretsDir(task.Name),
        };
        var resources = alloc.AllocatedResources.Tasks.GetValueOrDefault(task.Name);
        env["NOMAD_CPU_LIMIT"] = (resources?.Cpu.CpuShares ?? task.Resources.CPU).ToString();
        env["NOMAD_MEMORY_LIMIT"] = (resources?.Memory.MemoryMB ?? task.Resources.MemoryMB).ToString();

        var networks = (resources?.Networks ?? []).Concat(alloc.AllocatedResources.Shared.Networks ?? []);
        foreach (var net in networks)
        {
            foreach (var port in (net.ReservedPorts ?? []).Concat(net.DynamicPorts ?? []))
            {
                var label = EnvSafe(port.Label);
                env[$"NOMAD_PORT_{label}"] = (port.To > 0 ? port.To : port.Value).ToString();
                env[$"NOMAD_HOST_PORT_{label}"] = port.Value.ToString();
                env[$"NOMAD_IP_{label}"] = net.IP;
                env[$"NOMAD_ADDR_{label}"] = $"{net.IP}:{port.Value}";
                env[$"NOMAD_HOST_IP_{label}"] = net.IP;
                env[$"NOMAD_HOST_ADDR_{label}"] = $"{net.IP}:{port.Value}";
            }
        }

        // Job, group and task meta, the inner level winning, as NOMAD_META_key (upper-cased too, as Nomad does).
        var group = job?.TaskGroups.FirstOrDefault(g => g.Name == alloc.TaskGroup);
        foreach (var meta in new[] { job?.Meta, group?.Meta, task.Meta })
            foreach (var (k, v) in meta ?? [])
            {
                env[$"NOMAD_META_{EnvSafe(k)}"] = v;
                env[$"NOMAD_META_{EnvSafe(k).ToUpperInvariant()}"] = v;
            }

        var built = new TaskEnvironment(env, node);
        // The task's env may refer to NOMAD_* and to node facts; it may not override what Nomad sets.
        foreach (var (k, v) in task.Env ?? [])
            if (!k.StartsWith("NOMAD_", StringComparison.Ordinal) || !env.ContainsKey(k)) env[k] = built.Interpolate(v);
        return built;
    }

    /// <summary>This environment with <paramref name="extra"/> variables added (an extra one wins over one of the same name).</summary>
    public TaskEnvironment With(IEnumerable<KeyValuePair<string, string>> extra)
    {
        var env = new Dictionary<string, string>(_env);
        foreach (var (k, v) in extra) env[k] = v;
        return new TaskEnvironment(env, _node);
    }

    /// <summary>Replaces every <c>${name}</c> this environment knows; unknown ones are left as written.</summary>
    public string Interpolate(string s) =>
        !s.Contains("${", StringComparison.Ordinal) ? s : Reference().Replace(s, m => Lookup(m.Groups[1].Value.Trim()) ?? m.Value);

    /// <summary>The driver config with every string interpolated.</summary>
    public JsonElement InterpolateConfig(Dictionary<string, object?>? config)
    {
        var value = Walk(config ?? new Dictionary<string, object?>());
        return JsonSerializer.SerializeToElement(value);
    }

    private object? Walk(object? v) => v switch
    {
        string s => Interpolate(s),
        Dictionary<string, object?> d => d.ToDictionary(kv => kv.Key, kv => Walk(kv.Value)),
        List<object?> l => l.Select(Walk).ToList(),
        JsonElement e => e,
        _ => v,
    };

    private string? Lookup(string name)
    {
        if (name.StartsWith("attr.", StringComparison.Ordinal)) return _node.Attributes.GetValueOrDefault(name[5..]);
        if (name.StartsWith("meta.", StringComparison.Ordinal)) return _node.Meta.GetValueOrDefault(name[5..]);
        if (name.StartsWith("node.", StringComparison.Ordinal))
            return name switch
            {
                "node.unique.id" => _node.ID,
                "node.unique.name" => _node.Name,
                "node.datacenter" => _node.Datacenter,
                "node.class" => _node.NodeClass,
                "node.region" => _env.GetValueOrDefault("NOMAD_REGION"),
                _ => null,
            };
        if (name.StartsWith("env.", StringComparison.Ordinal)) name = name[4..];
        return _env.GetValueOrDefault(name);
    }

    /// <summary>Env var names may hold letters, digits and underscores only (Nomad replaces the rest with _).</summary>
    private static string EnvSafe(string s)
    {
        var b = new StringBuilder(s.Length);
        foreach (var c in s) b.Append(char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_');
        return b.ToString();
    }

    [GeneratedRegex(@"\$\{([^}]+)\}")]
    private static partial Regex Reference();
}
