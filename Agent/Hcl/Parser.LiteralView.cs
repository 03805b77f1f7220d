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
                case TokenKind.String or TokenKind.Heredoc:
                    return new HclString(tok.Text, tok.Position, tok.Kind == TokenKind.Heredoc) { JsonText = JsonText(expr) };
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
            case ObjectExpr o:
                return new HclObject(o.Items.Select(i => new HclObjectItem(KeyText(i.Key), i.Key.Position, LiteralView(i.Value))).ToList(),
                    expr.Position);
            default:
                return new HclExpression(SourceOf(expr), expr.Position);
        }
    }

    /// <summary>An object key as the literal view names it: as written, or <c>${source}</c> when computed (as hcl2json).</summary>
    private string KeyText(Expr key)
    {
        if (_literalTokens.TryGetValue(key, out var tok)) return tok.Text;
        return key switch
        {
            TraversalExpr t => t.Source, // the HCL1 habit { a.b = 1 }
            LiteralExpr { Value: BoolValue b } => b.Value ? "true" : "false",
            LiteralExpr { Value: NullValue } => "null",
            _ => "${" + SourceOf(key) + "}",
        };
    }

    /// <summary>
    /// A template as hcl2json prints it: literal text with <c>${</c>/<c>%{</c> escaped again, an interpolated literal
    /// inlined, other sequences as their source, directives as <c>%{if c}..%{else}..%{endif}</c> / <c>%{for k, v in c}..%{endfor}</c>.
    /// </summary>
    private string? JsonText(Expr expr)
    {
        if (_templatePlaceholders.Contains(expr)) return null;
        var sb = new System.Text.StringBuilder();
        switch (expr)
        {
            case LiteralExpr { Value: StringValue s }: AppendText(sb, s.Value); break;
            case TemplateExpr t: AppendParts(sb, t.Parts); break;
            default: return null;
        }
        return sb.ToString();
    }

    private static void AppendText(System.Text.StringBuilder sb, string text) =>
        sb.Append(text.Replace("${", "$${").Replace("%{", "%%{"));

    private void AppendParts(System.Text.StringBuilder sb, IEnumerable<TemplatePart> parts)
    {
        foreach (var part in parts)
        {
            switch (part)
            {
                case TemplateText t:
                    AppendText(sb, t.Text);
                    break;
                case TemplateInterpolation { Expr: LiteralExpr { Value: StringValue or NumberValue or BoolValue } lit }:
                    sb.Append(lit.Value.ToString());
                    break;
                case TemplateInterpolation i:
                    sb.Append("${").Append(SourceOf(i.Expr)).Append('}');
                    break;
                case TemplateIf f:
                    sb.Append("%{if ").Append(SourceOf(f.Condition)).Append('}');
                    AppendParts(sb, f.Then);
                    int mark = sb.Length;
                    sb.Append("%{else}");
                    int elseStart = sb.Length;
                    AppendParts(sb, f.Else);
                    if (sb.Length == elseStart) sb.Length = mark; // hcl2json omits an empty else
                    sb.Append("%{endif}");
                    break;
                case TemplateFor f:
                    sb.Append("%{for ").Append(f.KeyVar is null ? "" : f.KeyVar + ", ").Append(f.ValueVar)
                        .Append(" in ").Append(SourceOf(f.Collection)).Append('}');
                    AppendParts(sb, f.Body);
                    sb.Append("%{endfor}");
                    break;
            }
        }
    }

    private string SourceOf(Expr expr) =>
        _spans.TryGetValue(expr, out var span) ? _src[span.Start..span.End] : throw new InvalidOperationException("expression without a recorded source span");
}
