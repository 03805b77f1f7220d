using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// A function declared as cty declares them: fixed parameters, an optional variadic one, and a body. The call
/// checks the number of arguments, converts each to its parameter's type and refuses nulls where the parameter
/// does, with HCL's messages, before the body runs; errors the body raises (<see cref="FunctionError"/>) get HCL's
/// wording too.
/// </summary>
public sealed class StandardFunction(
    string name,
    IReadOnlyList<FunctionParameter> parameters,
    FunctionParameter? variadic,
    Func<IReadOnlyList<Value>, Value> body) : HclFunction
{
    public override string Name { get; } = name;

    public IReadOnlyList<FunctionParameter> Parameters { get; } = parameters;

    public FunctionParameter? Variadic { get; } = variadic;

    public override Value Call(IReadOnlyList<Value> args)
    {
        if (args.Count < Parameters.Count)
            throw new FunctionException(
                $"Function \"{Name}\" expects {Parameters.Count} argument(s). Missing value for \"{Parameters[args.Count].Name}\".",
                null, "Not enough function arguments");
        if (args.Count > Parameters.Count && Variadic is null)
            throw new FunctionException($"Function \"{Name}\" expects only {Parameters.Count} argument(s).",
                Parameters.Count, "Too many function arguments");

        var converted = new Value[args.Count];
        for (var i = 0; i < args.Count; i++)
        {
            var parameter = ParameterAt(i);
            try
            {
                converted[i] = ValueConversion.Convert(args[i], parameter.Type);
            }
            catch (ConversionException e)
            {
                throw new FunctionException($"Invalid value for \"{parameter.Name}\" parameter: {e.Message}.", i);
            }
            if (converted[i].IsNull && !parameter.AllowNull)
                throw new FunctionException($"Invalid value for \"{parameter.Name}\" parameter: argument must not be null.", i);
        }

        try
        {
            return body(converted);
        }
        catch (FunctionError e) when (e.ArgumentIndex is { } i && i < args.Count)
        {
            throw new FunctionException($"Invalid value for \"{ParameterAt(i).Name}\" parameter: {e.Message}.", i);
        }
        catch (FunctionError e)
        {
            throw new FunctionException($"Call to function \"{Name}\" failed: {e.Message}.");
        }
        catch (ConversionException e)
        {
            throw new FunctionException($"Call to function \"{Name}\" failed: {e.Message}.");
        }
    }

    private FunctionParameter ParameterAt(int i) => i < Parameters.Count ? Parameters[i] : Variadic!;
}

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

    /// <summary>A list whose element type is that of its elements (cty.ListVal), or the given one when empty.</summary>
    public static Value ListOf(IReadOnlyList<Value> items, HclType whenEmpty)
    {
        if (items.Count == 0) return new ListValue(whenEmpty, []);
        var type = ValueConversion.Unify(items.Select(i => i.Type).ToList()) ?? throw new FunctionError("inconsistent list element types");
        return new ListValue(type, items.Select(i => ValueConversion.Convert(i, type)).ToList());
    }

    public static Value Strings(IEnumerable<string> items) => new ListValue(HclType.String, items.Select(Value.Of).ToList());

    public static bool IsSequence(Value v) => v is SequenceValue;

    public static bool IsSequenceType(HclType t) => t is ListType or SetType or TupleType;
}
