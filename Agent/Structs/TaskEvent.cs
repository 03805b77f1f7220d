namespace Nomad.Agent.Structs;

/// <summary>One entry of a task's event history (the subset of Nomad's fields the CLI uses).</summary>
public sealed record TaskEvent
{
    public string Type { get; init; } = "";
    /// <summary>Unix nanoseconds.</summary>
    public long Time { get; init; }
    public string Message { get; init; } = "";
    public string DisplayMessage { get; init; } = "";
    public Dictionary<string, string> Details { get; init; } = new();
    public bool FailsTask { get; init; }
    public string RestartReason { get; init; } = "";
    public string SetupError { get; init; } = "";
    public string DriverError { get; init; } = "";
    public int ExitCode { get; init; }
    public int Signal { get; init; }
    /// <summary>Nanoseconds.</summary>
    public long KillTimeout { get; init; }
    public string KillError { get; init; } = "";
    public string KillReason { get; init; } = "";
    /// <summary>Nanoseconds.</summary>
    public long StartDelay { get; init; }
    public string ValidationError { get; init; } = "";
    public string FailedSibling { get; init; } = "";
    public string DriverMessage { get; init; } = "";
    public string DownloadError { get; init; } = "";
}

/// <summary>Values of TaskEvent.Type.</summary>
public static class TaskEventType
{
    public const string Received = "Received";
    public const string TaskSetup = "Task Setup";
    public const string Started = "Started";
    public const string Terminated = "Terminated";
    public const string Restarting = "Restarting";
    public const string NotRestarting = "Not Restarting";
    public const string Killing = "Killing";
    public const string Killed = "Killed";
    public const string DriverFailure = "Driver Failure";
    /// <summary>Progress the driver reports while it works on the task (e.g. an image pull).</summary>
    public const string Driver = "Driver";
    public const string FailedValidation = "Failed Validation";
    public const string SetupFailure = "Setup Failure";
    public const string SiblingFailed = "Sibling Task Failed";
    public const string LeaderDead = "Leader Task Dead";
    public const string MainDead = "Main Tasks Dead";
    public const string WaitingShuttingDownDelay = "Waiting for shutdown delay";
    public const string DownloadingArtifacts = "Downloading Artifacts";
    public const string ArtifactDownloadFailed = "Failed Artifact Download";
}
