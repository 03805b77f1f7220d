namespace Nomad.Agent.Structs;

/// <summary>
/// The rollout of one job version (Nomad's structs.Deployment): created by the scheduler when a service job's
/// update changes allocations destructively, moved on by the leader's deployment watcher.
/// </summary>
public sealed record Deployment
{
    public string ID { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public string JobID { get; init; } = "";
    public ulong JobVersion { get; init; }
    public ulong JobModifyIndex { get; init; }
    public ulong JobSpecModifyIndex { get; init; }
    public ulong JobCreateIndex { get; init; }
    public bool IsMultiregion { get; init; }
    /// <summary>Per task group with an update block.</summary>
    public Dictionary<string, DeploymentState> TaskGroups { get; init; } = new();
    public string Status { get; init; } = DeploymentStatus.Running;
    public string StatusDescription { get; init; } = DeploymentStatus.DescriptionRunning;
    public int EvalPriority { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    /// <summary>Nomad's Active: running, paused, pending, blocked or unblocking.</summary>
    [System.Text.Json.Serialization.JsonIgnore]
    public bool Active => Status is DeploymentStatus.Running or DeploymentStatus.Paused or DeploymentStatus.Pending
        or DeploymentStatus.Blocked or DeploymentStatus.Unblocking;
}

/// <summary>A task group's progress in a deployment (Nomad's DeploymentState).</summary>
public sealed record DeploymentState
{
    public bool AutoRevert { get; init; }
    public bool AutoPromote { get; init; }
    /// <summary>Nanoseconds.</summary>
    public long ProgressDeadline { get; init; }
    /// <summary>Unix nanoseconds (a Go time in the API); 0 when unset.</summary>
    [System.Text.Json.Serialization.JsonConverter(typeof(GoTimeNanosConverter))]
    public long RequireProgressBy { get; init; }
    public bool Promoted { get; init; }
    public List<string>? PlacedCanaries { get; init; }
    public int DesiredCanaries { get; init; }
    public int DesiredTotal { get; init; }
    public int PlacedAllocs { get; init; }
    public int HealthyAllocs { get; init; }
    public int UnhealthyAllocs { get; init; }
}

/// <summary>Deployment statuses and Nomad's status descriptions.</summary>
public static class DeploymentStatus
{
    public const string Running = "running";
    public const string Paused = "paused";
    public const string Failed = "failed";
    public const string Successful = "successful";
    public const string Cancelled = "cancelled";
    public const string Pending = "pending";
    public const string Blocked = "blocked";
    public const string Unblocking = "unblocking";

    public const string DescriptionRunning = "Deployment is running";
    public const string DescriptionRunningNeedsPromotion = "Deployment is running but requires manual promotion";
    public const string DescriptionRunningAutoPromotion = "Deployment is running pending automatic promotion";
    public const string DescriptionPaused = "Deployment is paused";
    public const string DescriptionSuccessful = "Deployment completed successfully";
    public const string DescriptionStoppedJob = "Cancelled because job is stopped";
    public const string DescriptionNewerJob = "Cancelled due to newer version of job";
    public const string DescriptionFailedAllocations = "Failed due to unhealthy allocations";
    public const string DescriptionProgressDeadline = "Failed due to progress deadline";
    public const string DescriptionFailedByUser = "Deployment marked as failed";
}
