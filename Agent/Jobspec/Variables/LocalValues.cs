using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Jobspec.Variables;

/// <summary>
/// The <c>locals { }</c> blocks of a job file, evaluated as jobspec2 does: in any order of writing, each local
/// once the locals it uses have values (passes over the locals in order, each seeing the values found so far; a
/// local that fails is retried in the next pass), with <c>var</c>, the locals known so far, the functions, and
/// runtime references kept for the client. A local that can never be evaluated is reported with its error, and
/// locals that refer to each other are named as a cycle.
/// </summary>
/// <remarks>
/// A local that certainly uses one still waiting is passed over without being evaluated: it would only fail, and
/// an exception is costly at the CLI's cold start. Only references evaluated whatever the values are count
/// (not those in a conditional's branches, a <c>for</c>'s body or <c>try</c>/<c>can</c>), so results are jobspec2's.
/// </remarks>
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
        for (var progress = true; progress && pending.Count > 0;)
        {
            progress = false;
            for (var i = 0; i < pending.Count;)
            {
                var (name, expr) = pending[i];
                if (!WaitsForLocal(expr, seen, values))
                {
                    try
                    {
                        values[name] = Evaluator.Evaluate(expr, JobFileEvaluator.Context(inputVariables, values, functions));
                        pending.RemoveAt(i);
                        progress = true;
                        continue;
                    }
                    catch (EvaluationException) { }
                }
                i++;
            }
        }
        if (pending.Count > 0)
        {
            var ctx = JobFileEvaluator.Context(inputVariables, values, functions);
            var failures = new List<(string Name, Expr Expr, EvaluationException Error)>();
            foreach (var (name, expr) in pending)
            {
                try { values[name] = Evaluator.Evaluate(expr, ctx); }
                catch (EvaluationException e) { failures.Add((name, expr, e)); }
            }
            if (failures.Count > 0)
            {
                // No progress: these locals cannot be evaluated. Report the first one's error, as jobspec2 does,
                // and name the cycle if they wait for each other.
                diagnostics.AddRange(failures[0].Error.Diagnostics);
                var names = failures.Select(f => f.Name).ToHashSet();
                var waiting = failures.Where(f => LocalsUsed(f.Expr).Any(names.Contains)).ToList();
                if (waiting.Count > 0 && waiting.All(f => LocalsUsed(f.Expr).Where(names.Contains).All(n => waiting.Any(w => w.Name == n))))
                    diagnostics.Add(new HclDiagnostic(waiting[0].Expr.Position, "Circular reference in locals",
                        $"The locals {string.Join(", ", waiting.Select(w => "local." + w.Name))} refer to each other, so none of them can be evaluated."));
            }
        }
        return values;
    }

    /// <summary>Whether evaluating the expression certainly reads a declared local that has no value yet.</summary>
    private static bool WaitsForLocal(Expr expr, HashSet<string> declared, Dictionary<string, Value> values)
    {
        switch (expr)
        {
            case TraversalExpr { Root: "local", Steps: [var first, ..] }:
                var name = first switch { AttrStep a => a.Name, IndexStep { Key: StringValue s } => s.Value, _ => null };
                return name is not null && declared.Contains(name) && !values.ContainsKey(name);
            case TemplateExpr t:
                foreach (var part in t.Parts)
                    if (part is TemplateInterpolation p && WaitsForLocal(p.Expr, declared, values)) return true;
                return false;
            case GetAttrExpr g: return WaitsForLocal(g.Source, declared, values);
            case IndexExpr i: return WaitsForLocal(i.Collection, declared, values) || WaitsForLocal(i.Key, declared, values);
            case SplatExpr s: return WaitsForLocal(s.Source, declared, values);
            case FunctionCallExpr { Name: not ("try" or "can") } f:
                foreach (var a in f.Args)
                    if (WaitsForLocal(a, declared, values)) return true;
                return false;
            case ConditionalExpr c: return WaitsForLocal(c.Condition, declared, values);
            case BinaryExpr b: return WaitsForLocal(b.Left, declared, values) || WaitsForLocal(b.Right, declared, values);
            case UnaryExpr u: return WaitsForLocal(u.Operand, declared, values);
            case TupleExpr t:
                foreach (var item in t.Items)
                    if (WaitsForLocal(item, declared, values)) return true;
                return false;
            case ObjectExpr o:
                foreach (var item in o.Items)
                    if (WaitsForLocal(item.Key, declared, values) || WaitsForLocal(item.Value, declared, values)) return true;
                return false;
            case ForExpr f: return WaitsForLocal(f.Collection, declared, values);
            case ParenthesesExpr p: return WaitsForLocal(p.Inner, declared, values);
            default: return false;
        }
    }

    private static IEnumerable<string> LocalsUsed(Expr expr) =>
        ExpressionReferences.Of(expr).Where(r => r.Root == "local").Select(r => r.Steps.FirstOrDefault() switch
        {
            AttrStep a => a.Name,
            IndexStep { Key: StringValue s } => s.Value,
            _ => "",
        });
}
