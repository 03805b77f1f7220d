using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Jobspec.Variables;

/// <summary>
/// The <c>locals { }</c> blocks of a job file, evaluated as jobspec2 does: in any order of writing, each local
/// once the locals it uses have values (a local that fails is retried after the others), with <c>var</c>, the
/// locals known so far, the functions, and runtime references kept for the client. A local that can never be
/// evaluated is reported with its error, and locals that refer to each other are named as a cycle.
/// </summary>
public static class LocalValues
{
    public static Dictionary<string, Value> Evaluate(HclBody file, Value inputVariables, Hcl.Functions.FunctionTable functions,
        List<HclDiagnostic> diagnostics)
    {
        var pending = new List<(string Name, Expr Expr)>();
        var seen = new HashSet<string>();
        foreach (var block in file.BlocksOfType("locals"))
        {
            foreach (var attr in InputVariableDeclarations.JustAttributes(block.Body, diagnostics))
            {
                if (!seen.Add(attr.Name))
                {
                    diagnostics.Add(new HclDiagnostic(attr.Position, "Duplicate value in locals", $"Duplicate {attr.Name} definition found."));
                    return [];
                }
                try { pending.Add((attr.Name, BodyEvaluator.ExpressionOf(attr))); }
                catch (EvaluationException e) { diagnostics.AddRange(e.Diagnostics); }
            }
        }

        var values = new Dictionary<string, Value>();
        while (pending.Count > 0)
        {
            var ctx = JobFileEvaluator.Context(inputVariables, values, functions);
            var failures = new List<(string Name, Expr Expr, EvaluationException Error)>();
            foreach (var (name, expr) in pending)
            {
                try { values[name] = Evaluator.Evaluate(expr, ctx); }
                catch (EvaluationException e) { failures.Add((name, expr, e)); }
            }
            if (failures.Count == pending.Count)
            {
                // No progress: these locals cannot be evaluated. Report the first one's error, as jobspec2 does,
                // and name the cycle if they wait for each other.
                diagnostics.AddRange(failures[0].Error.Diagnostics);
                var names = failures.Select(f => f.Name).ToHashSet();
                var waiting = failures.Where(f => LocalsUsed(f.Expr).Any(names.Contains)).ToList();
                if (waiting.Count > 0 && waiting.All(f => LocalsUsed(f.Expr).Where(names.Contains).All(n => waiting.Any(w => w.Name == n))))
                    diagnostics.Add(new HclDiagnostic(waiting[0].Expr.Position, "Circular reference in locals",
                        $"The locals {string.Join(", ", waiting.Select(w => "local." + w.Name))} refer to each other, so none of them can be evaluated."));
                return values;
            }
            pending = failures.Select(f => (f.Name, f.Expr)).ToList();
        }
        return values;
    }

    private static IEnumerable<string> LocalsUsed(Expr expr) =>
        ExpressionReferences.Of(expr).Where(r => r.Root == "local").Select(r => r.Steps.FirstOrDefault() switch
        {
            AttrStep a => a.Name,
            IndexStep { Key: StringValue s } => s.Value,
            _ => "",
        });
}
