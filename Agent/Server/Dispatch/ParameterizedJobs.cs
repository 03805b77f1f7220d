using Nomad.Agent.Structs;

namespace Nomad.Agent.Server.Dispatch;

/// <summary>
/// What registration must know about parameterized jobs: a parameterized job (not one of its dispatched children) is
/// a template, never scheduled itself; a job cannot become or stop being one, and only a dispatch makes a dispatched job
/// (Nomad's validateJobUpdate).
/// </summary>
public static class ParameterizedJobs
{
    /// <summary>Nomad's Job.IsParameterized: has a parameterized block and was not dispatched from one.</summary>
    public static bool IsParameterized(Job job) => job.ParameterizedJob is not null && !job.Dispatched;

    /// <returns>why <paramref name="submitted"/> may not replace <paramref name="existing"/>, or null.</returns>
    public static string? UpdateProblem(Job? existing, Job submitted)
    {
        if (existing is null) return submitted.Dispatched ? "job can't be submitted with 'Dispatched' set" : null;
        if (IsParameterized(existing) && !IsParameterized(submitted)) return "cannot update parameterized job to being non-parameterized";
        if (IsParameterized(submitted) && !IsParameterized(existing)) return "cannot update non-parameterized job to being parameterized";
        if (existing.Dispatched != submitted.Dispatched) return "field 'Dispatched' is read-only";
        return null;
    }
}
