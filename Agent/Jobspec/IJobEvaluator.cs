using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Turns a parsed job file into its evaluated <c>job</c> block: variables, locals, functions and dynamic blocks
/// for HCL2 (the evaluator in Hcl/Evaluation), or literals only (<see cref="LiteralReader"/>). Problems are
/// thrown as one <see cref="JobspecException"/> listing them all.
/// </summary>
public interface IJobEvaluator
{
    EvaluatedBlock EvaluateJob(HclBody file, string fileName, JobFileOptions options);
}
