using System.Text;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// Evaluates an HCL2 expression tree to a <see cref="Value"/> with hclsyntax's semantics and error texts. Errors
/// are <see cref="EvaluationException"/>s; where HCL reports several problems of one expression at once (the parts
/// of a template, the items of a constructor, the arguments of a call) they are collected into one exception.
/// </summary>
public static class Evaluator
{
    public static Value Evaluate(Expr expr, EvalContext ctx) => expr switch
    {
        LiteralExpr l => l.Value,
        ParenthesesExpr p => Evaluate(p.Inner, ctx),
        TemplateExpr t => Template(t, ctx),
        TraversalExpr t => Traversal(t, ctx),
        GetAttrExpr g => ValueAccess.GetAttr(Evaluate(g.Source, ctx), g.Name, g.Position),
        IndexExpr i => Index(i, ctx),
        SplatExpr s => Splat(s, ctx),
        SplatItemExpr s => ctx.SplatItem ?? throw new EvaluationException(s.Position, "Invalid splat", "A splat item is only valid inside a splat expression."),
        FunctionCallExpr f => FunctionCall(f, ctx),
        ConditionalExpr c => Conditional(c, ctx),
        BinaryExpr b => Binary(b, ctx),
        UnaryExpr u => Operators.Unary(u, Evaluate(u.Operand, ctx)),
        TupleExpr t => new TupleValue(EvaluateAll(t.Items, ctx)),
        ObjectExpr o => Object(o, ctx),
        ForExpr f => For(f, ctx),
        _ => throw new EvaluationException(expr.Position, "Unsupported expression", $"{expr.GetType().Name} cannot be evaluated."),
    };

    // ---- references ----

    private static Value Traversal(TraversalExpr t, EvalContext ctx)
    {
        if (!ctx.TryGetVariable(t.Root, out var value))
        {
            if (ctx.KeepUnknownReferences) return Value.Of("${" + t.Source + "}");
            if (!ctx.HasVariables)
                throw new EvaluationException(t.Position, "Variables not allowed", "Variables may not be used here.");
            throw new EvaluationException(t.Position, "Unknown variable",
                $"There is no variable named \"{t.Root}\".{NameSuggestion.Sentence(t.Root, ctx.VariableNames)}");
        }
        foreach (var step in t.Steps)
        {
            value = step switch
            {
                AttrStep a => ValueAccess.GetAttr(value, a.Name, a.Position),
                IndexStep i => ValueAccess.Index(value, i.Key, i.Position),
                _ => throw new InvalidOperationException(step.GetType().Name),
            };
        }
        return value;
    }

    private static Value Index(IndexExpr e, EvalContext ctx)
    {
        var (collection, key) = EvaluatePair(e.Collection, e.Key, ctx);
        return ValueAccess.Index(collection, key, e.Key.Position);
    }

    private static Value Splat(SplatExpr e, EvalContext ctx)
    {
        var source = Evaluate(e.Source, ctx);
        if (source.IsNull) return new TupleValue([]);
        var items = source is SequenceValue s ? s.Items : [source];
        ctx.Spend(items.Count, e.Position);
        var results = Collect(items, item => Evaluate(e.Each, ctx.WithSplatItem(item)));
        if (source is ListValue or SetValue)
        {
            var type = ValueConversion.Unify(results.Select(r => r.Type).ToList());
            if (type is not null) return new ListValue(type, results.Select(r => ValueConversion.Convert(r, type)).ToList());
        }
        return new TupleValue(results);
    }

    // ---- operators and conditionals ----

    private static Value Binary(BinaryExpr b, EvalContext ctx)
    {
        var (left, right) = EvaluatePair(b.Left, b.Right, ctx);
        return Operators.Binary(b, left, right);
    }

    /// <summary>
    /// Both results are evaluated and unified to one type, but only the chosen one's errors count (so
    /// <c>x == null ? "" : x.name</c> works), as HCL's ConditionalExpr.
    /// </summary>
    private static Value Conditional(ConditionalExpr c, EvalContext ctx)
    {
        var (trueResult, trueError) = TryEvaluate(c.TrueResult, ctx);
        var (falseResult, falseError) = TryEvaluate(c.FalseResult, ctx);

        HclType? resultType = HclType.Dynamic;
        if (trueResult is not null && falseResult is not null)
        {
            resultType = IsUntypedNull(trueResult) ? falseResult.Type
                : IsUntypedNull(falseResult) ? trueResult.Type
                : ValueConversion.Unify([trueResult.Type, falseResult.Type]);
            if (resultType is null)
                throw new EvaluationException(c.TrueResult.Position, "Inconsistent conditional result types",
                    "The true and false result expressions must have consistent types. The given expressions are " +
                    $"{trueResult.Type.FriendlyName} and {falseResult.Type.FriendlyName}, respectively.");
        }

        var condition = Evaluate(c.Condition, ctx);
        if (condition.IsNull)
            throw new EvaluationException(c.Condition.Position, "Null condition",
                "The condition value is null. Conditions must either be true or false.");
        if (!ValueConversion.CanConvert(condition, HclType.Bool))
            throw new EvaluationException(c.Condition.Position, "Incorrect condition type", "The condition expression must be of type bool.");

        var chooseTrue = ((BoolValue)ValueConversion.Convert(condition, HclType.Bool)).Value;
        var (result, error, expr) = chooseTrue ? (trueResult, trueError, c.TrueResult) : (falseResult, falseError, c.FalseResult);
        if (error is not null) throw error;
        try { return ValueConversion.Convert(result!, resultType); }
        catch (ConversionException e)
        {
            throw new EvaluationException(expr.Position, "Inconsistent conditional result types",
                $"The {(chooseTrue ? "true" : "false")} result value has the wrong type: {e.Message}.");
        }
    }

    private static bool IsUntypedNull(Value v) => v.IsNull && v.Type == HclType.Dynamic;

    // ---- templates ----

    private static Value Template(TemplateExpr t, EvalContext ctx)
    {
        // "${x}" alone is x itself, not converted to a string.
        if (t.Parts is [TemplateInterpolation only]) return Evaluate(only.Expr, ctx);
        return Value.Of(TemplateString(t.Parts, ctx));
    }

    private static string TemplateString(IReadOnlyList<TemplatePart> parts, EvalContext ctx)
    {
        var text = new StringBuilder();
        var diagnostics = new List<HclDiagnostic>();
        foreach (var part in parts)
        {
            try
            {
                text.Append(part switch
                {
                    TemplateText literal => literal.Text,
                    TemplateInterpolation i => InterpolatedString(Evaluate(i.Expr, ctx), i.Position,
                        "The expression result is null. Cannot include a null value in a string template.",
                        "Cannot include the given value in a string template"),
                    TemplateIf i => TemplateIf(i, ctx),
                    TemplateFor f => TemplateFor(f, ctx),
                    _ => throw new InvalidOperationException(part.GetType().Name),
                });
            }
            catch (EvaluationException e)
            {
                diagnostics.AddRange(e.Diagnostics);
            }
        }
        if (diagnostics.Count > 0) throw new EvaluationException(diagnostics);
        return text.ToString();
    }

    private static string InterpolatedString(Value value, HclPosition position, string whenNull, string whenNotString)
    {
        if (value.IsNull) throw new EvaluationException(position, "Invalid template interpolation value", whenNull);
        try { return ((StringValue)ValueConversion.Convert(value, HclType.String)).Value; }
        catch (ConversionException e)
        {
            throw new EvaluationException(position, "Invalid template interpolation value", $"{whenNotString}: {e.Message}.");
        }
    }

    private static string TemplateIf(TemplateIf i, EvalContext ctx)
    {
        var condition = Evaluate(i.Condition, ctx);
        if (condition.IsNull)
            throw new EvaluationException(i.Condition.Position, "Null condition",
                "The condition value is null. Conditions must either be true or false.");
        if (!ValueConversion.CanConvert(condition, HclType.Bool))
            throw new EvaluationException(i.Condition.Position, "Incorrect condition type", "The condition expression must be of type bool.");
        return TemplateString(((BoolValue)ValueConversion.Convert(condition, HclType.Bool)).Value ? i.Then : i.Else, ctx);
    }

    private static string TemplateFor(TemplateFor f, EvalContext ctx)
    {
        var collection = IterableCollection(f.Collection, ctx);
        var text = new StringBuilder();
        foreach (var (key, value) in Iterate(collection))
        {
            ctx.Spend(1, f.Position);
            var scope = ctx.Child(IteratorVariables(f.KeyVar, f.ValueVar, key, value));
            text.Append(TemplateString(f.Body, scope));
        }
        return text.ToString();
    }

    // ---- constructors ----

    private static Value Object(ObjectExpr o, EvalContext ctx)
    {
        var items = new Dictionary<string, Value>();
        var diagnostics = new List<HclDiagnostic>();
        foreach (var item in o.Items)
        {
            try
            {
                var (key, value) = EvaluatePair(item.Key, item.Value, ctx);
                if (key.IsNull)
                    throw new EvaluationException(item.Value.Position, "Null value as key", "Can't use a null value as a key.");
                try { key = ValueConversion.Convert(key, HclType.String); }
                catch (ConversionException e)
                {
                    throw new EvaluationException(item.Key.Position, "Incorrect key type", $"Can't use this value as a key: {e.Message}.");
                }
                items[((StringValue)key).Value] = value;
            }
            catch (EvaluationException e)
            {
                diagnostics.AddRange(e.Diagnostics);
            }
        }
        if (diagnostics.Count > 0) throw new EvaluationException(diagnostics);
        return new ObjectValue(items);
    }

    // ---- for expressions ----

    private static Value For(ForExpr f, EvalContext ctx)
    {
        var collection = IterableCollection(f.Collection, ctx);
        var diagnostics = new List<HclDiagnostic>();
        var tuple = new List<Value>();
        var objectItems = new Dictionary<string, Value>();
        var groups = new Dictionary<string, List<Value>>();

        foreach (var (k, v) in Iterate(collection))
        {
            ctx.Spend(1, f.Position);
            var scope = ctx.Child(IteratorVariables(f.KeyVar, f.ValueVar, k, v));
            try
            {
                if (f.Condition is not null && !Include(f.Condition, scope)) continue;
                if (f.KeyExpr is null)
                {
                    tuple.Add(Evaluate(f.ValueExpr, scope));
                    continue;
                }

                var keyValue = Evaluate(f.KeyExpr, scope);
                if (keyValue.IsNull)
                    throw new EvaluationException(f.KeyExpr.Position, "Invalid object key",
                        "Key expression in 'for' expression must not produce a null value.");
                string key;
                try { key = ((StringValue)ValueConversion.Convert(keyValue, HclType.String)).Value; }
                catch (ConversionException e)
                {
                    throw new EvaluationException(f.KeyExpr.Position, "Invalid object key",
                        $"The key expression produced an invalid result: {e.Message}.");
                }

                var value = Evaluate(f.ValueExpr, scope);
                if (f.Group)
                {
                    if (!groups.TryGetValue(key, out var group)) groups[key] = group = [];
                    group.Add(value);
                }
                else if (!objectItems.TryAdd(key, value))
                {
                    throw new EvaluationException(f.KeyExpr.Position, "Duplicate object key",
                        $"Two different items produced the key \"{key}\" in this 'for' expression. If duplicates are expected, " +
                        "use the ellipsis (...) after the value expression to enable grouping by key.");
                }
            }
            catch (EvaluationException e)
            {
                diagnostics.AddRange(e.Diagnostics);
            }
        }
        if (diagnostics.Count > 0) throw new EvaluationException(diagnostics);

        if (f.KeyExpr is null) return new TupleValue(tuple);
        if (f.Group) return new ObjectValue(groups.Select(g => KeyValuePair.Create(g.Key, (Value)new TupleValue(g.Value))));
        return new ObjectValue(objectItems);
    }

    private static bool Include(Expr condition, EvalContext scope)
    {
        var include = Evaluate(condition, scope);
        if (include.IsNull)
            throw new EvaluationException(condition.Position, "Invalid 'for' condition", "The value of the 'if' clause must not be null.");
        try { return ((BoolValue)ValueConversion.Convert(include, HclType.Bool)).Value; }
        catch (ConversionException e)
        {
            throw new EvaluationException(condition.Position, "Invalid 'for' condition", $"The 'if' clause value is invalid: {e.Message}.");
        }
    }

    private static Value IterableCollection(Expr expr, EvalContext ctx)
    {
        var collection = Evaluate(expr, ctx);
        if (collection.IsNull)
            throw new EvaluationException(expr.Position, "Iteration over null value",
                "A null value cannot be used as the collection in a 'for' expression.");
        if (collection is not (SequenceValue or KeyedValue))
            throw new EvaluationException(expr.Position, "Iteration over non-iterable value",
                $"A value of type {collection.Type.FriendlyName} cannot be used as the collection in a 'for' expression.");
        return collection;
    }

    /// <summary>
    /// The (key, value) pairs of a collection as cty iterates it: index and element for lists and tuples, the
    /// element twice for sets, name and value (sorted by name) for maps and objects.
    /// </summary>
    /// <remarks>A list rather than LINQ's Select: LINQ over value tuples is JIT-compiled at every CLI start.</remarks>
    public static List<(Value Key, Value Value)> Iterate(Value collection)
    {
        var pairs = new List<(Value Key, Value Value)>();
        switch (collection)
        {
            case SetValue s:
                foreach (var v in s.Items) pairs.Add((v, v));
                break;
            case SequenceValue s:
                for (var i = 0; i < s.Items.Count; i++) pairs.Add((Value.Of(i), s.Items[i]));
                break;
            case KeyedValue k:
                foreach (var i in k.Items) pairs.Add((Value.Of(i.Key), i.Value));
                break;
            default:
                throw new InvalidOperationException($"{collection.Type.FriendlyName} is not iterable");
        }
        return pairs;
    }

    private static Dictionary<string, Value> IteratorVariables(string? keyVar, string valueVar, Value key, Value value)
    {
        var variables = new Dictionary<string, Value>();
        if (keyVar is not null) variables[keyVar] = key;
        variables[valueVar] = value;
        return variables;
    }

    // ---- function calls ----

    private static Value FunctionCall(FunctionCallExpr call, EvalContext ctx)
    {
        var functions = ctx.Functions
            ?? throw new EvaluationException(call.Position, "Function calls not allowed", "Functions may not be called here.");

        if (call.Name is "try" or "can" && !call.ExpandFinal) return TryOrCan(call, ctx);

        if (!functions.TryGet(call.Name, out var function))
            throw new EvaluationException(call.Position, "Call to unknown function",
                $"There is no function named \"{call.Name}\".{NameSuggestion.Sentence(call.Name, functions.Names.Append("try").Append("can"))}");

        // convert(value, type): the second argument is a type expression, read as one rather than evaluated.
        if (function is ConvertFunction convert && call.Args.Count == 2 && !call.ExpandFinal)
        {
            var type = TypeConstraint.Parse(call.Args[1]);
            try { return convert.Convert(Evaluate(call.Args[0], ctx), type); }
            catch (FunctionException e) { throw new EvaluationException(call.Args[0].Position, "Invalid function argument", e.Message); }
        }

        var (args, argExprs) = Arguments(call, ctx);
        try
        {
            var result = function.Call(args);
            if (result is SequenceValue sequence) ctx.Spend(sequence.Items.Count, call.Position);
            else if (result is KeyedValue keyed) ctx.Spend(keyed.Items.Count, call.Position);
            return result;
        }
        catch (FunctionException e)
        {
            // As HCL: an argument at fault (the first extra one when there are too many) is pointed at; a call
            // missing arguments is pointed at its closing parenthesis.
            var at = e.ArgumentIndex is { } i && i < argExprs.Count ? argExprs[i].Position
                : e.Summary == "Not enough function arguments" ? call.CloseParen ?? call.Position
                : call.Position;
            throw new EvaluationException(at, e.Summary, e.Message);
        }
        catch (Exception e) when (e is not EvaluationException)
        {
            // A function that fails other than by its contract still gets one line, never a stack trace.
            throw new EvaluationException(call.Position, "Error in function call", $"Call to function \"{call.Name}\" failed: {e.Message}.");
        }
    }

    /// <summary>The argument values, the final one spread when followed by <c>...</c>, and the expression each came from.</summary>
    private static (List<Value> Values, List<Expr> Exprs) Arguments(FunctionCallExpr call, EvalContext ctx)
    {
        var values = EvaluateAll(call.Args, ctx);
        var exprs = call.Args.ToList();
        if (!call.ExpandFinal || call.Args.Count == 0) return (values, exprs);

        var last = values[^1];
        var lastExpr = call.Args[^1];
        if (last is not SequenceValue && !(last.IsNull && last.Type is ListType or SetType or TupleType))
            throw new EvaluationException(lastExpr.Position, "Invalid expanding argument value",
                "The expanding argument (indicated by ...) must be of a tuple, list, or set type.");
        if (last.IsNull)
            throw new EvaluationException(lastExpr.Position, "Invalid expanding argument value",
                "The expanding argument (indicated by ...) must not be null.");
        values.RemoveAt(values.Count - 1);
        exprs.RemoveAt(exprs.Count - 1);
        foreach (var item in ((SequenceValue)last).Items)
        {
            values.Add(item);
            exprs.Add(lastExpr);
        }
        return (values, exprs);
    }

    /// <summary>
    /// <c>try(a, b, ...)</c>: the first argument that evaluates without error; <c>can(x)</c>: whether x does. Their
    /// arguments are evaluated here, lazily, as HCL's tryfunc does with expression closures.
    /// </summary>
    private static Value TryOrCan(FunctionCallExpr call, EvalContext ctx)
    {
        if (call.Name == "can")
        {
            if (call.Args.Count == 0)
                throw new EvaluationException(call.CloseParen ?? call.Position, "Not enough function arguments",
                    "Function \"can\" expects 1 argument(s). Missing value for \"expression\".");
            if (call.Args.Count > 1)
                throw new EvaluationException(call.Args[1].Position, "Too many function arguments",
                    "Function \"can\" expects only 1 argument(s).");
            return Value.Of(TryEvaluate(call.Args[0], ctx).Error is null);
        }

        if (call.Args.Count == 0)
            throw new EvaluationException(call.Position, "Error in function call",
                "Call to function \"try\" failed: at least one argument is required.");
        var failures = new List<HclDiagnostic>();
        foreach (var arg in call.Args)
        {
            var (value, error) = TryEvaluate(arg, ctx);
            if (error is null) return value!;
            failures.AddRange(error.Diagnostics);
        }
        var reasons = string.Join(" ", failures.Select(d =>
            d.Position is { } p ? $"- {d.Summary} (at {p.File}:{p.Line},{p.Column}) {d.Detail}" : $"- {d.Summary} {d.Detail}"));
        throw new EvaluationException(call.Position, "Error in function call",
            $"Call to function \"try\" failed: no expression succeeded: {reasons} At least one expression must produce a successful result.");
    }

    // ---- helpers ----

    private static (Value? Value, EvaluationException? Error) TryEvaluate(Expr expr, EvalContext ctx)
    {
        try { return (Evaluate(expr, ctx), null); }
        catch (EvaluationException e) { return (null, e); }
    }

    /// <summary>Evaluates both, reporting the errors of both if both fail.</summary>
    private static (Value, Value) EvaluatePair(Expr a, Expr b, EvalContext ctx)
    {
        var (first, firstError) = TryEvaluate(a, ctx);
        var (second, secondError) = TryEvaluate(b, ctx);
        if (firstError is not null || secondError is not null)
            throw new EvaluationException([.. firstError?.Diagnostics ?? [], .. secondError?.Diagnostics ?? []]);
        return (first!, second!);
    }

    private static List<Value> EvaluateAll(IReadOnlyList<Expr> exprs, EvalContext ctx) => Collect(exprs, e => Evaluate(e, ctx));

    private static List<Value> Collect<T>(IEnumerable<T> items, Func<T, Value> evaluate)
    {
        var values = new List<Value>();
        var diagnostics = new List<HclDiagnostic>();
        foreach (var item in items)
        {
            try { values.Add(evaluate(item)); }
            catch (EvaluationException e) { diagnostics.AddRange(e.Diagnostics); }
        }
        if (diagnostics.Count > 0) throw new EvaluationException(diagnostics);
        return values;
    }
}
