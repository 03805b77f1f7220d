using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Jobspec.Variables;

/// <summary>
/// jobspec2's front end: from a parsed HCL2 job file to its <c>job</c> block with everything evaluated. The top
/// level may hold only <c>variable "name"</c>, <c>variables</c>, <c>locals</c> and one <c>job "name"</c> block.
/// Variables get their values (defaults, <c>NOMAD_VAR_</c>, variable files, <c>-var</c>) and are validated, locals
/// are evaluated in dependency order, then the job block is evaluated with <c>var</c>, <c>local</c>, the functions
/// and dynamic blocks; references to anything else (<c>${NOMAD_ALLOC_INDEX}</c>, <c>${attr.kernel.name}</c>) stay
/// as text for the client. Problems are thrown together as an <see cref="EvaluationException"/>, one line each.
/// </summary>
public static class JobFileEvaluator
{
    private static readonly string[] TopLevelBlocks = ["variables", "variable", "locals", "job"];

    /// <summary>
    /// With jobspec2's functions: filesystem functions read relative to the job file's directory, and only when
    /// <see cref="JobFileOptions.AllowFileSystem"/>.
    /// </summary>
    public static EvaluatedBlock EvaluateJob(HclBody file, string fileName, JobFileOptions options) =>
        EvaluateJob(file, fileName, options, FunctionTable.ForJobFile(BaseDirectory(fileName), options.AllowFileSystem));

    /// <summary>The directory of the job file, as Go's filepath.Dir: "." for a bare name.</summary>
    public static string BaseDirectory(string fileName) =>
        Path.GetDirectoryName(fileName) is { Length: > 0 } dir ? dir : ".";

    public static EvaluatedBlock EvaluateJob(HclBody file, string fileName, JobFileOptions options, FunctionTable functions)
    {
        var diagnostics = new List<HclDiagnostic>();
        CheckTopLevel(file, diagnostics);
        ThrowIfAny(diagnostics);

        var variables = InputVariableDeclarations.Decode(file, diagnostics);
        VariableValueSources.Collect(variables, options, diagnostics);
        var values = new Dictionary<string, Value>();
        foreach (var variable in variables.Values)
            if (variable.Resolve(functions, diagnostics) is { } value) values[variable.Name] = value;
        ThrowIfAny(diagnostics);
        var inputVariables = new ObjectValue(values);

        var locals = LocalValues.Evaluate(file, inputVariables, functions, diagnostics);
        ThrowIfAny(diagnostics);

        var jobs = file.BlocksOfType("job").ToList();
        if (jobs.Count == 0)
            throw new EvaluationException(new HclPosition(fileName, 0, 0), "Missing job block", "A job block is required");
        foreach (var duplicate in jobs.Skip(1))
            diagnostics.Add(new HclDiagnostic(duplicate.Position, "Duplicate job block",
                $"Only one block of type \"job\" is allowed. Previous definition was at {jobs[0].Position.File}:{jobs[0].Position.Line},{jobs[0].Position.Column}."));
        ThrowIfAny(diagnostics);

        return BodyEvaluator.EvaluateBlock(jobs[0], Context(inputVariables, locals, functions));
    }

    /// <summary>The scope job file expressions evaluate in: <c>var</c>, <c>local</c>, the functions, runtime references kept.</summary>
    public static EvalContext Context(Value inputVariables, IReadOnlyDictionary<string, Value> locals, FunctionTable functions) =>
        EvalContext.Create(new Dictionary<string, Value>
        {
            ["var"] = inputVariables,
            ["local"] = new ObjectValue(locals),
        }, functions, keepUnknownReferences: true);

    /// <summary>What HCL's body Content reports against jobspec2's top-level schema.</summary>
    private static void CheckTopLevel(HclBody file, List<HclDiagnostic> diagnostics)
    {
        foreach (var a in file.Attributes)
            diagnostics.Add(new HclDiagnostic(a.Position, "Unsupported argument", $"An argument named \"{a.Name}\" is not expected here."));
        foreach (var b in file.Blocks)
        {
            if (!TopLevelBlocks.Contains(b.Type))
            {
                diagnostics.Add(new HclDiagnostic(b.Position, "Unsupported block type",
                    $"Blocks of type \"{b.Type}\" are not expected here.{NameSuggestion.Sentence(b.Type, TopLevelBlocks)}"));
                continue;
            }
            var labelled = b.Type is "variable" or "job";
            if (!labelled && b.Labels.Count > 0)
                diagnostics.Add(new HclDiagnostic(b.Position, $"Extraneous label for {b.Type}", $"No labels are expected for {b.Type} blocks."));
            else if (labelled && b.Labels.Count > 1)
                diagnostics.Add(new HclDiagnostic(b.Position, $"Extraneous label for {b.Type}", $"Only 1 labels (name) are expected for {b.Type} blocks."));
            else if (labelled && b.Labels.Count == 0)
                diagnostics.Add(new HclDiagnostic(b.Body.Position, $"Missing name for {b.Type}", $"All {b.Type} blocks must have 1 labels (name)."));
        }
    }

    private static void ThrowIfAny(List<HclDiagnostic> diagnostics)
    {
        if (diagnostics.Count > 0) throw new EvaluationException(diagnostics);
    }
}
