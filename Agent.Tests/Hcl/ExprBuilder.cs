using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// Short ways to write expression trees and values by hand in tests (as the parser would produce them), and a
/// tiny function table. Positions are in "t.hcl", line 1 unless given.
/// </summary>
internal static class X
{
    public static HclPosition P(int line = 1, int column = 1) => new("t.hcl", line, column);

    public static Expr Num(double d, int col = 1) => new LiteralExpr(Value.Of(d), P(1, col));
    public static Expr Str(string s, int col = 1) => new LiteralExpr(Value.Of(s), P(1, col));
    public static Expr Bool(bool b) => new LiteralExpr(Value.Of(b), P());
    public static Expr Null() => new LiteralExpr(Value.Null(HclType.Dynamic), P());

    /// <summary>A traversal written as source: "var.x", "attr.kernel.name", "env[\"HOME\"]", "a.0".</summary>
    public static TraversalExpr Ref(string source, int col = 1)
    {
        var steps = new List<TraversalStep>();
        var i = 0;
        while (i < source.Length && source[i] != '.' && source[i] != '[') i++;
        var root = source[..i];
        while (i < source.Length)
        {
            if (source[i] == '.')
            {
                var start = ++i;
                while (i < source.Length && source[i] != '.' && source[i] != '[') i++;
                var name = source[start..i];
                steps.Add(char.IsDigit(name[0]) ? new IndexStep(Value.Of(double.Parse(name)), P(1, col + start)) : new AttrStep(name, P(1, col + start)));
            }
            else
            {
                var end = source.IndexOf(']', i);
                var key = source[(i + 1)..end];
                steps.Add(new IndexStep(key.StartsWith('"') ? Value.Of(key.Trim('"')) : Value.Of(double.Parse(key)), P(1, col + i)));
                i = end + 1;
            }
        }
        return new TraversalExpr(root, steps, source, P(1, col));
    }

    public static Expr Bin(string op, Expr l, Expr r) => new BinaryExpr(op, l, r, l.Position);
    public static Expr Not(Expr e) => new UnaryExpr("!", e, P());
    public static Expr Neg(Expr e) => new UnaryExpr("-", e, P());
    public static Expr Cond(Expr c, Expr t, Expr f) => new ConditionalExpr(c, t, f, c.Position);
    public static Expr Tuple(params Expr[] items) => new TupleExpr(items, P());
    public static Expr Obj(params (string Key, Expr Value)[] items) =>
        new ObjectExpr(items.Select(i => new ObjectItem(Str(i.Key), i.Value)).ToList(), P());
    public static Expr ObjE(params (Expr Key, Expr Value)[] items) =>
        new ObjectExpr(items.Select(i => new ObjectItem(i.Key, i.Value)).ToList(), P());
    public static Expr Index(Expr c, Expr k) => new IndexExpr(c, k, P());
    public static Expr Attr(Expr s, string name) => new GetAttrExpr(s, name, P());
    public static Expr Splat(Expr source, Expr each) => new SplatExpr(source, each, P());
    public static Expr Item() => new SplatItemExpr(P());
    public static Expr Call(string name, params Expr[] args) => new FunctionCallExpr(name, args, false, P());
    public static Expr CallExpand(string name, params Expr[] args) => new FunctionCallExpr(name, args, true, P());

    public static Expr ForTuple(string? k, string v, Expr coll, Expr value, Expr? cond = null) =>
        new ForExpr(k, v, coll, null, value, cond, false, P());
    public static Expr ForObject(string? k, string v, Expr coll, Expr key, Expr value, Expr? cond = null, bool group = false) =>
        new ForExpr(k, v, coll, key, value, cond, group, P());

    public static Expr Tpl(params TemplatePart[] parts) => new TemplateExpr(parts, P());
    public static TemplatePart Text(string s) => new TemplateText(s, P());
    public static TemplatePart Interp(Expr e) => new TemplateInterpolation(e, e.Position);
    public static TemplatePart If(Expr c, TemplatePart[] then, TemplatePart[]? otherwise = null) => new TemplateIf(c, then, otherwise ?? [], P());
    public static TemplatePart For(string? k, string v, Expr coll, params TemplatePart[] body) => new TemplateFor(k, v, coll, body, P());

    public static Value V(double d) => Value.Of(d);
    public static Value V(string s) => Value.Of(s);
    public static Value V(bool b) => Value.Of(b);
    public static Value TupleV(params Value[] items) => new TupleValue(items);
    public static Value ListV(HclType t, params Value[] items) => new ListValue(t, items);
    public static Value ObjV(params (string, Value)[] items) => new ObjectValue(items.Select(i => KeyValuePair.Create(i.Item1, i.Item2)));
    public static Value MapV(HclType t, params (string, Value)[] items) => new MapValue(t, items.Select(i => KeyValuePair.Create(i.Item1, i.Item2)));

    /// <summary>upper(str), add(a, b...) and broken(): enough to test calls without the standard library.</summary>
    public static FunctionTable TestFunctions { get; } = new(new Dictionary<string, HclFunction>
    {
        ["upper"] = new TestFunction("upper", args =>
        {
            if (args.Count != 1) throw new FunctionException("Function \"upper\" expects 1 argument(s). Missing value for \"str\".");
            try { return Value.Of(((StringValue)ValueConversion.Convert(args[0], HclType.String)).Value.ToUpperInvariant()); }
            catch (ConversionException e) { throw new FunctionException($"Invalid value for \"str\" parameter: {e.Message}.", 0); }
        }),
        ["add"] = new TestFunction("add", args => Value.Of(args.Sum(a => ((NumberValue)ValueConversion.Convert(a, HclType.Number)).Value))),
        ["broken"] = new TestFunction("broken", _ => throw new InvalidOperationException("it broke")),
    });

    private sealed class TestFunction(string name, Func<IReadOnlyList<Value>, Value> body) : HclFunction
    {
        public override string Name => name;
        public override Value Call(IReadOnlyList<Value> args) => body(args);
    }
}
