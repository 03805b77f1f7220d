namespace Nomad.Drivers.Shared;

/// <summary>
/// <see cref="Nomad.Contracts.TaskHandle.DriverState"/> for a raw_exec task: enough to find the task again after
/// the driver or the agent restarts. PIDs come with their start times (<c>/proc/PID/stat</c> field 22, clock
/// ticks since boot) so a reused PID is never mistaken for the task.
/// </summary>
public sealed record ShimTaskState
{
    public int Version { get; init; } = 1;
    /// <summary>The nomad-executor shim: the task's parent, which writes <see cref="ExitStatusPath"/>.</summary>
    public int ExecutorPid { get; init; }
    public ulong ExecutorStartTime { get; init; }
    /// <summary>The task's main process; also its process group ID.</summary>
    public int Pid { get; init; }
    public ulong StartTime { get; init; }
    /// <summary>The task's state directory, <c>TaskDir/.executor/ID</c>, holding the files below.</summary>
    public string StateDir { get; init; } = "";
    public string SpecPath { get; init; } = "";
    public string StartedPath { get; init; } = "";
    public string ExitStatusPath { get; init; } = "";
    public string ExecutorLogPath { get; init; } = "";
    /// <summary>Log base paths: the files are <c>StdoutPath.0</c>, <c>.1</c>, ...</summary>
    public string StdoutPath { get; init; } = "";
    public string StderrPath { get; init; } = "";
    /// <summary>The task's working directory and environment (for ExecTask).</summary>
    public string Cwd { get; init; } = "";
    public DateTime StartedAt { get; init; }
    /// <summary>exec: the task's cgroup directories (one per v1 controller, or one v2 group); empty for raw_exec.</summary>
    public string[] Cgroups { get; init; } = [];
}
