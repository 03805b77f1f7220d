using System.Text;
using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>
/// Builds argument values tersely and shows results with their kind, so a table row reads like the function's
/// documentation: <c>list["a","b"]</c>, <c>tuple["a",1]</c>, <c>set[1,2]</c>, <c>map{"a":1}</c>,
/// <c>object{"a":true}</c>, <c>"text"</c>, <c>1.5</c>, <c>null</c>.
/// </summary>
internal static class Kit
{
    public static readonly FunctionTable Table = FunctionTable.ForJobFile("/nonexistent-base", allowFileSystem: true);

    public static Value S(string s) => Value.Of(s);
    public static Value N(double d) => Value.Of(d);
    public static Value B(bool b) => Value.Of(b);
    public static Value Null => Value.Null(HclType.Dynamic);
    public static Value T(params Value[] items) => new TupleValue(items);
    public static Value L(params Value[] items) => ValueConversion.Convert(new TupleValue(items), HclType.List(HclType.Dynamic));
    public static Value EmptyList(HclType element) => new ListValue(element, []);
    public static Value Set(params Value[] items) => ValueConversion.Convert(new TupleValue(items), HclType.Set(HclType.Dynamic));
    public static Value O(params (string Key, Value Value)[] items) =>
        new ObjectValue(items.Select(i => KeyValuePair.Create(i.Key, i.Value)));
    public static Value M(params (string Key, Value Value)[] items) =>
        ValueConversion.Convert(O(items), HclType.Map(HclType.Dynamic));
    public static Value Strings(params string[] items) => new ListValue(HclType.String, items.Select(Value.Of).ToList());

    public static Value Call(string name, params Value[] args)
    {
        Assert.That(Table.TryGet(name, out var f), Is.True, $"{name} is not in the table");
        return f.Call(args);
    }

    public static string Run(string name, params Value[] args) => Show(Call(name, args));

    public static FunctionException Fails(string name, params Value[] args)
    {
        Assert.That(Table.TryGet(name, out var f), Is.True, $"{name} is not in the table");
        return Assert.Throws<FunctionException>(() => f.Call(args))!;
    }

    public static string Show(Value v)
    {
        var sb = new StringBuilder();
        Show(v, sb);
        return sb.ToString();
    }

    private static void Show(Value v, StringBuilder sb)
    {
        switch (v)
        {
            case NullValue: sb.Append("null"); break;
            case StringValue s: sb.Append(CtyJsonQuote(s.Value)); break;
            case NumberValue n: sb.Append(n.ToString()); break;
            case BoolValue b: sb.Append(b.Value ? "true" : "false"); break;
            case SequenceValue seq:
                sb.Append(seq switch { ListValue => "list", SetValue => "set", _ => "tuple" }).Append('[');
                for (var i = 0; i < seq.Items.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    Show(seq.Items[i], sb);
                }
                sb.Append(']');
                break;
            case KeyedValue k:
                sb.Append(k is MapValue ? "map" : "object").Append('{');
                for (var i = 0; i < k.Items.Count; i++)
                {
                    if (i > 0) sb.Append(',');
                    sb.Append(CtyJsonQuote(k.Items[i].Key)).Append(':');
                    Show(k.Items[i].Value, sb);
                }
                sb.Append('}');
                break;
        }
    }

    private static string CtyJsonQuote(string s) =>
        "\"" + s.Replace("\\", "\\\\").Replace("\"", "\\\"").Replace("\n", "\\n").Replace("\t", "\\t") + "\"";
}

/// <summary>One row of a function table: a call and what it gives (a shown value, or an error message).</summary>
public sealed record Row(string Function, Value[] Args, string Expected)
{
    public override string ToString() =>
        $"{Function}({string.Join(", ", Args.Select(Kit.Show))}) => {Expected}";
}
