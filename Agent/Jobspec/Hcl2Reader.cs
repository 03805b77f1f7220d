using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Jobspec.Variables;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// The job block of an HCL2 job file, evaluated as jobspec2 does (<see cref="JobFileEvaluator"/>: variables,
/// locals, functions, dynamic blocks). Filesystem functions read relative to the job file's directory (as Nomad's
/// BaseDir, <see cref="JobFileEvaluator.BaseDirectory"/>), and only where <see cref="JobFileOptions.AllowFileSystem"/> allows them.
/// </summary>
public sealed class Hcl2Reader : IJobEvaluator
{
    public static readonly Hcl2Reader Instance = new();

    public EvaluatedBlock EvaluateJob(HclBody file, string fileName, JobFileOptions options)
    {
        try
        {
            return JobFileEvaluator.EvaluateJob(file, fileName, options);
        }
        catch (EvaluationException e)
        {
            throw new JobspecException(e.Diagnostics.Select(d => d.ToString()).ToList());
        }
    }
}
