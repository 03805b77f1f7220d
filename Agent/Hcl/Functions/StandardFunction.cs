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
        catch (Exception e) when (e is not FunctionException)
        {
            // As cty recovers a panicking function: a fault in a body is still one line about the call.
            throw new FunctionException($"Call to function \"{Name}\" failed: panic in function implementation: {e.Message}.");
        }
    }

    private FunctionParameter ParameterAt(int i) => i < Parameters.Count ? Parameters[i] : Variadic!;
}
