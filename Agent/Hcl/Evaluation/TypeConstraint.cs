using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// A type expression read as HCL's typeexpr reads it (a variable's <c>type = ...</c>, <c>convert</c>'s second argument): the keywords <c>string</c>, <c>number</c>,
/// <c>bool</c> and <c>any</c>, and the constructors <c>list(T)</c>, <c>set(T)</c>, <c>map(T)</c>,
/// <c>object({name = T, ...})</c> and <c>tuple([T, ...])</c>.
/// </summary>
public static class TypeConstraint
{
    private const string Invalid = "Invalid type specification";

    public static HclType Parse(Expr expr)
    {
        switch (expr)
        {
            case ParenthesesExpr p:
                return Parse(p.Inner);
            case TraversalExpr { Steps.Count: 0 } keyword:
                return keyword.Root switch
                {
                    "string" => HclType.String,
                    "number" => HclType.Number,
                    "bool" => HclType.Bool,
                    "any" => HclType.Dynamic,
                    "list" or "set" or "map" or "object" or "tuple" => throw ArgumentCount(keyword.Root, keyword.Position),
                    _ => throw new EvaluationException(expr.Position, Invalid, $"The keyword \"{keyword.Root}\" is not a valid type specification."),
                };
            case FunctionCallExpr call:
                return Constructor(call);
            default:
                throw new EvaluationException(expr.Position, Invalid,
                    "A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string).");
        }
    }

    private static HclType Constructor(FunctionCallExpr call)
    {
        switch (call.Name)
        {
            case "string" or "number" or "bool" or "any":
                throw new EvaluationException(call.Position, Invalid, $"Primitive type keyword \"{call.Name}\" does not expect arguments.");
            case "list" or "set" or "map" or "object" or "tuple":
                if (call.Args.Count != 1) throw ArgumentCount(call.Name, call.Args.Count > 1 ? call.Args[1].Position : call.Position);
                break;
            default:
                throw new EvaluationException(call.Position, Invalid, $"Keyword \"{call.Name}\" is not a valid type constructor.");
        }

        var arg = call.Args[0];
        switch (call.Name)
        {
            case "list": return HclType.List(Parse(arg));
            case "set": return HclType.Set(Parse(arg));
            case "map": return HclType.Map(Parse(arg));
            case "object":
            {
                if (arg is not ObjectExpr obj)
                    throw new EvaluationException(arg.Position, Invalid,
                        "Object type constructor requires a map whose keys are attribute names and whose values are the corresponding attribute types.");
                var attributes = new Dictionary<string, HclType>();
                foreach (var item in obj.Items)
                {
                    if (item.Key is not LiteralExpr { Value: StringValue name })
                        throw new EvaluationException(item.Key.Position, Invalid, "Object constructor map keys must be attribute names.");
                    attributes[name.Value] = Parse(item.Value);
                }
                return new ObjectType(attributes);
            }
            default:
            {
                if (arg is not TupleExpr tuple)
                    throw new EvaluationException(arg.Position, Invalid, "Tuple type constructor requires a list of element types.");
                return new TupleType(tuple.Items.Select(Parse).ToList());
            }
        }
    }

    private static EvaluationException ArgumentCount(string name, HclPosition position) => new(position, Invalid, name switch
    {
        "object" => "The object type constructor requires one argument specifying the attribute types as an object.",
        "tuple" => "The tuple type constructor requires one argument specifying the element types as a list.",
        _ => $"The {name} type constructor requires one argument specifying the element type.",
    });
}
