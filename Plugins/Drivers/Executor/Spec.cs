using System.Text.Json;

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
        using var doc = JsonDocument.Parse(File.ReadAllBytes(path));
        var r = doc.RootElement;
        var s = new Spec
        {
            TaskName = Str(r, "TaskName"),
            Command = Str(r, "Command"),
            Cwd = Str(r, "Cwd"),
            User = Str(r, "User"),
            StdoutPath = Str(r, "StdoutPath"),
            StderrPath = Str(r, "StderrPath"),
            StartedPath = Str(r, "StartedPath"),
            ExitStatusPath = Str(r, "ExitStatusPath"),
        };
        if (r.TryGetProperty("Args", out var a) && a.ValueKind == JsonValueKind.Array)
            foreach (var x in a.EnumerateArray()) s.Args.Add(x.GetString() ?? "");
        if (r.TryGetProperty("Env", out var e) && e.ValueKind == JsonValueKind.Object)
            foreach (var p in e.EnumerateObject()) s.Env.Add(new(p.Name, p.Value.GetString() ?? ""));
        if (r.TryGetProperty("LogMaxFiles", out var mf) && mf.TryGetInt32(out var mfi) && mfi > 0) s.LogMaxFiles = mfi;
        if (r.TryGetProperty("LogMaxFileSizeBytes", out var ms) && ms.TryGetInt64(out var msi) && msi > 0) s.LogMaxFileSizeBytes = msi;
        if (r.TryGetProperty("KillOrphans", out var ko) && ko.ValueKind is JsonValueKind.False) s.KillOrphans = false;
        if (r.TryGetProperty("Isolation", out var iso) && iso.ValueKind == JsonValueKind.Object) s.Isolation = IsolationSpec.Parse(iso);
        if (s.Command.Length == 0) throw new InvalidDataException("spec: Command is required");
        if (s.StartedPath.Length == 0 || s.ExitStatusPath.Length == 0) throw new InvalidDataException("spec: StartedPath and ExitStatusPath are required");
        if (s.StdoutPath.Length == 0 || s.StderrPath.Length == 0) throw new InvalidDataException("spec: StdoutPath and StderrPath are required");
        return s;
    }

    internal static string Str(JsonElement r, string name) =>
        r.TryGetProperty(name, out var v) && v.ValueKind == JsonValueKind.String ? v.GetString() ?? "" : "";
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

    public static IsolationSpec Parse(JsonElement e)
    {
        var s = new IsolationSpec
        {
            Root = Spec.Str(e, "Root"),
            AllocDir = Spec.Str(e, "AllocDir"),
            User = Spec.Str(e, "User") is { Length: > 0 } u ? u : "nobody",
            MemoryCgroup = Spec.Str(e, "MemoryCgroup"),
            Hostname = Spec.Str(e, "Hostname"),
        };
        if (e.TryGetProperty("ChrootEnv", out var c) && c.ValueKind == JsonValueKind.Array)
            foreach (var x in c.EnumerateArray()) s.ChrootEnv.Add(x.GetString() ?? "");
        if (e.TryGetProperty("Cgroups", out var g) && g.ValueKind == JsonValueKind.Array)
            foreach (var x in g.EnumerateArray()) s.Cgroups.Add(x.GetString() ?? "");
        if (e.TryGetProperty("CgroupVersion", out var v) && v.TryGetInt32(out var vi)) s.CgroupVersion = vi;
        if (s.Root.Length == 0) throw new InvalidDataException("spec: Isolation.Root is required");
        return s;
    }
}
