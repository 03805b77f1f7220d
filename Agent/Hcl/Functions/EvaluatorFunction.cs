using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// A function of the table that the evaluator itself evaluates (<c>try</c>, <c>can</c>): it needs its arguments
/// unevaluated, so a call with values cannot be made.
/// </summary>
public sealed class EvaluatorFunction(string name) : HclFunction
{
    public override string Name { get; } = name;

    public override Value Call(IReadOnlyList<Value> args) =>
        throw new FunctionException($"Function \"{Name}\" is evaluated by the evaluator, which passes it unevaluated arguments.");
}
