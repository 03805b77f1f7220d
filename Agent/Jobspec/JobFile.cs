using System.Text.Json.Nodes;

namespace Nomad.Agent.Jobspec;

/// <summary>
/// Reads a job file as Nomad 1.x does: parse (HCL2, or HCL1 with <see cref="JobFileOptions.Hcl1"/>), evaluate
/// variables, locals, functions and dynamic blocks, decode every stanza into Nomad's API job, normalise as
/// jobspec2 does, and optionally canonicalize (fill Nomad's API defaults). Errors are <see cref="JobspecException"/>s
/// whose message is one line per problem, <c>file:line,col: problem</c>.
/// </summary>
public static class JobFile
{
    /// <summary>The job as Nomad's API JSON (<c>nomad job run -output</c> without canonicalize; /v1/jobs/parse with it).</summary>
    public static JsonObject ParseToApiJson(string source, string fileName, JobFileOptions options, bool canonicalize) =>
        throw new NotImplementedException("JobFile.ParseToApiJson is being built (issue #14)");
}
