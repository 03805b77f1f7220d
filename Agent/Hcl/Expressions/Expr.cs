using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Expressions;

/// <summary>
/// An HCL2 expression as parsed (hclsyntax's node kinds). <see cref="Position"/> is where it starts, for
/// errors. The parser resolves what HCL resolves at parse time: template strip markers (<c>~</c>) are already
/// applied to the neighbouring literals, escapes are decoded, and a bare identifier used as an object key is a
/// string literal.
/// </summary>
public abstract record Expr(HclPosition Position);

/// <summary>A number, a bool, <c>null</c>, or a string without template sequences.</summary>
public sealed record LiteralExpr(Value Value, HclPosition Position) : Expr(Position);

/// <summary>
/// A quoted string or heredoc holding interpolations or directives. A template that is exactly one
/// interpolation (<c>"${x}"</c>) evaluates to x's value unconverted, as HCL's TemplateWrapExpr.
/// </summary>
public sealed record TemplateExpr(IReadOnlyList<TemplatePart> Parts, HclPosition Position) : Expr(Position);

public abstract record TemplatePart(HclPosition Position);

/// <summary>Literal text, escapes decoded (<c>$${</c> is already <c>${</c>).</summary>
public sealed record TemplateText(string Text, HclPosition Position) : TemplatePart(Position);

/// <summary><c>${ expr }</c>.</summary>
public sealed record TemplateInterpolation(Expr Expr, HclPosition Position) : TemplatePart(Position);

/// <summary><c>%{ if cond }...%{ else }...%{ endif }</c>.</summary>
public sealed record TemplateIf(Expr Condition, IReadOnlyList<TemplatePart> Then, IReadOnlyList<TemplatePart> Else, HclPosition Position)
    : TemplatePart(Position);

/// <summary><c>%{ for k, v in coll }...%{ endfor }</c>; <see cref="KeyVar"/> is null with one name.</summary>
public sealed record TemplateFor(string? KeyVar, string ValueVar, Expr Collection, IReadOnlyList<TemplatePart> Body, HclPosition Position)
    : TemplatePart(Position);

/// <summary>
/// A variable and the attribute/literal-index steps after it: <c>var.x</c>, <c>attr.kernel.name</c>,
/// <c>env["HOME"]</c>, <c>NOMAD_ALLOC_INDEX</c>. <see cref="Source"/> is its text as written (used when the
/// root is not a known variable: Nomad keeps such a reference as <c>${Source}</c> for the client).
/// </summary>
public sealed record TraversalExpr(string Root, IReadOnlyList<TraversalStep> Steps, string Source, HclPosition Position) : Expr(Position);

public abstract record TraversalStep(HclPosition Position);

/// <summary><c>.name</c></summary>
public sealed record AttrStep(string Name, HclPosition Position) : TraversalStep(Position);

/// <summary><c>[literal]</c> or the legacy <c>.0</c>.</summary>
public sealed record IndexStep(Value Key, HclPosition Position) : TraversalStep(Position);

/// <summary><c>expr.name</c> after something that is not a traversal (a call, a parenthesised expression...).</summary>
public sealed record GetAttrExpr(Expr Source, string Name, HclPosition Position) : Expr(Position);

/// <summary><c>collection[key]</c> where the key is not a literal, or the collection is not a traversal.</summary>
public sealed record IndexExpr(Expr Collection, Expr Key, HclPosition Position) : Expr(Position);

/// <summary>
/// <c>source[*].a.b</c> (full splat) or <c>source.*.a</c> (attribute-only splat): <see cref="Each"/> is applied to
/// every element, with <see cref="SplatItemExpr"/> standing for the element. A non-list source is wrapped in a
/// one-element tuple (null gives an empty tuple).
/// </summary>
public sealed record SplatExpr(Expr Source, Expr Each, HclPosition Position) : Expr(Position);

/// <summary>The current element inside <see cref="SplatExpr.Each"/>.</summary>
public sealed record SplatItemExpr(HclPosition Position) : Expr(Position);

/// <summary><c>name(args)</c>; <see cref="ExpandFinal"/> when the last argument is followed by <c>...</c>.</summary>
public sealed record FunctionCallExpr(string Name, IReadOnlyList<Expr> Args, bool ExpandFinal, HclPosition Position) : Expr(Position)
{
    /// <summary>Where the closing ")" is (HCL reports a call missing arguments there); null when built without source.</summary>
    public HclPosition? CloseParen { get; init; }
}

public sealed record ConditionalExpr(Expr Condition, Expr TrueResult, Expr FalseResult, HclPosition Position) : Expr(Position);

/// <summary>Operators as written: <c>|| &amp;&amp; == != &lt; &gt; &lt;= &gt;= + - * / %</c>.</summary>
public sealed record BinaryExpr(string Operator, Expr Left, Expr Right, HclPosition Position) : Expr(Position);

/// <summary><c>!x</c> or <c>-x</c>.</summary>
public sealed record UnaryExpr(string Operator, Expr Operand, HclPosition Position) : Expr(Position);

/// <summary><c>[a, b, c]</c>: evaluates to a tuple.</summary>
public sealed record TupleExpr(IReadOnlyList<Expr> Items, HclPosition Position) : Expr(Position);

/// <summary><c>{ key = value, ... }</c>: evaluates to an object.</summary>
public sealed record ObjectExpr(IReadOnlyList<ObjectItem> Items, HclPosition Position) : Expr(Position);

public sealed record ObjectItem(Expr Key, Expr Value);

/// <summary>
/// <c>[for k, v in coll : value if cond]</c> (tuple) or <c>{for k, v in coll : key =&gt; value... if cond}</c>
/// (object; <see cref="Group"/> with <c>...</c>). <see cref="KeyExpr"/> is null for the tuple form.
/// </summary>
public sealed record ForExpr(string? KeyVar, string ValueVar, Expr Collection, Expr? KeyExpr, Expr ValueExpr, Expr? Condition,
    bool Group, HclPosition Position) : Expr(Position);

/// <summary><c>( expr )</c>: kept so that <c>(a) = 1</c> in an object is a computed key.</summary>
public sealed record ParenthesesExpr(Expr Inner, HclPosition Position) : Expr(Position);
