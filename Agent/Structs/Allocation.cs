using System.Text.Json.Serialization;

namespace Nomad.Agent.Structs;

/// <summary>One placed instance of a task group; JSON names follow /v1/allocation/:id.</summary>
public sealed record Allocation
{
    public string ID { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public string EvalID { get; init; } = "";
    /// <summary><c>job.group[index]</c>.</summary>
    public string Name { get; init; } = "";
    public string NodeID { get; init; } = "";
    public string NodeName { get; init; } = "";
    public string JobID { get; init; } = "";
    public Job? Job { get; init; }
    public string TaskGroup { get; init; } = "";
    /// <summary>The legacy total of <see cref="AllocatedResources"/> that Nomad 1.x still sends (derived, never read back).</summary>
    public LegacyResources Resources => LegacyResources.OfAllocation(AllocatedResources);
    /// <summary>The legacy form of the group's shared disk and networks (derived).</summary>
    public LegacyResources SharedResources => LegacyResources.OfShared(AllocatedResources.Shared);
    /// <summary>The legacy form of each task's resources (derived).</summary>
    public Dictionary<string, LegacyResources> TaskResources =>
        AllocatedResources.Tasks.ToDictionary(t => t.Key, t => LegacyResources.OfTask(t.Value));
    public AllocatedResources AllocatedResources { get; init; } = new();
    public AllocMetric? Metrics { get; init; }
    public string DesiredStatus { get; init; } = AllocDesiredStatus.Run;
    public string DesiredDescription { get; init; } = "";
    public string ClientStatus { get; init; } = AllocClientStatus.Pending;
    public string ClientDescription { get; init; } = "";
    public Dictionary<string, TaskState>? TaskStates { get; init; }
    /// <summary>The allocation this one replaces (rescheduled, migrated or updated).</summary>
    public string PreviousAllocation { get; init; } = "";
    /// <summary>The allocation that replaced this one.</summary>
    public string NextAllocation { get; init; } = "";
    /// <summary>Earlier reschedules of this allocation's line, for the reschedule policy's attempts/interval.</summary>
    public RescheduleTracker? RescheduleTracker { get; init; }
    /// <summary>Set by the scheduler when the allocation must move off its node (drain).</summary>
    public DesiredTransition DesiredTransition { get; init; } = new();
    /// <summary>The deployment that placed this allocation (empty outside deployments).</summary>
    public string DeploymentID { get; init; } = "";
    /// <summary>The health the client reported (null until it did).</summary>
    public AllocDeploymentStatus? DeploymentStatus { get; init; }
    /// <summary>The allocations this one evicted to fit on its node.</summary>
    public List<string>? PreemptedAllocations { get; init; }
    /// <summary>The allocation that evicted this one.</summary>
    public string PreemptedByAllocation { get; init; } = "";
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }
    public ulong AllocModifyIndex { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long CreateTime { get; init; }
    /// <summary>Unix nanoseconds.</summary>
    public long ModifyTime { get; init; }

    public static string MakeName(string job, string group, int index) => $"{job}.{group}[{index}]";

    /// <summary>True once the servers want it stopped or the client reports it finished (Nomad's TerminalStatus).</summary>
    [JsonIgnore]
    public bool IsTerminal =>
        DesiredStatus is AllocDesiredStatus.Stop or AllocDesiredStatus.Evict || ClientTerminal;

    /// <summary>True once the client reports it finished, failed or lost.</summary>
    [JsonIgnore]
    public bool ClientTerminal => ClientStatus is AllocClientStatus.Complete or AllocClientStatus.Failed or AllocClientStatus.Lost;

    /// <summary>The index in the name (<c>job.group[3]</c> → 3).</summary>
    [JsonIgnore]
    public int Index
    {
        get
        {
            var open = Name.LastIndexOf('[');
            return open >= 0 && int.TryParse(Name.AsSpan(open + 1, Name.Length - open - 2), out var i) ? i : 0;
        }
    }
}
