using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>Short ways for the function families to declare parameters and read and build values.</summary>
internal static class Fn
{
    public static FunctionParameter P(string name, HclType type, bool allowNull = false) => new(name, type, allowNull);

    public static StandardFunction Define(string name, FunctionParameter[] parameters, Func<IReadOnlyList<Value>, Value> body) =>
        new(name, parameters, null, body);

    public static StandardFunction Define(string name, FunctionParameter[] parameters, FunctionParameter variadic,
        Func<IReadOnlyList<Value>, Value> body) => new(name, parameters, variadic, body);

    public static readonly HclType AnyList = HclType.List(HclType.Dynamic);
    public static readonly HclType StringList = HclType.List(HclType.String);

    public static string Str(Value v) => ((StringValue)v).Value;

    public static double Num(Value v) => ((NumberValue)v).Value;

    /// <summary>A number as a Go int (cty's gocty conversion): whole, within 64 bits.</summary>
    public static long Int(Value v, int? argumentIndex = null)
    {
        var d = Num(v);
        if (d != Math.Floor(d) || d < -9.223372036854775808e18 || d >= 9.223372036854775808e18)
            throw new FunctionError("value must be a whole number, between -9223372036854775808 and 9223372036854775807", argumentIndex);
        return (long)d;
    }

    public static Value List(HclType elementType, IEnumerable<Value> items) => new ListValue(elementType, items.ToList());

    public static Value Strings(IEnumerable<string> items) => new ListValue(HclType.String, items.Select(Value.Of).ToList());
}
