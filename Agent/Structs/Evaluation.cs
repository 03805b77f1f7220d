using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>A request to the scheduler to reconcile one job; JSON names follow /v1/evaluation/:id.</summary>
public sealed record Evaluation
{
    public string ID { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public int Priority { get; init; }
    public string Type { get; init; } = "";
    public string TriggeredBy { get; init; } = "";
    public string JobID { get; init; } = "";
    public ulong JobModifyIndex { get; init; }
    public string NodeID { get; init; } = "";
    public ulong NodeModifyIndex { get; init; }
    public string Status { get; init; } = EvalStatus.Pending;
    public string StatusDescription { get; init; } = "";
    public string PreviousEval { get; init; } = "";
    public string NextEval { get; init; } = "";
    public string BlockedEval { get; init; } = "";
    /// <summary>Unix nanoseconds before which the evaluation must not be processed (0: at once); a time.Time in JSON.</summary>
    [JsonConverter(typeof(GoTimeNanosConverter))]
    public long WaitUntil { get; init; }
    /// <summary>Task group name → allocations that could not be placed yet.</summary>
    public Dictionary<string, int>? QueuedAllocations { get; init; }
    /// <summary>Task group name → why placement failed.</summary>
    public Dictionary<string, AllocMetric>? FailedTGAllocs { get; init; }
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long CreateTime { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long ModifyTime { get; init; }

    /// <summary>A new pending evaluation of <paramref name="job"/>, triggered by <paramref name="trigger"/> at <paramref name="now"/> (Unix nanoseconds).</summary>
    public static Evaluation ForJob(Job job, string trigger, long now) => new()
    {
        ID = Guid.NewGuid().ToString(),
        Namespace = job.Namespace,
        Priority = job.Priority,
        Type = job.Type,
        TriggeredBy = trigger,
        JobID = job.ID,
        JobModifyIndex = job.JobModifyIndex,
        Status = EvalStatus.Pending,
        CreateTime = now,
        ModifyTime = now,
    };
}
