namespace Nomad.Executor;

/// <summary>
/// What the driver asks the shim to run: <c>spec.json</c> in the task's state directory.
/// <code>
/// { "Version": 1, "TaskName": "t", "Command": "/bin/echo", "Args": ["hi"], "Env": {"PATH": "..."},
///   "Cwd": "/alloc/t", "User": "", "StdoutPath": "/alloc/alloc/logs/t.stdout", "StderrPath": "...",
///   "LogMaxFiles": 10, "LogMaxFileSizeBytes": 10485760, "StartedPath": ".../started.json",
///   "ExitStatusPath": ".../exit.json", "KillOrphans": true }
/// </code>
/// Log files are <c>StdoutPath.0</c>, <c>.1</c>, ... as Nomad's logmon names them.
/// </summary>
internal sealed class Spec
{
    public string TaskName = "";
    public string Command = "";
    public List<string> Args = new();
    public List<KeyValuePair<string, string>> Env = new();
    public string Cwd = "";
    /// <summary>Ignored by raw_exec; the exec driver's hook (see <see cref="Isolation"/>).</summary>
    public string User = "";
    public string StdoutPath = "";
    public string StderrPath = "";
    public int LogMaxFiles = 10;
    public long LogMaxFileSizeBytes = 10L << 20;
    public string StartedPath = "";
    public string ExitStatusPath = "";
    /// <summary>When the task's main process exits, SIGKILL what is left of its process group and session.</summary>
    public bool KillOrphans = true;
    /// <summary>exec: how to isolate the task (null for raw_exec). See <see cref="IsolationSpec"/>.</summary>
    public IsolationSpec? Isolation;

    public static Spec Load(string path)
    {
        if (MiniJson.Parse(File.ReadAllBytes(path)) is not Dictionary<string, object?> r) throw new InvalidDataException("spec: not a JSON object");
        var s = new Spec
        {
            TaskName = MiniJson.Str(r, "TaskName"),
            Command = MiniJson.Str(r, "Command"),
            Cwd = MiniJson.Str(r, "Cwd"),
            User = MiniJson.Str(r, "User"),
            StdoutPath = MiniJson.Str(r, "StdoutPath"),
            StderrPath = MiniJson.Str(r, "StderrPath"),
            StartedPath = MiniJson.Str(r, "StartedPath"),
            ExitStatusPath = MiniJson.Str(r, "ExitStatusPath"),
            Args = MiniJson.Strings(r, "Args"),
        };
        if (MiniJson.Obj(r, "Env") is { } env)
            foreach (var (k, v) in env) s.Env.Add(new(k, v as string ?? ""));
        if (MiniJson.Long(r, "LogMaxFiles") is { } mf && mf > 0 && mf <= int.MaxValue) s.LogMaxFiles = (int)mf;
        if (MiniJson.Long(r, "LogMaxFileSizeBytes") is { } ms && ms > 0) s.LogMaxFileSizeBytes = ms;
        if (MiniJson.Bool(r, "KillOrphans") == false) s.KillOrphans = false;
        if (MiniJson.Obj(r, "Isolation") is { } iso) s.Isolation = IsolationSpec.Parse(iso);
        if (s.Command.Length == 0) throw new InvalidDataException("spec: Command is required");
        if (s.StartedPath.Length == 0 || s.ExitStatusPath.Length == 0) throw new InvalidDataException("spec: StartedPath and ExitStatusPath are required");
        if (s.StdoutPath.Length == 0 || s.StderrPath.Length == 0) throw new InvalidDataException("spec: StdoutPath and StderrPath are required");
        return s;
    }
}

/// <summary>
/// The exec driver's isolation: <c>"Isolation": {"Root": TASK_DIR, "AllocDir": ".../alloc", "ChrootEnv": ["/bin", ...],
/// "User": "nobody", "Cgroups": [dirs], "MemoryCgroup": dir, "CgroupVersion": 1, "Hostname": "t"}</c>.
/// </summary>
internal sealed class IsolationSpec
{
    /// <summary>The chroot: the task's directory (holding local/, secrets/, tmp/ and the mount points).</summary>
    public string Root = "";
    /// <summary>The allocation's shared directory, bind-mounted at <c>Root/alloc</c>.</summary>
    public string AllocDir = "";
    /// <summary>Host directories bind-mounted read-only at the same place in the chroot.</summary>
    public List<string> ChrootEnv = new();
    public string User = "nobody";
    /// <summary>Cgroup directories the task joins (made and limited by the driver).</summary>
    public List<string> Cgroups = new();
    /// <summary>The memory cgroup, for OOM detection ("" when none).</summary>
    public string MemoryCgroup = "";
    public int CgroupVersion = 1;
    public string Hostname = "";
    /// <summary>Host paths bound into the chroot at TaskPath (volume_mount), read-only when asked.</summary>
    public List<(string HostPath, string TaskPath, bool ReadOnly)> Mounts = new();

    /// <summary>Whether a planned mount is one of <see cref="Mounts"/>: null if not, else whether its host path is a directory.</summary>
    public bool? IsVolumeMount(string? src, string dst, string root)
    {
        foreach (var (hostPath, taskPath, _) in Mounts)
            if (hostPath == src && root + taskPath == dst) return Directory.Exists(hostPath);
        return null;
    }

    public static IsolationSpec Parse(Dictionary<string, object?> e)
    {
        var s = new IsolationSpec
        {
            Root = MiniJson.Str(e, "Root"),
            AllocDir = MiniJson.Str(e, "AllocDir"),
            User = MiniJson.Str(e, "User") is { Length: > 0 } u ? u : "nobody",
            MemoryCgroup = MiniJson.Str(e, "MemoryCgroup"),
            Hostname = MiniJson.Str(e, "Hostname"),
            ChrootEnv = MiniJson.Strings(e, "ChrootEnv"),
            Cgroups = MiniJson.Strings(e, "Cgroups"),
        };
        if (MiniJson.Long(e, "CgroupVersion") is { } v && v is > 0 and < 10) s.CgroupVersion = (int)v;
        if (e.TryGetValue("Mounts", out var mounts) && mounts is List<object?> list)
        {
            foreach (var item in list)
            {
                if (item is not Dictionary<string, object?> m) continue;
                var taskPath = "/" + MiniJson.Str(m, "TaskPath").TrimStart('/');
                if (taskPath == "/" || taskPath.Split('/').Contains("..")) throw new InvalidDataException($"spec: mount destination \"{taskPath}\" must be a path below the task's root");
                s.Mounts.Add((MiniJson.Str(m, "HostPath"), taskPath, MiniJson.Bool(m, "ReadOnly") == true));
            }
        }
        if (s.Root.Length == 0) throw new InvalidDataException("spec: Isolation.Root is required");
        return s;
    }
}
