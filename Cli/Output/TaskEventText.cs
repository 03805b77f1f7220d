using Nomad.Agent.Config;
using Nomad.Agent.Structs;

namespace Nomad.Cli.Output;

/// <summary>Nomad's buildDisplayMessage: a task event's description when the client sent no DisplayMessage.</summary>
public static class TaskEventText
{
    public static string Describe(TaskEvent e)
    {
        if (e.DisplayMessage.Length > 0) return e.DisplayMessage;
        static string Or(string value, string fallback) => value.Length > 0 ? value : fallback;
        return e.Type switch
        {
            TaskEventType.TaskSetup => e.Message,
            TaskEventType.Started => "Task started by client",
            TaskEventType.Received => "Task received by client",
            TaskEventType.FailedValidation => Or(e.ValidationError, "Validation of task failed"),
            "Setup Failure" => Or(e.SetupError, "Task setup failed"),
            TaskEventType.DriverFailure => Or(e.DriverError, "Failed to start task"),
            TaskEventType.DownloadingArtifacts => "Client is downloading artifacts",
            TaskEventType.ArtifactDownloadFailed => Or(e.DownloadError, "Failed to download artifacts"),
            TaskEventType.Killing => e.KillReason.Length > 0 ? $"Killing task: {e.KillReason}"
                : e.KillTimeout != 0 ? $"Sent interrupt. Waiting {GoDuration.FormatNanoseconds(e.KillTimeout)} before force killing"
                : "Sent interrupt",
            TaskEventType.Killed => Or(e.KillError, "Task successfully killed"),
            TaskEventType.Terminated => Terminated(e),
            TaskEventType.Restarting => Restarting(e),
            TaskEventType.NotRestarting => Or(e.RestartReason, "Task exceeded restart policy"),
            TaskEventType.SiblingFailed => e.FailedSibling.Length > 0 ? $"Task's sibling {GoText.Quote(e.FailedSibling)} failed" : "Task's sibling failed",
            "Driver" => e.DriverMessage,
            TaskEventType.LeaderDead => "Leader Task in Group dead",
            _ => e.Message,
        };
    }

    private static string Terminated(TaskEvent e)
    {
        var parts = new List<string> { $"Exit Code: {e.ExitCode}" };
        if (e.Signal != 0) parts.Add($"Signal: {e.Signal}");
        if (e.Message.Length > 0) parts.Add($"Exit Message: {GoText.Quote(e.Message)}");
        return string.Join(", ", parts);
    }

    private static string Restarting(TaskEvent e)
    {
        var within = $"Task restarting in {GoDuration.FormatNanoseconds(e.StartDelay)}";
        return e.RestartReason.Length > 0 && e.RestartReason != "Restart within policy" ? $"{e.RestartReason} - {within}" : within;
    }
}
