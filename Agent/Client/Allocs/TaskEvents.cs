using Nomad.Agent.Config;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Client.Allocs;

/// <summary>Nomad's task events with the display messages its client sets (structs.TaskEvent.PopulateEventDisplayMessage).</summary>
public static class TaskEvents
{
    /// <summary>Nomad keeps a task's last ten events.</summary>
    public const int MaxEvents = 10;

    public static TaskEvent Received() => New(TaskEventType.Received, "Task received by client");

    public static TaskEvent Setup() => New(TaskEventType.TaskSetup, "Building Task Directory") with { Message = "Building Task Directory" };

    /// <summary>Something the driver said about the task while working on it; Nomad shows the driver's words as they are.</summary>
    public static TaskEvent Driver(string message) => New(TaskEventType.Driver, message) with { DriverMessage = message };

    public static TaskEvent Started() => New(TaskEventType.Started, "Task started by client");

    public static TaskEvent Terminated(int exitCode, int signal, bool oom, string? message)
    {
        var parts = new List<string> { $"Exit Code: {exitCode}" };
        if (signal != 0) parts.Add($"Signal: {signal}");
        if (oom) parts.Add("OOM Killed");
        if (!string.IsNullOrEmpty(message)) parts.Add($"Exit Message: \"{message}\"");
        var e = New(TaskEventType.Terminated, string.Join(", ", parts)) with { ExitCode = exitCode, Signal = signal };
        e.Details["exit_code"] = exitCode.ToString();
        e.Details["signal"] = signal.ToString();
        e.Details["oom_killed"] = oom ? "true" : "false";
        if (!string.IsNullOrEmpty(message)) e = e with { Message = message };
        return e;
    }

    public static TaskEvent Restarting(TimeSpan delay, string reason)
    {
        var delayNs = delay.Ticks * 100;
        var display = $"Task restarting in {GoDuration.FormatNanoseconds(delayNs)}";
        if (reason.Length > 0 && reason != RestartTracker.ReasonWithinPolicy) display = $"{reason} - {display}";
        var e = New(TaskEventType.Restarting, display) with { StartDelay = delayNs, RestartReason = reason };
        e.Details["start_delay"] = delayNs.ToString();
        e.Details["restart_reason"] = reason;
        return e;
    }

    public static TaskEvent NotRestarting(string reason, bool failsTask)
    {
        var e = New(TaskEventType.NotRestarting, reason.Length > 0 ? reason : "Task exceeded restart policy") with { RestartReason = reason, FailsTask = failsTask };
        e.Details["restart_reason"] = reason;
        if (failsTask) e.Details["fails_task"] = "true";
        return e;
    }

    public static TaskEvent Killing(long killTimeoutNs, string reason)
    {
        var e = New(TaskEventType.Killing, $"Sent interrupt. Waiting {GoDuration.FormatNanoseconds(killTimeoutNs)} before force killing") with
        {
            KillTimeout = killTimeoutNs,
            KillReason = reason,
        };
        e.Details["kill_timeout"] = killTimeoutNs.ToString();
        if (reason.Length > 0) e.Details["kill_reason"] = reason;
        return e;
    }

    public static TaskEvent Killed(string? error)
    {
        var e = New(TaskEventType.Killed, string.IsNullOrEmpty(error) ? "Task successfully killed" : error) with { KillError = error ?? "" };
        if (!string.IsNullOrEmpty(error)) e.Details["kill_error"] = error;
        return e;
    }

    public static TaskEvent DriverFailure(string error)
    {
        var e = New(TaskEventType.DriverFailure, error.Length > 0 ? error : "Failed to start task") with { DriverError = error };
        e.Details["driver_error"] = error;
        return e;
    }

    public static TaskEvent FailedValidation(string error)
    {
        var e = New(TaskEventType.FailedValidation, error.Length > 0 ? error : "Validation of task failed") with { ValidationError = error, FailsTask = true };
        e.Details["validation_error"] = error;
        e.Details["fails_task"] = "true";
        return e;
    }

    /// <summary>The task could not be set up (e.g. a volume it mounts is missing): it fails without being started.</summary>
    public static TaskEvent SetupFailure(string error)
    {
        var e = New(TaskEventType.SetupFailure, error) with { SetupError = error, FailsTask = true };
        e.Details["setup_error"] = error;
        e.Details["fails_task"] = "true";
        return e;
    }

    public static TaskEvent DownloadingArtifacts() => New(TaskEventType.DownloadingArtifacts, "Client is downloading artifacts");

    public static TaskEvent ArtifactDownloadFailed(string error)
    {
        var e = New(TaskEventType.ArtifactDownloadFailed, error.Length > 0 ? error : "Failed to download artifacts") with { DownloadError = error };
        e.Details["download_error"] = error;
        return e;
    }

    /// <summary>A template that failed to render (Nomad's "Template" source, "Template failed: ..."); it fails the task.</summary>
    public static TaskEvent TemplateFailed(string message) =>
        New("Template", message) with { Message = message, FailsTask = true };

    public static TaskEvent SiblingFailed(string sibling)
    {
        var e = New(TaskEventType.SiblingFailed, $"Task's sibling \"{sibling}\" failed") with { FailedSibling = sibling };
        e.Details["failed_sibling"] = sibling;
        return e;
    }

    /// <summary>Given to the group's other tasks when its leader task is dead, before they are killed.</summary>
    public static TaskEvent LeaderDead() => New(TaskEventType.LeaderDead, "Leader Task in Group dead");

    /// <summary>Given to the sidecars when every main task is dead, before they are killed.</summary>
    public static TaskEvent MainDead() => New(TaskEventType.MainDead, "Main tasks in the group died");

    public static TaskEvent WaitingShutdownDelay(long delayNs) =>
        New(TaskEventType.WaitingShuttingDownDelay, $"Waiting for shutdown_delay of {GoDuration.FormatNanoseconds(delayNs)} before killing the task.");

    private static TaskEvent New(string type, string display) => new()
    {
        Type = type,
        Time = UnixNanos.Now(),
        DisplayMessage = display,
        Details = new Dictionary<string, string>(),
    };

    /// <summary>The state with <paramref name="e"/> appended, keeping the last <see cref="MaxEvents"/>.</summary>
    public static TaskState Append(TaskState state, TaskEvent e)
    {
        var events = new List<TaskEvent>(state.Events) { e };
        if (events.Count > MaxEvents) events.RemoveRange(0, events.Count - MaxEvents);
        return state with { Events = events };
    }
}
