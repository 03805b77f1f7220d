namespace Nomad.Agent.Hcl.Values;

/// <summary>
/// The type of an HCL2 value, as HCL2's type system (cty) has them: the primitives string, number and bool;
/// the collections list, set and map of one element type; the structurals tuple and object; and
/// <see cref="Dynamic"/> ("any"), which only appears in type constraints and in the type of an untyped null.
/// Types compare by structure.
/// </summary>
public abstract record HclType
{
    public static readonly HclType String = new PrimitiveType("string");
    public static readonly HclType Number = new PrimitiveType("number");
    public static readonly HclType Bool = new PrimitiveType("bool");
    public static readonly HclType Dynamic = new PrimitiveType("dynamic");

    public bool IsPrimitive => this is PrimitiveType && this != Dynamic;

    /// <summary>How HCL writes the type in a constraint and in error messages: "string", "list of string", "object".</summary>
    public abstract string FriendlyName { get; }

    public static HclType List(HclType element) => new ListType(element);
    public static HclType Set(HclType element) => new SetType(element);
    public static HclType Map(HclType element) => new MapType(element);
}

public sealed record PrimitiveType(string Name) : HclType
{
    public override string FriendlyName => Name == "dynamic" ? "any type" : Name;
}

public sealed record ListType(HclType Element) : HclType
{
    public override string FriendlyName => $"list of {Element.FriendlyName}";
}

public sealed record SetType(HclType Element) : HclType
{
    public override string FriendlyName => $"set of {Element.FriendlyName}";
}

public sealed record MapType(HclType Element) : HclType
{
    public override string FriendlyName => $"map of {Element.FriendlyName}";
}

public sealed record TupleType(IReadOnlyList<HclType> Elements) : HclType
{
    public override string FriendlyName => "tuple";

    public bool Equals(TupleType? other) => other is not null && Elements.SequenceEqual(other.Elements);

    public override int GetHashCode() => Elements.Aggregate(17, (h, e) => h * 31 + e.GetHashCode());
}

/// <summary>An object type: attribute names (kept sorted, as cty does) and their types.</summary>
public sealed record ObjectType(IReadOnlyDictionary<string, HclType> Attributes) : HclType
{
    public override string FriendlyName => "object";

    public bool Equals(ObjectType? other) =>
        other is not null && Attributes.Count == other.Attributes.Count && SameAttributes(other);

    private bool SameAttributes(ObjectType other)
    {
        foreach (var a in Attributes)
            if (!other.Attributes.TryGetValue(a.Key, out var t) || !t.Equals(a.Value)) return false;
        return true;
    }

    // Order-independent (a sum), so no sorting: equal types have equal attribute sets whatever their order.
    public override int GetHashCode()
    {
        var h = 19;
        foreach (var a in Attributes) h += a.Key.GetHashCode() * 31 + a.Value.GetHashCode();
        return h;
    }
}
