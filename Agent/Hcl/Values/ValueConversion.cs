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
            {
                var element = ElementTypeFor(l.Element, value, "list");
                return new ListValue(element, ConvertAll(s.Items, element));
            }
            case SetType st when value is SequenceValue s:
            {
                var element = ElementTypeFor(st.Element, value, "set");
                return SetValue.Create(element, ConvertAll(s.Items, element));
            }
            case TupleType t when value is ListValue or TupleValue:
            {
                var items = ((SequenceValue)value).Items;
                if (items.Count != t.Elements.Count)
                    throw new ConversionException($"tuple required with {t.Elements.Count} elements, got {items.Count}");
                return new TupleValue(items.Select((v, i) => ConvertAt(v, t.Elements[i], $"element {i}")).ToList());
            }
            case MapType m when value is KeyedValue k:
            {
                var elementType = ElementTypeFor(m.Element, value, "map");
                var items = new List<KeyValuePair<string, Value>>(k.Items.Count);
                foreach (var i in k.Items) items.Add(KeyValuePair.Create(i.Key, ConvertAt(i.Value, elementType, $"element \"{i.Key}\"")));
                return new MapValue(elementType, items);
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
        throw new ConversionException($"{ConstraintName(want)} required");
    }

    /// <summary>How cty names a wanted type in a mismatch ("list of string", "list of any single type", "object").</summary>
    public static string ConstraintName(HclType type) => type switch
    {
        ListType l => $"list of {ElementConstraintName(l.Element)}",
        SetType s => $"set of {ElementConstraintName(s.Element)}",
        MapType m => $"map of {ElementConstraintName(m.Element)}",
        _ => type.FriendlyName,
    };

    private static string ElementConstraintName(HclType element) =>
        element == HclType.Dynamic ? "any single type" : ConstraintName(element);

    /// <summary>Whether <see cref="Convert"/> would succeed.</summary>
    public static bool CanConvert(Value value, HclType want)
    {
        try { Convert(value, want); return true; }
        catch (ConversionException) { return false; }
    }

    /// <summary>
    /// The type all of <paramref name="types"/> convert to, or null if there is none: the type itself when they
    /// agree; string for a mix of primitives; a tuple of unified elements for tuples of one length; a list (map) of
    /// the unified element type for other sequences (keyed values). Dynamic types (untyped nulls) take no part;
    /// <see cref="HclType.Dynamic"/> when there is nothing else.
    /// </summary>
    public static HclType? Unify(IReadOnlyList<HclType> types)
    {
        var known = types.Where(t => t != HclType.Dynamic).ToList();
        if (known.Count == 0) return HclType.Dynamic;
        if (known.All(t => t.Equals(known[0]))) return known[0];
        if (known.All(t => t.IsPrimitive)) return HclType.String;
        if (known.All(t => t is TupleType tt && tt.Elements.Count == ((TupleType)known[0]).Elements.Count))
        {
            // Tuples of one length stay a tuple, element by element (cty's unifyTupleTypes).
            var elements = new List<HclType>();
            for (var i = 0; i < ((TupleType)known[0]).Elements.Count; i++)
            {
                var t = Unify(known.Select(k => ((TupleType)k).Elements[i]).ToList());
                if (t is null) return null;
                elements.Add(t);
            }
            return new TupleType(elements);
        }
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
        // A string that does not read as the wanted primitive is "a number is required"; a value of another
        // kind altogether (a list, a bool for a number) is cty's plain mismatch, "number required".
        if (want == HclType.Number)
        {
            if (value is not StringValue s) throw new ConversionException("number required");
            if (TryParseNumber(s.Value, out var d)) return Value.Of(d);
            throw new ConversionException("a number is required");
        }
        if (want == HclType.Bool)
        {
            if (value is not StringValue s) throw new ConversionException("bool required");
            switch (s.Value)
            {
                case "true" or "1": return Value.True;
                case "false" or "0": return Value.False;
            }
            var lower = s.Value.ToLowerInvariant();
            if (lower is "true" or "false")
                throw new ConversionException($"a bool is required; to convert from string, use lowercase \"{lower}\"");
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

    private static List<Value> ConvertAll(IReadOnlyList<Value> items, HclType element) =>
        items.Select((v, i) => ConvertAt(v, element, $"element {i}")).ToList();

    /// <summary>
    /// For a collection of "any" (<c>list(any)</c>), the element type: a collection's own element type (so an
    /// empty <c>list(string)</c> stays one), else the one type a tuple's or object's elements unify to.
    /// </summary>
    private static HclType ElementTypeFor(HclType wanted, Value value, string kind)
    {
        if (wanted != HclType.Dynamic) return wanted;
        switch (value)
        {
            case ListValue l: return l.ElementType;
            case SetValue s: return s.ElementType;
            case MapValue m: return m.ElementType;
        }
        return Unify(value.Elements.Select(i => i.Type).ToList())
            ?? throw new ConversionException($"all {kind} elements must have the same type");
    }

    private static Value ConvertAt(Value v, HclType type, string where)
    {
        try { return Convert(v, type); }
        catch (ConversionException e) { throw new ConversionException($"{where}: {e.Message}"); }
    }
}
