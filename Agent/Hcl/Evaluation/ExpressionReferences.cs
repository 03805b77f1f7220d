using Nomad.Agent.Hcl.Expressions;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// The references an expression makes to variables from outside it (hclsyntax.Variables): every traversal,
/// except those rooted at a name a <c>for</c> expression or template <c>%{for}</c> inside it binds.
/// </summary>
public static class ExpressionReferences
{
    public static IReadOnlyList<TraversalExpr> Of(Expr expr)
    {
        var found = new List<TraversalExpr>();
        Walk(expr, [], found);
        return found;
    }

    private static void Walk(Expr expr, HashSet<string> bound, List<TraversalExpr> found)
    {
        switch (expr)
        {
            case TraversalExpr t:
                if (!bound.Contains(t.Root)) found.Add(t);
                break;
            case TemplateExpr t:
                WalkParts(t.Parts, bound, found);
                break;
            case GetAttrExpr g:
                Walk(g.Source, bound, found);
                break;
            case IndexExpr i:
                Walk(i.Collection, bound, found);
                Walk(i.Key, bound, found);
                break;
            case SplatExpr s:
                Walk(s.Source, bound, found);
                Walk(s.Each, bound, found);
                break;
            case FunctionCallExpr f:
                foreach (var a in f.Args) Walk(a, bound, found);
                break;
            case ConditionalExpr c:
                Walk(c.Condition, bound, found);
                Walk(c.TrueResult, bound, found);
                Walk(c.FalseResult, bound, found);
                break;
            case BinaryExpr b:
                Walk(b.Left, bound, found);
                Walk(b.Right, bound, found);
                break;
            case UnaryExpr u:
                Walk(u.Operand, bound, found);
                break;
            case TupleExpr t:
                foreach (var i in t.Items) Walk(i, bound, found);
                break;
            case ObjectExpr o:
                foreach (var i in o.Items)
                {
                    Walk(i.Key, bound, found);
                    Walk(i.Value, bound, found);
                }
                break;
            case ForExpr f:
            {
                Walk(f.Collection, bound, found);
                var inner = With(bound, f.KeyVar, f.ValueVar);
                if (f.KeyExpr is not null) Walk(f.KeyExpr, inner, found);
                Walk(f.ValueExpr, inner, found);
                if (f.Condition is not null) Walk(f.Condition, inner, found);
                break;
            }
            case ParenthesesExpr p:
                Walk(p.Inner, bound, found);
                break;
        }
    }

    private static void WalkParts(IReadOnlyList<TemplatePart> parts, HashSet<string> bound, List<TraversalExpr> found)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case TemplateInterpolation i:
                    Walk(i.Expr, bound, found);
                    break;
                case TemplateIf i:
                    Walk(i.Condition, bound, found);
                    WalkParts(i.Then, bound, found);
                    WalkParts(i.Else, bound, found);
                    break;
                case TemplateFor f:
                    Walk(f.Collection, bound, found);
                    WalkParts(f.Body, With(bound, f.KeyVar, f.ValueVar), found);
                    break;
            }
        }
    }

    private static HashSet<string> With(HashSet<string> bound, string? key, string value)
    {
        var inner = new HashSet<string>(bound) { value };
        if (key is not null) inner.Add(key);
        return inner;
    }
}
