using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Evaluation;

/// <summary>
/// HCL's operators on evaluated operands (hclsyntax's operation table over cty's stdlib): each operand is
/// converted to the operator's parameter type (number for arithmetic and comparison, bool for logic), with
/// "Invalid operand" when it cannot be; <c>==</c>/<c>!=</c> compare without conversion, so values of different
/// types are never equal (<c>1 == "1"</c> is false) while nulls of any type are. Both operands are always
/// evaluated (no short-circuit), as HCL 2 at Nomad 1.4.
/// </summary>
public static class Operators
{
    public static Value Binary(BinaryExpr e, Value left, Value right)
    {
        if (e.Operator is "==" or "!=")
            return Value.Of(left.Equals(right) == (e.Operator == "=="));

        var type = e.Operator is "&&" or "||" ? HclType.Bool : HclType.Number;
        var diagnostics = new List<HclDiagnostic>();
        var l = Operand(left, type, e.Left.Position, "left", diagnostics);
        var r = Operand(right, type, e.Right.Position, "right", diagnostics);
        if (diagnostics.Count > 0) throw new EvaluationException(diagnostics);
        if (l.IsNull || r.IsNull) throw Failed(e.Position, "argument must not be null");

        if (type == HclType.Bool)
        {
            var (a, b) = (((BoolValue)l).Value, ((BoolValue)r).Value);
            return Value.Of(e.Operator == "&&" ? a && b : a || b);
        }

        var (x, y) = (((NumberValue)l).Value, ((NumberValue)r).Value);
        return e.Operator switch
        {
            "+" => Number(x + y, e.Position),
            "-" => Number(x - y, e.Position),
            "*" => Number(x * y, e.Position),
            "/" => Divide(x, y, e.Position),
            "%" => Modulo(x, y, e.Position),
            "<" => Value.Of(x < y),
            ">" => Value.Of(x > y),
            "<=" => Value.Of(x <= y),
            ">=" => Value.Of(x >= y),
            _ => throw new EvaluationException(e.Position, "Invalid operator", $"The operator \"{e.Operator}\" is not supported."),
        };
    }

    public static Value Unary(UnaryExpr e, Value operand)
    {
        var type = e.Operator == "!" ? HclType.Bool : HclType.Number;
        var diagnostics = new List<HclDiagnostic>();
        var v = Operand(operand, type, e.Operand.Position, "unary", diagnostics);
        if (diagnostics.Count > 0) throw new EvaluationException(diagnostics);
        if (v.IsNull) throw Failed(e.Position, "argument must not be null");
        return v is BoolValue b ? Value.Of(!b.Value) : Value.Of(-((NumberValue)v).Value);
    }

    private static Value Operand(Value value, HclType type, HclPosition position, string which, List<HclDiagnostic> diagnostics)
    {
        try { return ValueConversion.Convert(value, type); }
        catch (ConversionException ex)
        {
            diagnostics.Add(new HclDiagnostic(position, "Invalid operand", $"Unsuitable value for {which} operand: {ex.Message}."));
            return value;
        }
    }

    private static Value Divide(double x, double y, HclPosition position)
    {
        if ((x == 0 && y == 0) || (double.IsInfinity(x) && double.IsInfinity(y)))
            throw Failed(position, "can't divide zero by zero or infinity by infinity");
        return Value.Of(x / y);
    }

    // cty: the remainder has the dividend's sign (truncated division), and x % 0 is x.
    private static Value Modulo(double x, double y, HclPosition position)
    {
        if (double.IsInfinity(x) || double.IsInfinity(y))
        {
            if (x == 0 || y == 0) throw Failed(position, "can't use modulo with zero and infinity");
            return Value.Of(x * y);
        }
        return y == 0 ? Value.Of(x) : Value.Of(x % y);
    }

    private static Value Number(double d, HclPosition position) =>
        double.IsNaN(d) ? throw Failed(position, "the result is not a number") : Value.Of(d);

    private static EvaluationException Failed(HclPosition position, string problem) =>
        new(position, "Operation failed", $"Error during operation: {problem}.");
}
