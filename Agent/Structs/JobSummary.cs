namespace Nomad.Agent.Structs;

/// <summary>Counts of a job's allocations by client status, per task group (/v1/job/:id/summary).</summary>
public sealed record JobSummary
{
    public string JobID { get; init; } = "";
    public string Namespace { get; init; } = "default";
    public Dictionary<string, TaskGroupSummary> Summary { get; init; } = new();
    public JobChildrenSummary Children { get; init; } = new();
    public ulong CreateIndex { get; init; }
    public ulong ModifyIndex { get; init; }

    /// <summary>
    /// Counts the job's allocations; Queued comes from the job's latest evaluation (what it could not place).
    /// <paramref name="children"/> (dispatched jobs, periodic launches) are counted by their status in Children.
    /// </summary>
    public static JobSummary From(Job job, IEnumerable<Allocation> allocs, IEnumerable<Evaluation> evals, IEnumerable<Job>? children = null)
    {
        var groups = job.TaskGroups.ToDictionary(g => g.Name, _ => new TaskGroupSummary());
        ulong modify = job.CreateIndex;
        foreach (var a in allocs)
        {
            modify = Math.Max(modify, a.ModifyIndex);
            if (!groups.TryGetValue(a.TaskGroup, out var g)) continue;
            groups[a.TaskGroup] = a.ClientStatus switch
            {
                AllocClientStatus.Pending when a.DesiredStatus == AllocDesiredStatus.Run => g with { Starting = g.Starting + 1 },
                AllocClientStatus.Running when a.DesiredStatus == AllocDesiredStatus.Run => g with { Running = g.Running + 1 },
                AllocClientStatus.Running or AllocClientStatus.Pending => g with { Complete = g.Complete + 1 },
                AllocClientStatus.Complete => g with { Complete = g.Complete + 1 },
                AllocClientStatus.Failed => g with { Failed = g.Failed + 1 },
                AllocClientStatus.Lost => g with { Lost = g.Lost + 1 },
                _ => g,
            };
        }
        var latest = evals.Where(e => e.QueuedAllocations is not null).MaxBy(e => e.ModifyIndex);
        if (latest?.QueuedAllocations is { } queued)
            foreach (var (name, n) in queued)
                if (groups.TryGetValue(name, out var g)) groups[name] = g with { Queued = n };
        var kids = new JobChildrenSummary();
        foreach (var child in children ?? [])
        {
            modify = Math.Max(modify, child.ModifyIndex);
            kids = child.Status switch
            {
                JobStatus.Running => kids with { Running = kids.Running + 1 },
                JobStatus.Dead => kids with { Dead = kids.Dead + 1 },
                _ => kids with { Pending = kids.Pending + 1 },
            };
        }
        return new JobSummary
        {
            JobID = job.ID, Namespace = job.Namespace, Summary = groups, Children = kids, CreateIndex = job.CreateIndex, ModifyIndex = modify,
        };
    }
}

public sealed record TaskGroupSummary
{
    public int Queued { get; init; }
    public int Complete { get; init; }
    public int Failed { get; init; }
    public int Running { get; init; }
    public int Starting { get; init; }
    public int Lost { get; init; }
}

public sealed record JobChildrenSummary
{
    public long Pending { get; init; }
    public long Running { get; init; }
    public long Dead { get; init; }
}
