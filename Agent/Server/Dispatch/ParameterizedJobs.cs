using Nomad.Agent.Structs;

namespace Nomad.Agent.Server.Dispatch;

/// <summary>
/// What registration must know about parameterized jobs: a parameterized job (not one of its dispatched children) is
/// a template, never scheduled itself; a job cannot become or stop being one, and only a dispatch makes a dispatched job
/// (Nomad's validateJobUpdate).
/// </summary>
public static class ParameterizedJobs
{

    /// <returns>why <paramref name="submitted"/> may not replace <paramref name="existing"/>, or null.</returns>
    public static string? UpdateProblem(Job? existing, Job submitted)
    {
        if (existing is null) return submitted.Dispatched ? "job can't be submitted with 'Dispatched' set" : null;
        if (existing.IsParameterized && !submitted.IsParameterized) return "cannot update parameterized job to being non-parameterized";
        if (submitted.IsParameterized && !existing.IsParameterized) return "cannot update non-parameterized job to being parameterized";
        if (existing.Dispatched != submitted.Dispatched) return "field 'Dispatched' is read-only";
        return null;
    }
}
