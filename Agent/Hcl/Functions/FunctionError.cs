namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// Thrown by a function's body for a call it cannot do; <see cref="StandardFunction"/> turns it into HCL's
/// wording: "Invalid value for "x" parameter: msg." when an argument is at fault, else
/// "Call to function "f" failed: msg.".
/// </summary>
internal sealed class FunctionError(string message, int? argumentIndex = null) : Exception(message)
{
    public int? ArgumentIndex { get; } = argumentIndex;
}
