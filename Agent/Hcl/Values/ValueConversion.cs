using System.Globalization;

namespace Nomad.Agent.Hcl.Values;

/// <summary>A value that cannot be converted to the wanted type; the message is cty's ("a number is required").</summary>
public sealed class ConversionException(string message) : Exception(message);

/// <summary>
/// HCL2's automatic type conversions (cty's convert package): between primitives (number ↔ string, bool ↔
/// string), between the sequence kinds (tuple, list, set) and between the keyed kinds (object, map), element by
/// element; and <see cref="Unify"/>, the one type several values can all convert to (for conditionals and list
/// literals). A null converts to a null of the wanted type.
/// </summary>
public static class ValueConversion
{
    public static Value Convert(Value value, HclType want)
    {
        if (want == HclType.Dynamic || value.Type.Equals(want)) return value;
        if (value.IsNull) return Value.Null(want);

        switch (want)
        {
            case PrimitiveType:
                return ToPrimitive(value, want);
            case ListType l when value is SequenceValue s:
                return new ListValue(ElementTypeFor(l.Element, s.Items), ConvertAll(s.Items, l.Element));
            case SetType st when value is SequenceValue s:
                return SetValue.Create(ElementTypeFor(st.Element, s.Items), ConvertAll(s.Items, st.Element));
            case TupleType t when value is ListValue or TupleValue:
            {
                var items = ((SequenceValue)value).Items;
                if (items.Count != t.Elements.Count)
                    throw new ConversionException($"tuple required with {t.Elements.Count} elements, got {items.Count}");
                return new TupleValue(items.Select((v, i) => ConvertAt(v, t.Elements[i], $"element {i}")).ToList());
            }
            case MapType m when value is KeyedValue k:
            {
                var elementType = ElementTypeFor(m.Element, k.Items.Select(i => i.Value).ToList());
                return new MapValue(elementType, k.Items.Select(i =>
                    KeyValuePair.Create(i.Key, ConvertAt(i.Value, elementType, $"element \"{i.Key}\""))).ToList());
            }
            case ObjectType o when value is KeyedValue k:
            {
                var result = new List<KeyValuePair<string, Value>>();
                foreach (var (name, type) in o.Attributes)
                {
                    var v = k.Get(name) ?? throw new ConversionException($"attribute \"{name}\" is required");
                    result.Add(KeyValuePair.Create(name, ConvertAt(v, type, $"attribute \"{name}\"")));
                }
                return new ObjectValue(result);
            }
        }
        throw new ConversionException($"{Article(want)} {want.FriendlyName} is required");
    }

    /// <summary>Whether <see cref="Convert"/> would succeed.</summary>
    public static bool CanConvert(Value value, HclType want)
    {
        try { Convert(value, want); return true; }
        catch (ConversionException) { return false; }
    }

    /// <summary>
    /// The type all of <paramref name="types"/> convert to, or null if there is none: the type itself when they
    /// agree; string for a mix of primitives; a list (map) of the unified element type for sequences (keyed
    /// values); <see cref="HclType.Dynamic"/> when any is dynamic (an untyped null).
    /// </summary>
    public static HclType? Unify(IReadOnlyList<HclType> types)
    {
        var known = types.Where(t => t != HclType.Dynamic).ToList();
        if (known.Count == 0) return HclType.Dynamic;
        if (known.All(t => t.Equals(known[0]))) return known[0];
        if (known.All(t => t.IsPrimitive)) return HclType.String;
        if (known.All(t => t is ListType or TupleType or SetType))
        {
            var element = Unify(known.SelectMany(ElementTypes).ToList());
            return element is null ? null : known.All(t => t is SetType) ? HclType.Set(element) : HclType.List(element);
        }
        if (known.All(t => t is MapType or ObjectType))
        {
            if (known.All(t => t is ObjectType o && o.Attributes.Keys.Order().SequenceEqual(((ObjectType)known[0]).Attributes.Keys.Order())))
            {
                var attrs = new Dictionary<string, HclType>();
                foreach (var name in ((ObjectType)known[0]).Attributes.Keys)
                {
                    var t = Unify(known.Select(k => ((ObjectType)k).Attributes[name]).ToList());
                    if (t is null) return null;
                    attrs[name] = t;
                }
                return new ObjectType(attrs);
            }
            var element = Unify(known.SelectMany(ElementTypes).ToList());
            return element is null ? null : HclType.Map(element);
        }
        return null;
    }

    private static IEnumerable<HclType> ElementTypes(HclType t) => t switch
    {
        ListType l => [l.Element],
        SetType s => [s.Element],
        MapType m => [m.Element],
        TupleType tu => tu.Elements,
        ObjectType o => o.Attributes.Values,
        _ => [],
    };

    private static Value ToPrimitive(Value value, HclType want)
    {
        if (want == HclType.String)
        {
            return value switch
            {
                NumberValue n => Value.Of(n.ToString()),
                BoolValue b => Value.Of(b.ToString()),
                _ => throw new ConversionException("string required"),
            };
        }
        if (want == HclType.Number)
        {
            if (value is StringValue s && TryParseNumber(s.Value, out var d)) return Value.Of(d);
            throw new ConversionException("a number is required");
        }
        if (want == HclType.Bool)
        {
            if (value is StringValue s)
            {
                switch (s.Value)
                {
                    case "true" or "1": return Value.True;
                    case "false" or "0": return Value.False;
                }
            }
            throw new ConversionException("a bool is required");
        }
        throw new ConversionException($"{want.FriendlyName} required");
    }

    /// <summary>A decimal number as HCL writes one (no hex, no infinity, no surrounding spaces).</summary>
    public static bool TryParseNumber(string s, out double d)
    {
        d = 0;
        if (s.Length == 0 || char.IsWhiteSpace(s[0]) || char.IsWhiteSpace(s[^1])) return false;
        return double.TryParse(s, NumberStyles.AllowLeadingSign | NumberStyles.AllowDecimalPoint | NumberStyles.AllowExponent,
            CultureInfo.InvariantCulture, out d) && double.IsFinite(d);
    }

    private static List<Value> ConvertAll(IReadOnlyList<Value> items, HclType element)
    {
        var type = ElementTypeFor(element, items);
        return items.Select((v, i) => ConvertAt(v, type, $"element {i}")).ToList();
    }

    /// <summary>For a collection of "any" (<c>list(any)</c>), the one type the elements unify to.</summary>
    private static HclType ElementTypeFor(HclType wanted, IReadOnlyList<Value> items)
    {
        if (wanted != HclType.Dynamic) return wanted;
        return Unify(items.Select(i => i.Type).ToList())
            ?? throw new ConversionException("all elements must have the same type");
    }

    private static Value ConvertAt(Value v, HclType type, string where)
    {
        try { return Convert(v, type); }
        catch (ConversionException e) { throw new ConversionException($"{where}: {e.Message}"); }
    }

    private static string Article(HclType t) => t.FriendlyName[0] is 'a' or 'e' or 'i' or 'o' or 'u' ? "an" : "a";
}
