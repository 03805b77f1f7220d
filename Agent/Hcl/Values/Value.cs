namespace Nomad.Agent.Hcl.Values;

/// <summary>
/// A value an HCL2 expression evaluates to (cty's model). Values are immutable and compare by structure
/// (<see cref="Value.Equals(object?)"/> is HCL's <c>==</c>). Map keys and object attributes are kept sorted by
/// ordinal order, as cty iterates them; a set keeps its elements distinct, in cty's order (strings and numbers
/// ascending, others as first seen). Numbers are doubles: exact for the integers job files use.
/// Not to be confused with <see cref="HclValue"/>, the literal syntax the agent configuration reads.
/// </summary>
public abstract class Value : IEquatable<Value>
{
    public abstract HclType Type { get; }

    public bool IsNull => this is NullValue;

    public abstract bool Equals(Value? other);

    public override bool Equals(object? obj) => obj is Value v && Equals(v);

    public abstract override int GetHashCode();

    public static readonly Value True = new BoolValue(true);
    public static readonly Value False = new BoolValue(false);
    public static readonly Value EmptyString = new StringValue("");

    public static Value Of(string s) => new StringValue(s);
    public static Value Of(double d) => new NumberValue(d);
    public static Value Of(bool b) => b ? True : False;
    public static Value Null(HclType type) => new NullValue(type);

    /// <summary>A list, set, tuple, map or object: the items, in iteration order (for a map/object the values).</summary>
    public IReadOnlyList<Value> Elements => this switch
    {
        SequenceValue s => s.Items,
        KeyedValue k => k.Values(),
        _ => throw new InvalidOperationException($"{Type.FriendlyName} has no elements"),
    };
}

public sealed class StringValue(string value) : Value
{
    public string Value { get; } = value;
    public override HclType Type => HclType.String;
    public override bool Equals(Value? other) => other is StringValue s && s.Value == Value;
    public override int GetHashCode() => Value.GetHashCode();
    public override string ToString() => Value;
}

public sealed class NumberValue(double value) : Value
{
    public double Value { get; } = value;
    public override HclType Type => HclType.Number;
    public override bool Equals(Value? other) => other is NumberValue n && n.Value.Equals(Value);
    public override int GetHashCode() => Value.GetHashCode();

    /// <summary>True when the number is a whole number that fits in a long.</summary>
    public bool IsInteger => Value == Math.Floor(Value) && Math.Abs(Value) < 9.2e18;

    /// <summary>The number as cty writes it when converting to a string (Go's big.Float <c>Text('f', -1)</c>):
    /// "3", "1.5", "-0.25", "0.0000001", "1000000000000000000000" — never an exponent.</summary>
    public override string ToString() => Format(Value);

    public static string Format(double d) => GoFloat.Format(d, 'f', -1);
}

public sealed class BoolValue(bool value) : Value
{
    public bool Value { get; } = value;
    public override HclType Type => HclType.Bool;
    public override bool Equals(Value? other) => other is BoolValue b && b.Value == Value;
    public override int GetHashCode() => Value ? 1 : 0;
    public override string ToString() => Value ? "true" : "false";
}

/// <summary>A null of a type (<see cref="HclType.Dynamic"/> for the literal <c>null</c>). Nulls are equal whatever their type.</summary>
public sealed class NullValue(HclType type) : Value
{
    public override HclType Type { get; } = type;
    public override bool Equals(Value? other) => other is NullValue;
    public override int GetHashCode() => 0;
    public override string ToString() => "null";
}

/// <summary>A list, set or tuple.</summary>
public abstract class SequenceValue(IReadOnlyList<Value> items) : Value
{
    public IReadOnlyList<Value> Items { get; } = items;
    public override bool Equals(Value? other) =>
        other is SequenceValue s && s.GetType() == GetType() && Type.Equals(s.Type) && Items.SequenceEqual(s.Items);
    public override int GetHashCode() => Items.Aggregate(GetType().GetHashCode(), (h, v) => h * 31 + v.GetHashCode());
}

public sealed class ListValue(HclType elementType, IReadOnlyList<Value> items) : SequenceValue(items)
{
    public HclType ElementType { get; } = elementType;
    public override HclType Type => HclType.List(ElementType);
}

/// <summary>A set: build it with <see cref="Create"/>, which removes duplicates and orders the elements.</summary>
public sealed class SetValue : SequenceValue
{
    private SetValue(HclType elementType, IReadOnlyList<Value> items) : base(items) => ElementType = elementType;

    public HclType ElementType { get; }
    public override HclType Type => HclType.Set(ElementType);

    public static SetValue Create(HclType elementType, IEnumerable<Value> items)
    {
        var distinct = new List<Value>();
        foreach (var v in items)
            if (!distinct.Contains(v)) distinct.Add(v);
        if (elementType == HclType.String)
            distinct.Sort((a, b) => string.CompareOrdinal(((StringValue)a).Value, ((StringValue)b).Value));
        else if (elementType == HclType.Number)
            distinct.Sort((a, b) => ((NumberValue)a).Value.CompareTo(((NumberValue)b).Value));
        return new SetValue(elementType, distinct);
    }
}

public sealed class TupleValue(IReadOnlyList<Value> items) : SequenceValue(items)
{
    public override HclType Type
    {
        get
        {
            var types = new HclType[Items.Count];
            for (var i = 0; i < types.Length; i++) types[i] = Items[i].Type;
            return new TupleType(types);
        }
    }
}

/// <summary>A map or object: items sorted by key (ordinal).</summary>
/// <remarks>
/// Sorted with a plain loop rather than LINQ: generic code over <c>KeyValuePair</c> (a value type) is not
/// precompiled, and every job file's first map would JIT-compile LINQ's sorter at the CLI's cold start.
/// </remarks>
public abstract class KeyedValue : Value
{
    protected KeyedValue(IEnumerable<KeyValuePair<string, Value>> items)
    {
        var sorted = new List<KeyValuePair<string, Value>>(items is ICollection<KeyValuePair<string, Value>> c ? c.Count : 4);
        foreach (var item in items)
        {
            // Insertion sort: maps in job files are small, and most arrive already in order.
            var at = sorted.Count;
            while (at > 0 && string.CompareOrdinal(sorted[at - 1].Key, item.Key) > 0) at--;
            sorted.Insert(at, item);
        }
        Items = sorted;
    }

    public IReadOnlyList<KeyValuePair<string, Value>> Items { get; }

    /// <summary>The values, in key order.</summary>
    public List<Value> Values()
    {
        var values = new List<Value>(Items.Count);
        for (var i = 0; i < Items.Count; i++) values.Add(Items[i].Value);
        return values;
    }

    public Value? Get(string key)
    {
        foreach (var i in Items)
            if (i.Key == key) return i.Value;
        return null;
    }

    public override bool Equals(Value? other) =>
        other is KeyedValue k && k.GetType() == GetType() && Type.Equals(k.Type)
        && Items.Count == k.Items.Count && Items.Zip(k.Items).All(p => p.First.Key == p.Second.Key && p.First.Value.Equals(p.Second.Value));
    public override int GetHashCode() => Items.Aggregate(GetType().GetHashCode(), (h, i) => h * 31 + i.Key.GetHashCode() + i.Value.GetHashCode());
}

public sealed class MapValue(HclType elementType, IEnumerable<KeyValuePair<string, Value>> items) : KeyedValue(items)
{
    public HclType ElementType { get; } = elementType;
    public override HclType Type => HclType.Map(ElementType);
}

public sealed class ObjectValue(IEnumerable<KeyValuePair<string, Value>> items) : KeyedValue(items)
{
    public static readonly ObjectValue Empty = new([]);
    public override HclType Type
    {
        get
        {
            var types = new Dictionary<string, HclType>(Items.Count);
            for (var i = 0; i < Items.Count; i++) types[Items[i].Key] = Items[i].Value.Type;
            return new ObjectType(types);
        }
    }
}
