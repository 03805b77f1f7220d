using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// A function job files may call (HCL2's standard library as Nomad's jobspec2 offers it). <see cref="Call"/>
/// gets the arguments as evaluated (a final argument expanded with <c>...</c> already spread); it checks their
/// number and converts them to its parameter types itself, and reports a bad call with
/// <see cref="FunctionException"/>.
/// </summary>
public abstract class HclFunction
{
    public abstract string Name { get; }

    public abstract Value Call(IReadOnlyList<Value> args);
}

/// <summary>
/// A call that failed: <see cref="ArgumentIndex"/> names the argument at fault (the first extra one when there are
/// too many; null for the call as a whole);
/// the message says the problem in one line, e.g. "Invalid value for \"str\" parameter: string required.".
/// <see cref="Summary"/> is HCL's diagnostic summary for it ("Invalid function argument", "Error in function call",
/// "Not enough function arguments", "Too many function arguments").
/// </summary>
public sealed class FunctionException(string message, int? argumentIndex = null, string? summary = null) : Exception(message)
{
    public int? ArgumentIndex { get; } = argumentIndex;

    public string Summary { get; } = summary ?? (argumentIndex is null ? "Error in function call" : "Invalid function argument");
}
