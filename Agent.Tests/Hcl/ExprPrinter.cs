using System.Text;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// Prints an expression tree as a compact S-expression, so table tests can state a tree's shape in one line:
/// <c>(+ 1 (* 2 3))</c>, <c>var.a[0]</c> (a traversal), <c>(. (call f) x)</c> (GetAttr), <c>(index c k)</c>,
/// <c>(splat src each)</c> with <c>*</c> for the element, <c>(? c t f)</c>, <c>[a b]</c>, <c>{k=v}</c>,
/// <c>(for k v coll key val cond group)</c>, <c>(paren x)</c>, <c>(tpl "text" ${x} (if c [..] [..]) (for k v c [..]))</c>.
/// </summary>
public static class ExprPrinter
{
    public static string Print(Expr e) => e switch
    {
        LiteralExpr l => Literal(l.Value),
        TemplateExpr t => "(tpl" + string.Concat(t.Parts.Select(p => " " + Part(p))) + ")",
        TraversalExpr t => t.Root + string.Concat(t.Steps.Select(Step)),
        GetAttrExpr g => $"(. {Print(g.Source)} {g.Name})",
        IndexExpr i => $"(index {Print(i.Collection)} {Print(i.Key)})",
        SplatExpr s => $"(splat {Print(s.Source)} {Print(s.Each)})",
        SplatItemExpr => "*",
        FunctionCallExpr f => $"(call {f.Name}{string.Concat(f.Args.Select(a => " " + Print(a)))}{(f.ExpandFinal ? " ..." : "")})",
        ConditionalExpr c => $"(? {Print(c.Condition)} {Print(c.TrueResult)} {Print(c.FalseResult)})",
        BinaryExpr b => $"({b.Operator} {Print(b.Left)} {Print(b.Right)})",
        UnaryExpr u => $"({u.Operator} {Print(u.Operand)})",
        TupleExpr t => "[" + string.Join(" ", t.Items.Select(Print)) + "]",
        ObjectExpr o => "{" + string.Join(" ", o.Items.Select(i => $"{Print(i.Key)}={Print(i.Value)}")) + "}",
        ForExpr f => $"(for {f.KeyVar ?? "_"} {f.ValueVar} {Print(f.Collection)} {(f.KeyExpr is null ? "_" : Print(f.KeyExpr))} {Print(f.ValueExpr)} "
                     + $"{(f.Condition is null ? "_" : Print(f.Condition))}{(f.Group ? " ..." : "")})",
        ParenthesesExpr p => $"(paren {Print(p.Inner)})",
        _ => throw new ArgumentOutOfRangeException(nameof(e), e.GetType().Name),
    };

    private static string Step(TraversalStep s) => s switch
    {
        AttrStep a => "." + a.Name,
        IndexStep i => "[" + Literal(i.Key) + "]",
        _ => throw new ArgumentOutOfRangeException(nameof(s)),
    };

    private static string Part(TemplatePart p) => p switch
    {
        TemplateText t => Quote(t.Text),
        TemplateInterpolation i => "${" + Print(i.Expr) + "}",
        TemplateIf f => $"(if {Print(f.Condition)} [{string.Join(" ", f.Then.Select(Part))}] [{string.Join(" ", f.Else.Select(Part))}])",
        TemplateFor f => $"(for {f.KeyVar ?? "_"} {f.ValueVar} {Print(f.Collection)} [{string.Join(" ", f.Body.Select(Part))}])",
        _ => throw new ArgumentOutOfRangeException(nameof(p)),
    };

    private static string Literal(Value v) => v switch
    {
        StringValue s => Quote(s.Value),
        NumberValue n => n.ToString(),
        BoolValue b => b.ToString(),
        NullValue => "null",
        _ => throw new ArgumentOutOfRangeException(nameof(v)),
    };

    private static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in s)
        {
            sb.Append(c switch { '\n' => "\\n", '\t' => "\\t", '"' => "\\\"", '\\' => "\\\\", _ => c.ToString() });
        }
        return sb.Append('"').ToString();
    }
}
