using Docker.DotNet.Models;
using Nomad.Contracts;

namespace Nomad.Drivers.Docker;

/// <summary>
/// Turns a task (the agent's <see cref="TaskConfig"/> plus its docker <c>config {}</c>) into Docker's create
/// parameters, as Nomad's docker driver does: the alloc dirs bound at <c>/alloc</c>, <c>/local</c> and
/// <c>/secrets</c>, the task's env, memory/CPU/pids limits, ports from the group's network, and labels that
/// name the allocation and task so a restarted driver can find its containers.
/// </summary>
internal static class ContainerSpec
{
    public const string LabelAllocId = "com.hashicorp.nomad.alloc_id";
    public const string LabelTaskName = "com.hashicorp.nomad.task_name";
    public const string LabelJobName = "com.hashicorp.nomad.job_name";
    public const string LabelGroupName = "com.hashicorp.nomad.task_group_name";
    /// <summary>Our own: the full task ID (alloc/task/attempt), which is what the agent calls us with.</summary>
    public const string LabelTaskId = "com.hashicorp.nomad.task_id";

    /// <summary>Nomad's container name: <c>TASK-ALLOCID</c>.</summary>
    public static string Name(TaskConfig task) =>
        string.Concat($"{task.Name}-{task.AllocID}".Select(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '.' or '-' ? c : '_'));

    /// <summary>
    /// What this client's plugin config forbids in a task's config, one line per field: checked when the job is
    /// validated (so a bad job fails once, not at every restart) and again when the container is built.
    /// </summary>
    public static List<string> PolicyErrors(DockerTaskConfig cfg, DockerPluginConfig plugin)
    {
        var errors = new List<string>();
        if (cfg.Privileged && !plugin.AllowPrivileged)
            errors.Add("config.privileged: docker privileged mode is disabled on this client (plugin config allow_privileged)");
        if (plugin.PidsLimit > 0 && cfg.PidsLimit > plugin.PidsLimit)
            errors.Add($"config.pids_limit: {cfg.PidsLimit} exceeds the client's limit {plugin.PidsLimit}");
        if (!plugin.VolumesEnabled)
        {
            var hostPaths = cfg.Volumes.Select(v => ("volumes", v.Split(':')[0]))
                .Concat(cfg.Mounts.Where(m => m.Type == "bind").Select(m => ("mount.source", m.Source)));
            foreach (var (field, path) in hostPaths.Where(h => Path.IsPathRooted(h.Item2)))
                errors.Add($"config.{field}: {path}: volumes are not enabled; cannot mount host paths (plugin config volumes {{ enabled = true }})");
        }
        return errors;
    }

    public static CreateContainerParameters Build(TaskConfig task, DockerTaskConfig cfg, DockerPluginConfig plugin)
    {
        if (PolicyErrors(cfg, plugin) is { Count: > 0 } errors) throw new InvalidOperationException(string.Join("; ", errors));

        var memory = task.Resources.MemoryMB * 1024 * 1024;
        var hard = Math.Max(task.Resources.MemoryMaxMB, cfg.MemoryHardLimitMB) * 1024 * 1024;
        var host = new HostConfig
        {
            Binds = Binds(task, cfg, plugin),
            Mounts = cfg.Mounts.Select(m => Mount(task, m, plugin)).ToList(),
            // With a hard limit the task's memory is a soft reservation, as Nomad's memory_max.
            Memory = hard > memory ? hard : memory,
            MemoryReservation = hard > memory ? memory : 0,
            MemorySwap = hard > memory ? hard : memory, // no swap: an OOM is an OOM
            CPUShares = Math.Max(2, task.Resources.CpuShares),
            PidsLimit = PidsLimit(cfg, plugin),
            Privileged = cfg.Privileged,
            CapAdd = cfg.CapAdd.Count > 0 ? cfg.CapAdd : null,
            CapDrop = cfg.CapDrop.Count > 0 ? cfg.CapDrop : null,
            ShmSize = cfg.ShmSize,
            NetworkMode = cfg.NetworkMode.Length > 0 ? cfg.NetworkMode : null,
            LogConfig = new LogConfig { Type = "json-file", Config = new Dictionary<string, string> { ["max-size"] = "10m", ["max-file"] = "2" } },
        };
        var labels = new Dictionary<string, string>(cfg.Labels)
        {
            [LabelAllocId] = task.AllocID,
            [LabelTaskName] = task.Name,
            [LabelJobName] = task.JobName,
            [LabelGroupName] = task.TaskGroupName,
            [LabelTaskId] = task.ID,
        };
        var p = new CreateContainerParameters
        {
            Name = Name(task),
            Image = cfg.Image,
            Env = task.Env.Select(kv => $"{kv.Key}={kv.Value}").ToList(),
            Labels = labels,
            WorkingDir = cfg.WorkDir.Length > 0 ? cfg.WorkDir : null,
            Hostname = cfg.Hostname.Length > 0 ? cfg.Hostname : null,
            User = task.User.Length > 0 ? task.User : null,
            HostConfig = host,
        };
        // As Nomad: command replaces the image's CMD (with args after it); args alone are appended to the image's entrypoint.
        if (cfg.Command is { Length: > 0 }) p.Cmd = [cfg.Command, .. cfg.Args];
        else if (cfg.Args.Count > 0) p.Cmd = cfg.Args;
        if (cfg.Entrypoint is { Count: > 0 }) p.Entrypoint = cfg.Entrypoint;
        AddPorts(task, cfg, p);
        return p;
    }

    private static long? PidsLimit(DockerTaskConfig cfg, DockerPluginConfig plugin)
    {
        var n = cfg.PidsLimit > 0 ? cfg.PidsLimit : plugin.PidsLimit;
        return n > 0 ? n : null;
    }

    /// <summary>The task's directories, as Nomad mounts them, then the task's <c>volumes</c>, then its volume_mounts.</summary>
    private static List<string> Binds(TaskConfig task, DockerTaskConfig cfg, DockerPluginConfig plugin)
    {
        var binds = new List<string>();
        if (task.AllocDir.Length > 0)
        {
            var shared = Path.Combine(task.AllocDir, "alloc");
            var local = Path.Combine(task.TaskDir, "local");
            var secrets = Path.Combine(task.TaskDir, "secrets");
            foreach (var d in new[] { shared, local, secrets }) Directory.CreateDirectory(d);
            binds.Add($"{shared}:/alloc");
            binds.Add($"{local}:/local");
            binds.Add($"{secrets}:/secrets");
        }
        foreach (var v in cfg.Volumes)
        {
            var parts = v.Split(':');
            var src = HostPath(task, parts[0], "volumes");
            binds.Add(string.Join(':', [src, .. parts[1..]]));
        }
        // The task's volume_mounts of host volumes (the client resolved them to host paths).
        foreach (var m in task.Mounts) binds.Add($"{m.HostPath}:{m.TaskPath}:{(m.ReadOnly ? "ro" : "rw")}");
        return binds;
    }

    /// <summary>A relative host path lives in the task dir; an absolute one needs <c>volumes { enabled = true }</c>.</summary>
    private static string HostPath(TaskConfig task, string path, string field)
    {
        if (!Path.IsPathRooted(path))
        {
            var full = Path.GetFullPath(Path.Combine(task.TaskDir, path));
            var allocRoot = Path.GetFullPath(task.AllocDir.Length > 0 ? task.AllocDir : task.TaskDir) + "/";
            if (!full.StartsWith(allocRoot, StringComparison.Ordinal))
                throw new InvalidOperationException($"config.{field}: {path} escapes the allocation directory");
            return full;
        }
        return path; // PolicyErrors already refused host paths when volumes are disabled
    }

    private static Mount Mount(TaskConfig task, MountConfig m, DockerPluginConfig plugin)
    {
        var mount = new Mount { Type = m.Type, Target = m.Target, ReadOnly = m.ReadOnly };
        switch (m.Type)
        {
            case "bind":
                mount.Source = HostPath(task, m.Source, "mount.source");
                if (m.Propagation.Length > 0) mount.BindOptions = new BindOptions { Propagation = m.Propagation };
                break;
            case "volume":
                mount.Source = m.Source.Length > 0 ? m.Source : null;
                break;
            case "tmpfs":
                if (m.TmpfsSize > 0 || m.TmpfsMode > 0)
                    mount.TmpfsOptions = new TmpfsOptions { SizeBytes = m.TmpfsSize, Mode = (uint)m.TmpfsMode };
                break;
        }
        return mount;
    }

    /// <summary>
    /// <c>ports = ["http"]</c> names ports of the group's network: the agent put their numbers in the env
    /// (<c>NOMAD_HOST_PORT_http</c>, <c>NOMAD_PORT_http</c> = the <c>to</c> port, <c>NOMAD_HOST_IP_http</c>). Each is
    /// published host:port → container:to on tcp and udp; <c>port_map</c> (the old syntax) sets the container side.
    /// </summary>
    private static void AddPorts(TaskConfig task, DockerTaskConfig cfg, CreateContainerParameters p)
    {
        var labels = cfg.Ports.Concat(cfg.PortMap.Keys).Distinct().ToList();
        if (labels.Count == 0) return;
        p.ExposedPorts = new Dictionary<string, EmptyStruct>();
        var bindings = new Dictionary<string, IList<PortBinding>>();
        foreach (var label in labels)
        {
            var key = EnvSafe(label);
            if (!task.Env.TryGetValue($"NOMAD_HOST_PORT_{key}", out var hostPort))
                throw new InvalidOperationException($"config.ports: port label \"{label}\" is not in the group's network");
            var to = cfg.PortMap.TryGetValue(label, out var mapped) ? mapped.ToString()
                : task.Env.GetValueOrDefault($"NOMAD_PORT_{key}", hostPort);
            var ip = task.Env.GetValueOrDefault($"NOMAD_HOST_IP_{key}", "");
            foreach (var proto in new[] { "tcp", "udp" })
            {
                p.ExposedPorts[$"{to}/{proto}"] = default;
                bindings[$"{to}/{proto}"] = [new PortBinding { HostIP = ip, HostPort = hostPort }];
            }
        }
        // Publishing means nothing without a network namespace of the container's own.
        if (cfg.NetworkMode is not ("host" or "none")) p.HostConfig.PortBindings = bindings;
    }

    private static string EnvSafe(string s) => string.Concat(s.Select(c => char.IsAsciiLetterOrDigit(c) || c == '_' ? c : '_'));
}
