using System.Text.Json;

namespace Nomad.Contracts;

/// <summary>How healthy a driver is on this node.</summary>
public static class DriverHealth
{
    /// <summary>The driver cannot run here at all (missing binary, wrong OS, not root).</summary>
    public const string Undetected = "undetected";
    /// <summary>Detected but not usable right now (daemon down).</summary>
    public const string Unhealthy = "unhealthy";
    /// <summary>Ready to run tasks.</summary>
    public const string Healthy = "healthy";
}

/// <summary>A driver's fingerprint: its health and the node attributes it contributes.</summary>
/// <param name="Health">One of <see cref="DriverHealth"/>.</param>
/// <param name="HealthDescription">Why, in a few words (shown in <c>node status -verbose</c>).</param>
/// <param name="Attributes">Node attributes such as <c>driver.raw_exec = "1"</c>.</param>
public sealed record DriverFingerprint(string Health, string HealthDescription, Dictionary<string, string> Attributes);

/// <summary>What a driver can do.</summary>
/// <param name="SendSignals">Whether <c>SignalTask</c> works.</param>
/// <param name="Exec">Whether <c>ExecTask</c> works.</param>
/// <param name="FSIsolation"><c>none</c>, <c>chroot</c> or <c>image</c>.</param>
public sealed record DriverCapabilities(bool SendSignals, bool Exec, string FSIsolation)
{
    /// <summary>Whether <c>ExecTaskStreaming</c> works (stdin, streamed output, a terminal); absent on the wire means no.</summary>
    public bool ExecStreaming { get; init; }
}

/// <summary>The result of validating configuration: empty <see cref="Errors"/> means valid.</summary>
/// <param name="Errors">One line per problem, each naming the field (<c>config.command: required</c>).</param>
public sealed record ValidationResult(List<string> Errors)
{
    /// <summary>A valid result.</summary>
    public static ValidationResult Ok { get; } = new([]);
}

/// <summary>Resources a task may use.</summary>
/// <param name="CpuShares">CPU in MHz shares.</param>
/// <param name="MemoryMB">Memory limit in MiB.</param>
/// <param name="MemoryMaxMB">Hard memory limit in MiB, 0 when not set.</param>
public sealed record TaskResources(long CpuShares, long MemoryMB, long MemoryMaxMB = 0);

/// <summary>Everything a driver needs to start one task.</summary>
public sealed record TaskConfig
{
    /// <summary>Unique task ID: <c>allocID/taskName/attempt</c>.</summary>
    public required string ID { get; init; }
    /// <summary>The task's name.</summary>
    public required string Name { get; init; }
    /// <summary>The allocation's ID.</summary>
    public required string AllocID { get; init; }
    /// <summary>The job's name.</summary>
    public string JobName { get; init; } = "";
    /// <summary>The task group's name.</summary>
    public string TaskGroupName { get; init; } = "";
    /// <summary>Environment variables for the task.</summary>
    public Dictionary<string, string> Env { get; init; } = new();
    /// <summary>Resource limits.</summary>
    public TaskResources Resources { get; init; } = new(100, 300);
    /// <summary>User to run as (empty: the driver's default).</summary>
    public string User { get; init; } = "";
    /// <summary>The allocation directory (shared by the group's tasks).</summary>
    public string AllocDir { get; init; } = "";
    /// <summary>This task's directory inside the allocation directory.</summary>
    public string TaskDir { get; init; } = "";
    /// <summary>
    /// The base path of the task's stdout log, as Nomad lays it out: <c>ALLOC_DIR/alloc/logs/TASK.stdout</c>.
    /// The driver appends to <c>PATH.0</c>, <c>PATH.1</c>, ... (Nomad's logmon naming), rotating at
    /// <see cref="LogMaxFileSizeMB"/> and keeping <see cref="LogMaxFiles"/> files.
    /// </summary>
    public string StdoutPath { get; init; } = "";
    /// <summary>The base path of the task's stderr log (<c>ALLOC_DIR/alloc/logs/TASK.stderr</c>), rotated the same way.</summary>
    public string StderrPath { get; init; } = "";
    /// <summary>Log rotation: files kept per stream.</summary>
    public int LogMaxFiles { get; init; } = 10;
    /// <summary>Log rotation: MiB per file.</summary>
    public int LogMaxFileSizeMB { get; init; } = 10;
    /// <summary>The task's <c>config {}</c> block, as JSON.</summary>
    public JsonElement DriverConfig { get; init; }
    /// <summary>Host paths to make visible inside the task (its <c>volume_mount</c>s of host volumes), empty when none.</summary>
    public List<TaskMount> Mounts { get; init; } = new();
}

/// <summary>
/// A host path seen by the task at <paramref name="TaskPath"/> (Nomad's drivers.MountConfig). A driver that isolates
/// the task's filesystem binds it there; one that does not (raw_exec) leaves the task to use the host path.
/// </summary>
/// <param name="TaskPath">Where the task sees it: an absolute path inside the task's filesystem.</param>
/// <param name="HostPath">The directory or file on the host.</param>
/// <param name="ReadOnly">The task must not be able to write through it.</param>
/// <param name="PropagationMode">Mount propagation: private, host-to-task or bidirectional.</param>
public sealed record TaskMount(string TaskPath, string HostPath, bool ReadOnly, string PropagationMode = "private");

/// <summary>
/// What the agent persists about a running task so the driver can re-attach after either restarts.
/// <see cref="DriverState"/> is opaque to the agent.
/// </summary>
/// <param name="Config">The task's configuration.</param>
/// <param name="State">The task state when the handle was made.</param>
/// <param name="DriverState">The driver's own state (PID, start time, container ID ...), as JSON.</param>
public sealed record TaskHandle(TaskConfig Config, string State, JsonElement DriverState);

/// <summary>How a task ended.</summary>
/// <param name="ExitCode">The process's exit code.</param>
/// <param name="Signal">The signal that killed it, 0 if none.</param>
/// <param name="OOMKilled">Whether the kernel killed it for memory.</param>
/// <param name="Err">A driver error, when the driver lost the task rather than saw it exit.</param>
public sealed record ExitResult(int ExitCode, int Signal = 0, bool OOMKilled = false, string? Err = null)
{
    /// <summary>Exited 0, no signal, no error.</summary>
    public bool Successful => ExitCode == 0 && Signal == 0 && Err is null;
}

/// <summary>Task states.</summary>
public static class TaskStates
{
    /// <summary>Not known to the driver.</summary>
    public const string Unknown = "unknown";
    /// <summary>Running.</summary>
    public const string Running = "running";
    /// <summary>Exited; see the exit result.</summary>
    public const string Exited = "exited";
}

/// <summary>A task as the driver sees it now.</summary>
public sealed record TaskStatus(string ID, string Name, string State, DateTime StartedAt, DateTime? CompletedAt, ExitResult? ExitResult)
{
    private readonly DateTime? _completedAt = CompletedAt;

    /// <summary>
    /// When the task exited; never before <see cref="StartedAt"/>, whatever clock the driver read the two from
    /// (Docker's own timestamps for a container that exits at once can be the wrong way round by a fraction of a
    /// millisecond, and a wall clock can step back): a run time is never negative.
    /// </summary>
    public DateTime? CompletedAt
    {
        get => _completedAt < StartedAt ? StartedAt : _completedAt;
        init => _completedAt = value;
    }
}

/// <summary>Resource usage of a task.</summary>
public sealed record TaskResourceUsage(long MemoryRssBytes, long MemoryCacheBytes, long MemorySwapBytes, long MemoryMaxUsageBytes,
    double CpuPercent, double CpuUserMode, double CpuSystemMode, double CpuTotalTicks, long CpuThrottledPeriods, long Timestamp);

/// <summary>The output of a command run in a task's context.</summary>
public sealed record ExecResult(int ExitCode, string Stdout, string Stderr);

/// <summary>A driver's message about one task, shown as a task event of type <c>Driver</c> (Nomad's DriverMessage).</summary>
/// <param name="TaskID">The task's ID (<see cref="TaskConfig.ID"/>).</param>
/// <param name="Message">What happened, for people (<c>Downloading image busybox:1</c>).</param>
/// <param name="Time">When, UTC.</param>
public sealed record DriverTaskEvent(string TaskID, string Message, DateTime Time);
