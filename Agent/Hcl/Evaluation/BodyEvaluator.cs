using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// Evaluates a block body into an <see cref="EvaluatedBody"/>: every attribute's expression, every nested block,
/// and every <c>dynamic "type" { for_each, iterator, labels, content { } }</c> block expanded in place into the
/// blocks it generates, as HCL's dynblock extension does (nested <c>dynamic</c> blocks too, each iteration's
/// <c>iterator.key</c>/<c>iterator.value</c> in scope of its content). Problems are collected over the whole body
/// and thrown together.
/// </summary>
public static class BodyEvaluator
{
    public static EvaluatedBody Evaluate(HclBody body, EvalContext ctx)
    {
        var diagnostics = new List<HclDiagnostic>();
        var result = Body(body, ctx, diagnostics);
        if (diagnostics.Count > 0) throw new EvaluationException(diagnostics);
        return result;
    }

    public static EvaluatedBlock EvaluateBlock(HclBlock block, EvalContext ctx) =>
        new(block.Type, block.Labels, Evaluate(block.Body, ctx), block.Position);

    private static EvaluatedBody Body(HclBody body, EvalContext ctx, List<HclDiagnostic> diagnostics)
    {
        var attributes = new List<EvaluatedAttribute>();
        var blocks = new List<EvaluatedBlock>();
        foreach (var item in body.Items)
        {
            switch (item)
            {
                case HclAttribute a:
                    if (Attribute(a, ctx, diagnostics) is { } value) attributes.Add(value);
                    break;
                case HclBlock { Type: "dynamic" } d:
                    blocks.AddRange(Dynamic(d, ctx, diagnostics));
                    break;
                case HclBlock b:
                    blocks.Add(new EvaluatedBlock(b.Type, b.Labels, Body(b.Body, ctx, diagnostics), b.Position));
                    break;
            }
        }
        return new EvaluatedBody(attributes, blocks, body.Position);
    }

    private static EvaluatedAttribute? Attribute(HclAttribute a, EvalContext ctx, List<HclDiagnostic> diagnostics)
    {
        try
        {
            var expr = ExpressionOf(a);
            return new EvaluatedAttribute(a.Name, Evaluator.Evaluate(expr, ctx), a.Position, expr.Position)
            {
                IsObjectConstructor = expr is ObjectExpr,
                AsBlocks = a.Json is null ? null : labels => JsonBlocks(a, labels, ctx),
            };
        }
        catch (EvaluationException e)
        {
            diagnostics.AddRange(e.Diagnostics);
            return null;
        }
    }

    private static JsonBlocks JsonBlocks(HclAttribute a, int labels, EvalContext ctx)
    {
        var (blocks, found) = HclJsonSyntax.AsBlocks(a, labels);
        var problems = new List<HclDiagnostic>(found);
        var evaluated = blocks.Select(b => new EvaluatedBlock(b.Type, b.Labels, Body(b.Body, ctx, problems), b.Position)).ToList();
        return new JsonBlocks(evaluated, problems);
    }

    /// <summary>
    /// The attribute's parsed expression, or (from a parser that gives only the literal view) its literal. A
    /// template that is not valid HCL2 (accepted by HCL1) is reported here, as an <see cref="EvaluationException"/>.
    /// </summary>
    public static Expr ExpressionOf(HclAttribute a)
    {
        try { return a.Expression ?? LiteralExpressions.FromLiteral(a.Value); }
        catch (HclException e) { throw new EvaluationException(e.Syntax?.At ?? e.Position, e.Syntax?.Summary ?? e.Problem, e.Syntax?.Detail ?? ""); }
    }

    private static IEnumerable<EvaluatedBlock> Dynamic(HclBlock d, EvalContext ctx, List<HclDiagnostic> diagnostics)
    {
        DynamicSpec? spec;
        try { spec = DynamicSpec.Read(d, ctx, diagnostics); }
        catch (EvaluationException e)
        {
            diagnostics.AddRange(e.Diagnostics);
            return [];
        }
        if (spec is null) return [];

        var generated = new List<EvaluatedBlock>();
        foreach (var (key, value) in Evaluator.Iterate(spec.ForEach))
        {
            var iteration = new ObjectValue([KeyValuePair.Create("key", key), KeyValuePair.Create("value", value)]);
            var scope = ctx.Child(new Dictionary<string, Value> { [spec.Iterator] = iteration });
            var labels = Labels(spec, scope, diagnostics);
            if (labels is null) continue;
            generated.Add(new EvaluatedBlock(spec.Type, labels, Body(spec.Content.Body, scope, diagnostics), d.Position));
        }
        return generated;
    }

    private static List<string>? Labels(DynamicSpec spec, EvalContext scope, List<HclDiagnostic> diagnostics)
    {
        var labels = new List<string>();
        foreach (var expr in spec.LabelExprs)
        {
            try
            {
                var label = Evaluator.Evaluate(expr, scope);
                if (label.IsNull)
                    throw new EvaluationException(expr.Position, "Invalid dynamic block label", "Cannot use a null value as a dynamic block label.");
                try { labels.Add(((StringValue)ValueConversion.Convert(label, HclType.String)).Value); }
                catch (ConversionException e)
                {
                    throw new EvaluationException(expr.Position, "Invalid dynamic block label",
                        $"Cannot use this value as a dynamic block label: {e.Message}.");
                }
            }
            catch (EvaluationException e)
            {
                diagnostics.AddRange(e.Diagnostics);
                return null;
            }
        }
        return labels;
    }

    /// <summary>What a <c>dynamic</c> block says, checked as dynblock checks it.</summary>
    private sealed record DynamicSpec(string Type, Value ForEach, string Iterator, IReadOnlyList<Expr> LabelExprs, HclBlock Content)
    {
        public static DynamicSpec? Read(HclBlock d, EvalContext ctx, List<HclDiagnostic> diagnostics)
        {
            var before = diagnostics.Count;
            if (d.Labels.Count == 0)
            {
                diagnostics.Add(new HclDiagnostic(d.Position, "Missing type for dynamic", "All dynamic blocks must have 1 labels (type)."));
                return null;
            }
            if (d.Labels.Count > 1)
            {
                diagnostics.Add(new HclDiagnostic(d.Position, "Extraneous label for dynamic", "Only 1 labels (type) are expected for dynamic blocks."));
                return null;
            }

            foreach (var a in d.Body.Attributes.Where(a => a.Name is not ("for_each" or "iterator" or "labels")))
                diagnostics.Add(new HclDiagnostic(a.Position, "Unsupported argument",
                    $"An argument named \"{a.Name}\" is not expected here.{NameSuggestion.Sentence(a.Name, ["for_each", "iterator", "labels"])}"));
            foreach (var b in d.Body.Blocks.Where(b => b.Type != "content"))
                diagnostics.Add(new HclDiagnostic(b.Position, "Unsupported block type",
                    $"Blocks of type \"{b.Type}\" are not expected here.{NameSuggestion.Sentence(b.Type, ["content"])}"));

            var contents = d.Body.BlocksOfType("content").ToList();
            if (contents.Count == 0)
                diagnostics.Add(new HclDiagnostic(d.Body.Position, "Missing content block",
                    "A dynamic block must have a nested block of type \"content\" to describe the body of each generated block."));
            foreach (var extra in contents.Skip(1))
                diagnostics.Add(new HclDiagnostic(extra.Position, "Extraneous content block",
                    "Only one nested content block is allowed for each dynamic block."));
            foreach (var c in contents.Where(c => c.Labels.Count > 0))
                diagnostics.Add(new HclDiagnostic(c.Position, "Extraneous label for content", "No labels are expected for content blocks."));

            var iterator = d.Labels[0];
            if (d.Body.Attribute("iterator") is { } iteratorAttr)
            {
                if (ExpressionOf(iteratorAttr) is TraversalExpr { Steps.Count: 0 } name) iterator = name.Root;
                else diagnostics.Add(new HclDiagnostic(ExpressionOf(iteratorAttr).Position, "Invalid dynamic iterator name",
                    "Dynamic iterator must be a single variable name."));
            }

            var labelExprs = new List<Expr>();
            if (d.Body.Attribute("labels") is { } labelsAttr)
            {
                if (ExpressionOf(labelsAttr) is TupleExpr tuple) labelExprs.AddRange(tuple.Items);
                else diagnostics.Add(new HclDiagnostic(ExpressionOf(labelsAttr).Position, "Invalid expression", "A static list expression is required."));
            }

            Value? forEach = null;
            if (d.Body.Attribute("for_each") is not { } forEachAttr)
            {
                diagnostics.Add(new HclDiagnostic(d.Body.Position, "Missing required argument",
                    "The argument \"for_each\" is required, but no definition was found."));
            }
            else
            {
                var expr = ExpressionOf(forEachAttr);
                try
                {
                    forEach = Evaluator.Evaluate(expr, ctx);
                    if (forEach.IsNull)
                        throw new EvaluationException(expr.Position, "Invalid dynamic for_each value", "Cannot use a null value in for_each.");
                    if (forEach is not (SequenceValue or KeyedValue))
                        throw new EvaluationException(expr.Position, "Invalid dynamic for_each value",
                            $"Cannot use a {forEach.Type.FriendlyName} value in for_each. An iterable collection is required.");
                }
                catch (EvaluationException e)
                {
                    diagnostics.AddRange(e.Diagnostics);
                }
            }

            if (diagnostics.Count > before) return null;
            return new DynamicSpec(d.Labels[0], forEach!, iterator, labelExprs, contents[0]);
        }
    }
}
