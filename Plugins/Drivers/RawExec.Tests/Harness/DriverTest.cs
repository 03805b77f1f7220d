using System.Text.Json;

namespace Nomad.Drivers.RawExec.Tests.Harness;

/// <summary>
/// Base for tests that run tasks: a scratch allocation directory per test, task configs as the agent would
/// send them, and a teardown that kills whatever tasks and shims a failed test left behind.
/// </summary>
public abstract class DriverTest
{
    private readonly List<DriverProcess> _drivers = new();
    private readonly List<TaskHandle> _handles = new();
    protected string Root { get; private set; } = "";
    protected string AllocId { get; private set; } = "";
    protected string AllocDir => Path.Combine(Root, AllocId);

    [SetUp]
    public void CreateScratch()
    {
        AllocId = Guid.NewGuid().ToString();
        Root = Path.Combine(Path.GetTempPath(), Binaries.Under.Part.Replace("_", "") + "-tests", TestContext.CurrentContext.Test.Name.Split('(')[0]);
        if (Directory.Exists(Root)) Directory.Delete(Root, recursive: true);
        Directory.CreateDirectory(Path.Combine(AllocDir, "alloc", "logs"));
    }

    [TearDown]
    public async Task Cleanup()
    {
        foreach (var h in _handles)
        {
            var s = State(h);
            if (Os.IsRunning(s.Pid, s.StartTime) || Os.IsRunning(s.ExecutorPid, s.ExecutorStartTime)) Os.Kill(-s.Pid, 9);
            if (Os.IsRunning(s.ExecutorPid, s.ExecutorStartTime)) Os.Kill(s.ExecutorPid, 9);
        }
        foreach (var d in _drivers) await d.DisposeAsync();
        _handles.Clear(); // NUnit runs every test of a fixture on one instance
        _drivers.Clear();
        if (TestContext.CurrentContext.Result.Outcome.Status != NUnit.Framework.Interfaces.TestStatus.Failed)
            try { Directory.Delete(Root, recursive: true); } catch (IOException) { }
    }

    protected async Task<DriverProcess> StartDriver(bool enable = true, object? config = null)
    {
        var d = await DriverProcess.StartAsync(enable, config);
        _drivers.Add(d);
        return d;
    }

    /// <summary>A task config as the agent sends it: <c>allocID/name/0</c>, its dir in the alloc dir, logs in <c>alloc/logs</c>.</summary>
    protected TaskConfig Task(string name, string command, string[] args, Dictionary<string, string>? env = null,
        int maxFiles = 10, int maxFileSizeMB = 10) => new()
    {
        ID = $"{AllocId}/{name}/0",
        Name = name,
        AllocID = AllocId,
        JobName = "job",
        TaskGroupName = "g",
        Env = env ?? new() { ["PATH"] = "/usr/local/bin:/usr/bin:/bin" },
        AllocDir = AllocDir,
        TaskDir = Path.Combine(AllocDir, name),
        StdoutPath = Path.Combine(AllocDir, "alloc", "logs", $"{name}.stdout"),
        StderrPath = Path.Combine(AllocDir, "alloc", "logs", $"{name}.stderr"),
        LogMaxFiles = maxFiles,
        LogMaxFileSizeMB = maxFileSizeMB,
        DriverConfig = JsonSerializer.SerializeToElement(new { command, args }),
    };

    /// <summary>A <c>/bin/sh -c SCRIPT</c> task.</summary>
    protected TaskConfig Sh(string name, string script, Dictionary<string, string>? env = null, int maxFiles = 10, int maxFileSizeMB = 10) =>
        Task(name, "/bin/sh", ["-c", script], env, maxFiles, maxFileSizeMB);

    protected async Task<TaskHandle> Start(DriverProcess d, TaskConfig t)
    {
        var h = await d.Call<TaskHandle>(PluginProtocol.Methods.StartTask, t);
        _handles.Add(h);
        return h;
    }

    protected static string Stdout(TaskConfig t, int index = 0) => ReadLog($"{t.StdoutPath}.{index}");
    protected static string Stderr(TaskConfig t, int index = 0) => ReadLog($"{t.StderrPath}.{index}");
    private static string ReadLog(string path) => File.Exists(path) ? File.ReadAllText(path) : "";

    /// <summary>The driver state the handle carries (the tests read it as the agent would persist it).</summary>
    protected static HandleState State(TaskHandle h) => h.DriverState.Deserialize<HandleState>()!;

    public sealed record HandleState(int ExecutorPid, ulong ExecutorStartTime, int Pid, ulong StartTime,
        string StateDir, string SpecPath, string StartedPath, string ExitStatusPath, string StdoutPath, string StderrPath, string[]? Cgroups = null);
}
