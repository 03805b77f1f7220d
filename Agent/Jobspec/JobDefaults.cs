using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Fills what a submitted job left out, as Nomad's Job.Canonicalize does: missing names, namespace, region,
/// type, and the restart and reschedule policies that depend on the job type. JSON may send explicit nulls
/// for collections, so those are replaced with empty ones here.
/// </summary>
public static class JobDefaults
{
    public static Job Canonicalize(Job job)
    {
        string type = string.IsNullOrEmpty(job.Type) ? JobType.Service : job.Type;
        return job with
        {
            Name = string.IsNullOrEmpty(job.Name) ? job.ID : job.Name,
            Namespace = string.IsNullOrEmpty(job.Namespace) ? "default" : job.Namespace,
            Region = string.IsNullOrEmpty(job.Region) ? "global" : job.Region,
            Type = type,
            Status = string.IsNullOrEmpty(job.Status) ? JobStatus.Pending : job.Status,
            StatusDescription = job.StatusDescription ?? "",
            Datacenters = job.Datacenters ?? [],
            TaskGroups = (job.TaskGroups ?? []).Select(g => Group(g, type)).ToList(),
            ParameterizedJob = job.ParameterizedJob is { Payload: null or "" } p ? p with { Payload = ParameterizedPayload.Optional } : job.ParameterizedJob,
        };
    }

    private static TaskGroup Group(TaskGroup g, string jobType) => g with
    {
        Name = g.Name ?? "",
        RestartPolicy = g.RestartPolicy ?? RestartPolicy.ForJobType(jobType),
        ReschedulePolicy = g.ReschedulePolicy ?? ReschedulePolicy.ForJobType(jobType),
        EphemeralDisk = g.EphemeralDisk ?? new EphemeralDisk(),
        Tasks = (g.Tasks ?? []).Select(Task).ToList(),
    };

    private static JobTask Task(JobTask t) => t with
    {
        Name = t.Name ?? "",
        Driver = t.Driver ?? "",
        User = t.User ?? "",
        KillSignal = t.KillSignal ?? "",
        Resources = t.Resources ?? new Resources(),
        LogConfig = t.LogConfig ?? new LogConfig(),
    };
}
