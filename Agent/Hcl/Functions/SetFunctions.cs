using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>cty's set functions: setunion, setintersection (sets of one unified element type) and setproduct.</summary>
internal static class SetFunctions
{
    private static readonly HclType AnySet = HclType.Set(HclType.Dynamic);

    public static IEnumerable<HclFunction> All() =>
    [
        Define("setunion", [P("first_set", AnySet)], P("other_sets", AnySet), a => SetOperation(a, (x, y) => x.Union(y))),
        Define("setintersection", [P("first_set", AnySet)], P("other_sets", AnySet), a => SetOperation(a, (x, y) => x.Intersect(y))),
        Define("setproduct", [], P("sets", HclType.Dynamic), SetProduct),
    ];

    /// <summary>The element types unify (an empty set of no particular type takes part in none of it).</summary>
    private static Value SetOperation(IReadOnlyList<Value> a, Func<IEnumerable<Value>, IEnumerable<Value>, IEnumerable<Value>> op)
    {
        var typed = a.Where(s => !(s.Elements.Count == 0 && ((SetValue)s).ElementType == HclType.Dynamic)).ToList();
        var elementType = typed.Count == 0
            ? HclType.Dynamic
            : ValueConversion.Unify(typed.Select(s => ((SetValue)s).ElementType).ToList())
              ?? throw new FunctionError("given sets must all have compatible element types");
        var sets = a.Select(s => ValueConversion.Convert(s, HclType.Set(elementType)).Elements).ToList();
        var result = sets.Skip(1).Aggregate((IEnumerable<Value>)sets[0], op);
        return SetValue.Create(elementType, result);
    }

    /// <summary>Every combination, as tuples: a list when every argument is a list or tuple, else a set.</summary>
    private static Value SetProduct(IReadOnlyList<Value> a)
    {
        if (a.Count < 2) throw new FunctionError("at least two arguments are required");
        // The product grows as the lengths multiply: refuse one too large to hold rather than run out of memory.
        if (a.Aggregate(1.0, (n, v) => n * (v is SequenceValue s ? s.Items.Count : 1)) > 1_000_000)
            throw new FunctionError("the product would have more than 1000000 elements");
        var elementTypes = new List<HclType>();
        var lists = 0;
        for (var i = 0; i < a.Count; i++)
        {
            switch (a[i])
            {
                case SetValue s: elementTypes.Add(s.ElementType); break;
                case ListValue l: elementTypes.Add(l.ElementType); lists++; break;
                case TupleValue t:
                    elementTypes.Add(t.Items.Count == 0 ? HclType.Dynamic
                        : ValueConversion.Unify(t.Items.Select(v => v.Type).ToList())
                          ?? throw new FunctionError("all elements must be of the same type", i));
                    lists++;
                    break;
                default: throw new FunctionError("a set or a list is required", i);
            }
        }
        var tupleType = new TupleType(elementTypes);
        IEnumerable<List<Value>> product = [[]];
        for (var i = 0; i < a.Count; i++)
        {
            var index = i;
            product = product.SelectMany(prefix => a[index].Elements.Select(v =>
                new List<Value>(prefix) { ValueConversion.Convert(v, elementTypes[index]) }));
        }
        var tuples = product.Select(p => (Value)new TupleValue(p)).ToList();
        return lists == a.Count ? new ListValue(tupleType, tuples) : SetValue.Create(tupleType, tuples);
    }
}
