namespace Nomad.Agent.Structs;

/// <summary>Constraint operands Nomad accepts.</summary>
public static class ConstraintOperand
{
    public const string Equal = "=";
    public const string NotEqual = "!=";
    public const string Regex = "regexp";
    public const string Version = "version";
    public const string SemVer = "semver";
    public const string SetContains = "set_contains";
    public const string SetContainsAll = "set_contains_all";
    public const string SetContainsAny = "set_contains_any";
    public const string DistinctHosts = "distinct_hosts";
    public const string DistinctProperty = "distinct_property";
    public const string AttributeIsSet = "is_set";
    public const string AttributeIsNotSet = "is_not_set";

    public static readonly IReadOnlySet<string> All = new HashSet<string>(StringComparer.Ordinal)
    {
        Equal, "==", "is", NotEqual, "not", "<", "<=", ">", ">=", Regex, Version, SemVer,
        SetContains, SetContainsAll, SetContainsAny, DistinctHosts, DistinctProperty, AttributeIsSet, AttributeIsNotSet,
    };
}
