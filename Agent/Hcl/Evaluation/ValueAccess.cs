using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// <c>collection[key]</c> and <c>object.name</c> with HCL's rules and error texts (hcl.Index, hcl.GetAttr): lists
/// and tuples take whole-number keys, maps string keys, objects attribute names; sets cannot be indexed.
/// </summary>
public static class ValueAccess
{
    public static Value Index(Value collection, Value key, HclPosition position)
    {
        if (collection.IsNull)
            throw new EvaluationException(position, "Attempt to index null value", "This value is null, so it does not have any indices.");
        if (key.IsNull)
            throw new EvaluationException(position, "Invalid index", "Can't use a null value as an indexing key.");

        switch (collection)
        {
            case ListValue or TupleValue:
            {
                var items = ((SequenceValue)collection).Items;
                var n = (NumberValue)ConvertKey(key, HclType.Number, position);
                if (n.Value != Math.Floor(n.Value))
                    throw new EvaluationException(position, "Invalid index",
                        "The given key does not identify an element in this collection value: indexing a sequence requires a whole " +
                        $"number, but the given index ({n}) has a fractional part.");
                if (n.Value < 0 || n.Value >= items.Count) throw NoSuchElement(position);
                return items[(int)n.Value];
            }
            case MapValue map:
            {
                var s = (StringValue)ConvertKey(key, HclType.String, position);
                return map.Get(s.Value) ?? throw NoSuchElement(position);
            }
            case ObjectValue obj:
            {
                var s = (StringValue)ConvertKey(key, HclType.String, position);
                return obj.Get(s.Value) ?? throw new EvaluationException(position, "Invalid index",
                    "The given key does not identify an element in this collection value." +
                    (key is NumberValue ? " An object only supports looking up attributes by name, not by numeric index." : ""));
            }
            case SetValue:
                throw new EvaluationException(position, "Invalid index",
                    "Elements of a set are identified only by their value and don't have any separate index or key to select with, " +
                    "so it's only possible to perform operations across all elements of the set.");
            default:
                throw new EvaluationException(position, "Invalid index", "This value does not have any indices.");
        }
    }

    public static Value GetAttr(Value value, string name, HclPosition position)
    {
        if (value.IsNull)
            throw new EvaluationException(position, "Attempt to get attribute from null value",
                "This value is null, so it does not have any attributes.");
        return value switch
        {
            ObjectValue obj => obj.Get(name) ?? throw new EvaluationException(position, "Unsupported attribute",
                $"This object does not have an attribute named \"{name}\"."),
            MapValue map => map.Get(name) ?? throw new EvaluationException(position, "Missing map element",
                $"This map does not have an element with the key \"{name}\"."),
            _ => throw new EvaluationException(position, "Unsupported attribute", "This value does not have any attributes."),
        };
    }

    private static Value ConvertKey(Value key, HclType type, HclPosition position)
    {
        try { return ValueConversion.Convert(key, type); }
        catch (ConversionException e)
        {
            throw new EvaluationException(position, "Invalid index",
                $"The given key does not identify an element in this collection value: {e.Message}.");
        }
    }

    private static EvaluationException NoSuchElement(HclPosition position) =>
        new(position, "Invalid index", "The given key does not identify an element in this collection value.");
}
