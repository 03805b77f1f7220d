using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// cty's collection functions as jobspec2 names them. Note cty's own shapes where they differ from Terraform's
/// functions of the same name: <c>index(collection, key)</c> reads collection[key]; <c>lookup</c> needs its
/// default.
/// </summary>
internal static class CollectionFunctions
{
    private static readonly HclType D = HclType.Dynamic;
    private static readonly HclType N = HclType.Number;

    public static IEnumerable<HclFunction> All() =>
    [
        Define("chunklist", [P("list", AnyList), P("size", N)], Chunklist),
        Define("coalesce", [], P("vals", D, allowNull: true), Coalesce),
        Define("coalescelist", [], P("vals", D, allowNull: true), CoalesceList),
        Define("compact", [P("list", StringList)], a =>
            List(HclType.String, a[0].Elements.Where(v => !v.IsNull && Str(v) != ""))),
        Define("concat", [], P("seqs", D), Concat),
        Define("contains", [P("list", D), P("value", D)], Contains),
        Define("distinct", [P("list", AnyList)], a =>
            new ListValue(((ListValue)a[0]).ElementType, a[0].Elements.Distinct().ToList())),
        Define("element", [P("list", D), P("index", N)], Element),
        Define("flatten", [P("list", D)], Flatten),
        Define("index", [P("collection", D), P("key", D)], Index),
        Define("keys", [P("inputMap", D)], Keys),
        Define("length", [P("value", D)], Length),
        Define("lookup", [P("inputMap", D), P("key", HclType.String), P("default", D, allowNull: true)], Lookup),
        Define("merge", [], P("maps", D, allowNull: true), Merge),
        Define("range", [], P("params", N), Range),
        Define("slice", [P("list", D), P("start_index", N), P("end_index", N)], Slice),
        Define("sort", [P("list", StringList)], Sort),
        Define("values", [P("values", D)], Values),
        Define("zipmap", [P("keys", StringList), P("values", D)], Zipmap),
    ];

    private static Value Chunklist(IReadOnlyList<Value> a)
    {
        var list = (ListValue)a[0];
        var type = list.Type;
        if (list.Items.Count == 0) return new ListValue(type, []);
        var size = Int(a[1]);
        if (size < 0) throw new FunctionError("the size argument must be positive");
        if (size == 0) return new ListValue(type, [list]);
        var chunks = list.Items.Chunk((int)Math.Min(size, int.MaxValue))
            .Select(c => (Value)new ListValue(list.ElementType, c)).ToList();
        return new ListValue(type, chunks);
    }

    private static Value Coalesce(IReadOnlyList<Value> a)
    {
        var type = a.Count == 0 ? null : ValueConversion.Unify(a.Select(v => v.Type).ToList());
        if (type is null) throw new FunctionError("all arguments must have the same type");
        foreach (var v in a)
        {
            var converted = ValueConversion.Convert(v, type);
            if (converted.IsNull) continue;
            if (type == HclType.String && Str(converted) == "") continue;
            return converted;
        }
        throw new FunctionError("no non-null, non-empty-string arguments");
    }

    private static Value CoalesceList(IReadOnlyList<Value> a)
    {
        if (a.Count == 0) throw new FunctionError("at least one argument is required");
        if (a.Any(v => v.Type is not (ListType or TupleType)))
            throw new FunctionError("coalescelist arguments must be lists or tuples");
        foreach (var v in a)
            if (!v.IsNull && v.Elements.Count > 0) return v;
        throw new FunctionError("no non-null arguments");
    }

    /// <summary>Lists of one element type give a list; any tuple among them gives a tuple.</summary>
    private static Value Concat(IReadOnlyList<Value> a)
    {
        if (a.Count == 0) throw new FunctionError("at least one argument is required");
        if (a.All(v => v is ListValue))
        {
            var type = ValueConversion.Unify(a.Select(v => v.Type).ToList());
            if (type is ListType lt)
                return new ListValue(lt.Element, a.SelectMany(v => ((SequenceValue)ValueConversion.Convert(v, type)).Items).ToList());
        }
        for (var i = 0; i < a.Count; i++)
            if (a[i] is not (ListValue or TupleValue))
                throw new FunctionError($"all arguments must be lists or tuples; got {a[i].Type.FriendlyName}", i);
        return new TupleValue(a.SelectMany(v => v.Elements).ToList());
    }

    private static Value Contains(IReadOnlyList<Value> a)
    {
        if (a[0].Type is not (ListType or TupleType or SetType)) throw new FunctionError("argument must be list, tuple, or set");
        return Value.Of(a[0].Elements.Contains(a[1]));
    }

    private static Value Element(IReadOnlyList<Value> a)
    {
        if (Num(a[1]) < 0) throw new FunctionError("cannot use element function with a negative index");
        if (a[0] is not (ListValue or TupleValue))
            throw new FunctionError($"cannot read elements from {a[0].Type.FriendlyName}");
        long index;
        try { index = Int(a[1]); }
        catch (FunctionError e) { throw new FunctionError($"invalid index: {e.Message}"); }
        var items = a[0].Elements;
        if (items.Count == 0) throw new FunctionError("cannot use element function with an empty list");
        return items[(int)(index % items.Count)];
    }

    private static Value Flatten(IReadOnlyList<Value> a)
    {
        if (a[0].Type is not (ListType or SetType or TupleType)) throw new FunctionError("can only flatten lists, sets and tuples");
        var result = new List<Value>();
        Flatten(a[0], result);
        return new TupleValue(result);
    }

    private static void Flatten(Value sequence, List<Value> into)
    {
        foreach (var v in sequence.Elements)
        {
            if (v is SequenceValue) Flatten(v, into);
            else into.Add(v);
        }
    }

    private static Value Index(IReadOnlyList<Value> a)
    {
        var collection = a[0];
        var key = a[1];
        switch (collection)
        {
            case TupleValue or ListValue:
            {
                var kind = collection is TupleValue ? "tuple" : "list";
                if (key.Type != N && key.Type != D) throw new FunctionError($"key for {kind} must be number");
                if (key.IsNull) throw new FunctionError("invalid index");
                var items = collection.Elements;
                var n = Num(key);
                if (collection is TupleValue && (n != Math.Floor(n) || n < 0 || n >= items.Count))
                    throw new FunctionError(n != Math.Floor(n)
                        ? "invalid key for tuple: value must be a whole number, between -9223372036854775808 and 9223372036854775807"
                        : $"key must be between 0 and {items.Count} inclusive");
                if (n != Math.Floor(n) || n < 0 || n >= items.Count) throw new FunctionError("invalid index");
                return items[(int)n];
            }
            case MapValue map:
            {
                if (key.Type != HclType.String && key.Type != D) throw new FunctionError("key for map must be string");
                return (key.IsNull ? null : map.Get(Str(key))) ?? throw new FunctionError("invalid index");
            }
            default:
                throw new FunctionError("collection must be a list, a map or a tuple");
        }
    }

    private static Value Keys(IReadOnlyList<Value> a) => a[0] switch
    {
        MapValue m => Strings(m.Items.Select(i => i.Key)),
        ObjectValue o => new TupleValue(o.Items.Select(i => Value.Of(i.Key)).ToList()),
        _ => throw new FunctionError("must have map or object type", 0),
    };

    /// <summary>Elements of a collection or structure; characters of a string (cty's later LengthFunc, as Nomad's docs show).</summary>
    private static Value Length(IReadOnlyList<Value> a) => a[0] switch
    {
        StringValue s => Value.Of(Graphemes.Count(s.Value)),
        SequenceValue or KeyedValue => Value.Of(a[0].Elements.Count),
        _ => throw new FunctionError("argument must be a string, a collection type, or a structural type"),
    };

    private static Value Lookup(IReadOnlyList<Value> a)
    {
        var key = Str(a[1]);
        switch (a[0])
        {
            case ObjectValue o:
                return o.Get(key) ?? a[2];
            case MapValue m:
            {
                Value fallback;
                try { fallback = ValueConversion.Convert(a[2], m.ElementType); }
                catch (ConversionException) { throw new FunctionError("the default value must have the same type as the map elements", 2); }
                return m.Get(key) ?? fallback;
            }
            default:
                throw new FunctionError("lookup() requires a map as the first argument", 0);
        }
    }

    /// <summary>Later arguments win; all of one type keep it (maps stay a map), a mix gives an object.</summary>
    private static Value Merge(IReadOnlyList<Value> a)
    {
        if (a.Count == 0) return ObjectValue.Empty;
        foreach (var v in a)
            if (v.Type is not (MapType or ObjectType) && v.Type != D)
                throw new FunctionError($"arguments must be maps or objects, got \"{v.Type.FriendlyName}\"");
        var merged = new Dictionary<string, Value>();
        foreach (var v in a.Where(v => !v.IsNull))
            foreach (var (k, item) in ((KeyedValue)v).Items)
                merged[k] = item;
        var first = a[0].Type;
        var sameType = a.All(v => v.Type.Equals(first));
        if (a.All(v => v.IsNull)) return Value.Null(sameType ? first : new ObjectType(new Dictionary<string, HclType>()));
        if (sameType && first is MapType mt) return new MapValue(mt.Element, merged);
        return new ObjectValue(merged);
    }

    private static Value Range(IReadOnlyList<Value> a)
    {
        double start, end, step;
        switch (a.Count)
        {
            case 1: (start, end, step) = (0, Num(a[0]), Num(a[0]) < 0 ? -1 : 1); break;
            case 2: (start, end, step) = (Num(a[0]), Num(a[1]), Num(a[1]) < Num(a[0]) ? -1 : 1); break;
            case 3: (start, end, step) = (Num(a[0]), Num(a[1]), Num(a[2])); break;
            default: throw new FunctionError("must have one, two, or three arguments");
        }
        if (step == 0) throw new FunctionError("step must not be zero", 2);
        var down = step < 0;
        if (down && end > start) throw new FunctionError("end must be less than start when step is negative", 1);
        if (!down && end < start) throw new FunctionError("end must be greater than start when step is positive", 1);
        // cty adds exact decimals (0.1 + 0.2 is 0.3); decimal arithmetic does the same for the numbers job files use.
        var exact = Math.Abs(start) < 1e15 && Math.Abs(end) < 1e15 && Math.Abs(step) < 1e15;
        decimal exactNumber = exact ? (decimal)start : 0, exactStep = exact ? (decimal)step : 0;
        var values = new List<Value>();
        for (var n = start; down ? n > end : n < end;)
        {
            if (values.Count >= 1024)
                throw new FunctionError("more than 1024 values were generated; either decrease the difference between start and end or use a smaller step");
            values.Add(Value.Of(n));
            if (exact)
            {
                exactNumber += exactStep;
                n = (double)exactNumber;
            }
            else
            {
                n += step;
            }
        }
        return new ListValue(N, values);
    }

    private static Value Slice(IReadOnlyList<Value> a)
    {
        if (a[0] is SetValue)
            throw new FunctionError("cannot slice a set, because its elements do not have indices; explicitly convert to a list if the ordering of the result is not important", 0);
        if (a[0] is not (ListValue or TupleValue)) throw new FunctionError("must be a list or tuple value", 0);
        var items = a[0].Elements;
        long start, end;
        try { start = Int(a[1]); }
        catch (FunctionError e) { throw new FunctionError($"invalid start index: {e.Message}", 1); }
        if (start < 0) throw new FunctionError("start index must not be less than zero", 1);
        if (start > items.Count) throw new FunctionError("start index must not be greater than the length of the list", 1);
        try { end = Int(a[2]); }
        catch (FunctionError e) { throw new FunctionError($"invalid end index: {e.Message}", 2); }
        if (end < 0) throw new FunctionError("end index must not be less than zero", 2);
        if (end > items.Count) throw new FunctionError("end index must not be greater than the length of the list", 2);
        if (start > end) throw new FunctionError("start index must not be greater than end index", 1);
        var slice = items.Skip((int)start).Take((int)(end - start)).ToList();
        return a[0] is ListValue l ? new ListValue(l.ElementType, slice) : new TupleValue(slice);
    }

    private static Value Sort(IReadOnlyList<Value> a)
    {
        var items = a[0].Elements;
        for (var i = 0; i < items.Count; i++)
            if (items[i].IsNull) throw new FunctionError($"given list element {i} is null; a null string cannot be sorted");
        return Strings(items.Select(Str).Order(CodePointComparer.Instance));
    }

    private static Value Values(IReadOnlyList<Value> a) => a[0] switch
    {
        MapValue m => new ListValue(m.ElementType, m.Elements),
        ObjectValue o => new TupleValue(o.Elements),
        _ => throw new FunctionError("values() requires a map as the first argument"),
    };

    private static Value Zipmap(IReadOnlyList<Value> a)
    {
        var keys = a[0].Elements;
        if (a[1] is not (ListValue or TupleValue)) throw new FunctionError("values argument must be a list or tuple value");
        var values = a[1].Elements;
        if (keys.Count != values.Count)
            throw new FunctionError($"number of keys ({keys.Count}) does not match number of values ({values.Count})");
        var pairs = new Dictionary<string, Value>();
        for (var i = 0; i < keys.Count; i++)
        {
            if (keys[i].IsNull) throw new FunctionError($"keys list has null value at index {i}");
            pairs[Str(keys[i])] = values[i];
        }
        return a[1] is ListValue l ? new MapValue(l.ElementType, pairs) : new ObjectValue(pairs);
    }
}
