using System.Text.Json.Nodes;
using Nomad.Agent.Hcl;
using Nomad.Agent.Jobspec.Api;

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
        ApiJson.ToJson(Parse(source, fileName, options, canonicalize));

    /// <summary>The decoded and normalised API job, canonicalized if asked.</summary>
    public static Job Parse(string source, string fileName, JobFileOptions options, bool canonicalize)
    {
        HclBody body;
        try
        {
            body = HclParser.Parse(source, fileName);
        }
        catch (HclException e)
        {
            throw new JobspecException(e.Hcl2Message);
        }
        IJobEvaluator evaluator = options.Hcl1 ? LiteralReader.Instance : Hcl2Reader.Instance;
        var block = evaluator.EvaluateJob(body, fileName, options);
        var d = new Diagnostics();
        var decoded = JobDecoder.DecodeJob(block, d);
        d.ThrowIfAny();
        var job = Normalizer.Normalize(decoded, block.Labels[0]);
        return canonicalize ? Canonicalizer.Canonicalize(job) : job;
    }
}
