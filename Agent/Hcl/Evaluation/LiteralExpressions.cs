using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// An expression tree for an attribute that carries only the literal view (<see cref="HclValue"/>): literals,
/// lists and objects; strings as written (template sequences kept). A bare expression cannot be rebuilt from it.
/// </summary>
public static class LiteralExpressions
{
    public static Expr FromLiteral(HclValue value) => value switch
    {
        HclString s => new LiteralExpr(Value.Of(s.Value), s.Position),
        HclNumber n => new LiteralExpr(Value.Of(n.AsDouble()), n.Position),
        HclBool b => new LiteralExpr(Value.Of(b.Value), b.Position),
        HclNull n => new LiteralExpr(Value.Null(HclType.Dynamic), n.Position),
        HclList l => new TupleExpr(l.Items.Select(FromLiteral).ToList(), l.Position),
        HclObject o => new ObjectExpr(o.Items.Select(i =>
            new ObjectItem(new LiteralExpr(Value.Of(i.Key), i.KeyPosition), FromLiteral(i.Value))).ToList(), o.Position),
        _ => throw new EvaluationException(value.Position, "Unsupported expression",
            $"The expression \"{((HclExpression)value).Source}\" was not parsed as HCL2."),
    };
}
