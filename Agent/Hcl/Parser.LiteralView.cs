using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl;

/// <summary>
/// The literal view of an expression, which the agent configuration and the HCL1 job path read: strings
/// (verbatim, <c>${...}</c> kept), numbers as written, bools, null, and lists/objects of them; anything else
/// is an <see cref="HclExpression"/> holding its source text.
/// </summary>
internal sealed partial class Parser
{
    private HclValue LiteralView(Expr expr)
    {
        if (_literalTokens.TryGetValue(expr, out var tok))
        {
            switch (tok.Kind)
            {
                case TokenKind.String: return new HclString(tok.Text, tok.Position);
                case TokenKind.Heredoc: return new HclString(tok.Text, tok.Position, IsHeredoc: true);
                case TokenKind.Number: return new HclNumber(tok.Text, tok.Position);
            }
        }
        switch (expr)
        {
            case LiteralExpr { Value: BoolValue b }:
                return new HclBool(b.Value, expr.Position);
            case LiteralExpr { Value: NullValue }:
                return new HclNull(expr.Position);
            case UnaryExpr { Operator: "-", Operand: LiteralExpr operand } when _literalTokens.TryGetValue(operand, out var n) && n.Kind == TokenKind.Number:
                return new HclNumber("-" + n.Text, expr.Position);
            case UnaryExpr { Operator: "!", Operand: LiteralExpr { Value: BoolValue b } }:
                return new HclBool(!b.Value, expr.Position);
            case TupleExpr t:
                return new HclList(t.Items.Select(LiteralView).ToList(), expr.Position);
            case ObjectExpr o when o.Items.Select(i => KeyText(i.Key)).ToList() is var keys && keys.All(k => k != null):
                return new HclObject(o.Items.Select((item, i) => new HclObjectItem(keys[i]!, item.Key.Position, LiteralView(item.Value))).ToList(),
                    expr.Position);
            default:
                return new HclExpression(SourceOf(expr), expr.Position);
        }
    }

    /// <summary>An object key as the literal view names it; null when the key is computed.</summary>
    private string? KeyText(Expr key)
    {
        if (_literalTokens.TryGetValue(key, out var tok)) return tok.Text;
        return key switch
        {
            TraversalExpr t when t.Steps.All(s => s is AttrStep) => t.Source, // the HCL1 habit { a.b = 1 }
            LiteralExpr { Value: BoolValue b } => b.Value ? "true" : "false",
            LiteralExpr { Value: NullValue } => "null",
            _ => null,
        };
    }

    private string SourceOf(Expr expr) =>
        _spans.TryGetValue(expr, out var span) ? _src[span.Start..span.End] : throw new InvalidOperationException("expression without a recorded source span");
}
