using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// A parameter of a standard-library function, as cty declares one: its name (used in error messages), the type
/// an argument is converted to (<see cref="HclType.Dynamic"/> takes any value as it is), and whether a null is
/// accepted (cty refuses nulls unless the function says otherwise).
/// </summary>
public sealed record FunctionParameter(string Name, HclType Type, bool AllowNull = false);
