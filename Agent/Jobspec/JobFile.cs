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
    /// <summary>jobspec2's top level in HCL's JSON syntax; the job block's body is read by the decoder's schema.</summary>
    private static readonly HclJsonSchema JsonTopLevel = new(new Dictionary<string, HclJsonBlockSchema>
    {
        ["job"] = new(1, null),
        ["variable"] = new(1, new HclJsonSchema(
            new Dictionary<string, HclJsonBlockSchema> { ["validation"] = new(0, HclJsonSchema.AttributesOnly) },
            new HashSet<string> { "type" })),
        ["variables"] = new(0, HclJsonSchema.AttributesOnly),
        ["locals"] = new(0, HclJsonSchema.AttributesOnly),
    });

    private static readonly string[] JsonTopLevelNames = ["job", "variable", "variables", "locals"];

    /// <summary>Nomad's isJSON: a job file whose first character after white space is <c>{</c> is JSON.</summary>
    public static bool IsJson(string source) => source.AsSpan().TrimStart().StartsWith("{");

    /// <summary>
    /// A JSON job file in HCL's JSON syntax (<c>{"job": {"name": {...}}}</c>, with variables and locals), rather
    /// than Nomad's API JSON (<c>{"Job": {...}}</c> or the job object itself), which the CLI reads as well.
    /// </summary>
    public static bool IsHclJson(string source)
    {
        if (!IsJson(source)) return false;
        try
        {
            var options = new System.Text.Json.JsonDocumentOptions { AllowTrailingCommas = true, CommentHandling = System.Text.Json.JsonCommentHandling.Skip };
            if (JsonNode.Parse(source, documentOptions: options) is not JsonObject top) return false;
            foreach (var (key, value) in top)
            {
                if (!JsonTopLevelNames.Contains(key)) return false;
                // The job's name is a label: an object of objects (or arrays of them), never of plain values.
                if (key == "job" && !(value is JsonObject named && named.All(n => n.Value is JsonObject or JsonArray) || value is JsonArray))
                    return false;
            }
            return top.ContainsKey("job");
        }
        catch (System.Text.Json.JsonException)
        {
            return false; // not JSON at all: the API JSON reader names the place
        }
    }

    /// <summary>The job as Nomad's API JSON (<c>nomad job run -output</c> without canonicalize; /v1/jobs/parse with it).</summary>
    public static JsonObject ParseToApiJson(string source, string fileName, JobFileOptions options, bool canonicalize) =>
        ApiJson.ToJson(Parse(source, fileName, options, canonicalize));

    /// <summary>The decoded and normalised API job, canonicalized if asked.</summary>
    public static Job Parse(string source, string fileName, JobFileOptions options, bool canonicalize)
    {
        HclBody body;
        try
        {
            body = IsJson(source) ? HclJsonSyntax.Parse(source, fileName, JsonTopLevel) : HclParser.Parse(source, fileName);
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
