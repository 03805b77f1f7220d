namespace Nomad.Agent.Client.Allocs;

/// <summary>
/// One allocation's directory, laid out as Nomad's: <c>ALLOC/alloc/{logs,data,tmp}</c> shared by the
/// group's tasks, and per task <c>ALLOC/TASK/{local,secrets,tmp}</c> (secrets readable by its owner only).
/// </summary>
public sealed class AllocDir(string allocDirRoot, string allocId)
{
    /// <summary><c>alloc_dir/ALLOC_ID</c>.</summary>
    public string Root { get; } = Path.Combine(allocDirRoot, allocId);

    /// <summary>The shared directory: <c>ALLOC/alloc</c> (NOMAD_ALLOC_DIR).</summary>
    public string SharedDir => Path.Combine(Root, "alloc");

    public string LogsDir => Path.Combine(SharedDir, "logs");

    public string TaskDir(string task) => Path.Combine(Root, task);
    public string TaskLocalDir(string task) => Path.Combine(TaskDir(task), "local");
    public string TaskSecretsDir(string task) => Path.Combine(TaskDir(task), "secrets");

    /// <summary>The base path of a task's log stream; the driver writes <c>BASE.0</c>, <c>BASE.1</c>, ...</summary>
    public string LogBase(string task, string stream) => Path.Combine(LogsDir, $"{task}.{stream}");

    public bool Exists => Directory.Exists(Root);

    /// <summary>The files as the fs API may read them: confined to this directory (see <see cref="AllocFileAccess"/>).</summary>
    public AllocFileAccess Files => new(Root);

    /// <summary>Creates the shared directories (idempotent).</summary>
    public void Build()
    {
        foreach (var d in new[] { "logs", "data", "tmp" }) Directory.CreateDirectory(Path.Combine(SharedDir, d));
    }

    /// <summary>Creates a task's directories (idempotent); secrets is 0700.</summary>
    public void BuildTask(string task)
    {
        Directory.CreateDirectory(TaskLocalDir(task));
        Directory.CreateDirectory(Path.Combine(TaskDir(task), "tmp"));
        Directory.CreateDirectory(TaskSecretsDir(task));
        if (!OperatingSystem.IsWindows()) File.SetUnixFileMode(TaskSecretsDir(task), UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
    }

    /// <summary>Removes the whole directory; what cannot be removed (a busy mount) is left and reported.</summary>
    public void Destroy()
    {
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
    }
}
