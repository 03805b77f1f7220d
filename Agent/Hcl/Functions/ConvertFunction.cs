using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// <c>convert(value, type)</c> (HCL's typeexpr extension): its second argument is a type expression such as
/// <c>list(string)</c>, not a value, so the evaluator reads it as a type and calls <see cref="Convert"/>; a plain
/// <see cref="Call"/> cannot be made.
/// </summary>
public sealed class ConvertFunction : HclFunction
{
    public override string Name => "convert";

    public override Value Call(IReadOnlyList<Value> args) =>
        throw new FunctionException("Function \"convert\" takes a type expression as its second argument; the evaluator must call it with the type.");

    public Value Convert(Value value, HclType type)
    {
        try { return ValueConversion.Convert(value, type); }
        catch (ConversionException e)
        {
            throw new FunctionException($"Invalid value for \"value\" parameter: {e.Message}.", 0);
        }
    }
}
