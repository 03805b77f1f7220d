using Nomad.Agent.Structs;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// The rules of the <c>parameterized</c> and <c>dispatch_payload</c> stanzas (Nomad's ParameterizedJobConfig.Validate,
/// DispatchPayloadConfig.Validate and the job type check), worded as Nomad words them after our <c>job "x":</c> context.
/// </summary>
public static class ParameterizedValidation
{
    public static void Job(Job job, string ctx, List<string> errors)
    {
        if (job.ParameterizedJob is not { } p || job.Dispatched) return;
        // sysbatch is Nomad's other scheduler that runs to completion; it is refused as a type until it exists here.
        if (job.Type is not (JobType.Batch or "sysbatch"))
            errors.Add($"{ctx}: Parameterized job can only be used with \"batch\" or \"sysbatch\" scheduler");
        if (!ParameterizedPayload.All.Contains(p.Payload))
            errors.Add($"{ctx}: parameterized: Unknown payload requirement: \"{p.Payload}\"");
        var both = (p.MetaRequired ?? []).Intersect(p.MetaOptional ?? []).ToList();
        if (both.Count > 0)
            errors.Add($"{ctx}: parameterized: Required and optional meta keys should be disjoint. Following keys exist in both: [{string.Join(" ", both)}]");
    }

    public static void Task(JobTask task, string ctx, List<string> errors)
    {
        if (task.DispatchPayload is not { File.Length: > 0 } d) return;
        if (EscapesLocalDir(d.File))
            errors.Add($"{ctx}: Dispatch Payload validation failed: destination escapes allocation directory");
    }

    /// <summary>
    /// Whether <paramref name="file"/>, joined to a task's <c>local/</c> as Go's filepath.Join joins (a leading
    /// <c>/</c> stays inside), names no file below <c>local/</c>: <c>..</c> climbing out, or nothing but the
    /// directory itself. Stricter than Nomad, which allows anywhere in the allocation directory.
    /// </summary>
    public static bool EscapesLocalDir(string file)
    {
        const string local = "/alloc/task/local/";
        var joined = Path.GetFullPath(Path.Join(local, file));
        return !joined.StartsWith(local, StringComparison.Ordinal) || joined.Length == local.Length;
    }
}
