using System.Numerics;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>cty's numeric functions: abs, ceil, floor, log, pow, signum, max, min, parseint.</summary>
internal static class NumericFunctions
{
    private static readonly HclType N = HclType.Number;

    public static IEnumerable<HclFunction> All() =>
    [
        Define("abs", [P("num", N)], a => Value.Of(Math.Abs(Num(a[0])))),
        Define("ceil", [P("num", N)], a => Value.Of(Math.Ceiling(Num(a[0])))),
        Define("floor", [P("num", N)], a => Value.Of(Math.Floor(Num(a[0])))),
        Define("log", [P("num", N), P("base", N)], a => Finite(Math.Log(Num(a[0])) / Math.Log(Num(a[1])))),
        Define("pow", [P("num", N), P("power", N)], a => Finite(Math.Pow(Num(a[0]), Num(a[1])))),
        Define("signum", [P("num", N)], a => Value.Of(Math.Sign(Num(a[0])))),
        Define("max", [], P("numbers", N), a => Extreme(a, Math.Max)),
        Define("min", [], P("numbers", N), a => Extreme(a, Math.Min)),
        Define("parseint", [P("number", HclType.Dynamic), P("base", N)], ParseInt),
    ];

    /// <summary>cty has no NaN: a result that is not a number (log of a negative) is an error.</summary>
    private static Value Finite(double d) =>
        double.IsNaN(d) ? throw new FunctionError("the result is not a number") : Value.Of(d);

    private static Value Extreme(IReadOnlyList<Value> a, Func<double, double, double> pick)
    {
        if (a.Count == 0) throw new FunctionError("must pass at least one number");
        var result = Num(a[0]);
        for (var i = 1; i < a.Count; i++) result = pick(result, Num(a[i]));
        return Value.Of(result);
    }

    private const string Digits = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    /// <summary>Go's big.Int SetString: an optional sign, then digits of the base; for bases up to 36 letters
    /// are read in either case, above it lower case is 10–35 and upper case 36–61.</summary>
    private static Value ParseInt(IReadOnlyList<Value> a)
    {
        if (a[0] is not StringValue s)
            throw new FunctionError($"first argument must be a string, not {a[0].Type.FriendlyName}", 0);
        var b = Int(a[1], 1);
        if (b < 2 || b > 62) throw new FunctionError("base must be a whole number between 2 and 62 inclusive", 1);

        var text = s.Value;
        var negative = text.StartsWith('-');
        var digits = text.StartsWith('-') || text.StartsWith('+') ? text[1..] : text;
        if (digits.Length == 0) throw CannotParse(text, b);
        var result = BigInteger.Zero;
        foreach (var c in digits)
        {
            var d = b <= 36 ? Digits.IndexOf(char.ToLowerInvariant(c)) : Digits.IndexOf(c);
            if (d < 0 || d >= b) throw CannotParse(text, b);
            result = result * b + d;
        }
        return Value.Of((double)(negative ? -result : result));
    }

    private static FunctionError CannotParse(string text, long b) =>
        new($"cannot parse {GoQuote.Quote(text)} as a base {b} integer", 0);
}
