using System.Globalization;
using System.Numerics;
using System.Text;

namespace Nomad.Agent.Hcl.Values;

/// <summary>
/// Numbers written as Go writes them (strconv/big.Float): <c>'f'</c>, <c>'e'</c>, <c>'g'</c> with a precision or
/// the shortest digits that read back the same (precision -1). cty converts numbers to strings with
/// <c>Text('f', -1)</c> and format's <c>%v</c> with <c>Text('g', -1)</c>. Rounding to a precision is half-to-even
/// on the exact binary value, as Go's.
/// </summary>
public static class GoFloat
{
    /// <summary>Decimal digits (no leading or trailing zeros) and the place of the point: value = 0.Digits × 10^Point.</summary>
    private record struct Decimal(string Digits, int Point);

    public static string Format(double value, char verb, int precision)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsInfinity(value)) return value > 0 ? "+Inf" : "-Inf";
        var negative = value < 0 || (value == 0 && double.IsNegative(value));
        var shortest = precision < 0;
        var d = shortest ? Shortest(Math.Abs(value)) : Exact(Math.Abs(value));
        var lower = char.ToLowerInvariant(verb);
        var eChar = char.IsUpper(verb) ? 'E' : 'e';

        if (shortest)
        {
            precision = lower switch
            {
                'e' => Math.Max(d.Digits.Length - 1, 0),
                'f' => Math.Max(d.Digits.Length - d.Point, 0),
                _ => d.Digits.Length,
            };
        }
        else
        {
            switch (lower)
            {
                case 'e': d = Round(d, 1 + precision); break;
                case 'f': d = Round(d, d.Point + precision); break;
                default:
                    if (precision == 0) precision = 1;
                    d = Round(d, precision);
                    break;
            }
        }

        string body;
        switch (lower)
        {
            case 'e': body = FormatE(d, precision, eChar); break;
            case 'f': body = FormatF(d, precision); break;
            default:
            {
                var eprec = precision;
                if (eprec > d.Digits.Length && d.Digits.Length >= d.Point) eprec = d.Digits.Length;
                if (shortest) eprec = 6;
                var exp = d.Point - 1;
                if (d.Digits.Length == 0) exp = 0;
                if (exp < -4 || exp >= eprec)
                {
                    if (precision > d.Digits.Length) precision = d.Digits.Length;
                    body = FormatE(d, Math.Max(precision - 1, 0), eChar);
                }
                else
                {
                    if (precision > d.Point) precision = d.Digits.Length;
                    body = FormatF(d, Math.Max(precision - d.Point, 0));
                }
                break;
            }
        }
        return negative ? "-" + body : body;
    }

    private static string FormatE(Decimal d, int precision, char e)
    {
        var sb = new StringBuilder();
        sb.Append(d.Digits.Length > 0 ? d.Digits[0] : '0');
        if (precision > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= precision; i++) sb.Append(i < d.Digits.Length ? d.Digits[i] : '0');
        }
        var exp = d.Digits.Length > 0 ? d.Point - 1 : 0;
        sb.Append(e).Append(exp < 0 ? '-' : '+');
        exp = Math.Abs(exp);
        if (exp < 10) sb.Append('0');
        sb.Append(exp.ToString(CultureInfo.InvariantCulture));
        return sb.ToString();
    }

    private static string FormatF(Decimal d, int precision)
    {
        var sb = new StringBuilder();
        if (d.Point > 0)
            for (var i = 0; i < d.Point; i++) sb.Append(i < d.Digits.Length ? d.Digits[i] : '0');
        else
            sb.Append('0');
        if (precision > 0)
        {
            sb.Append('.');
            for (var i = 0; i < precision; i++)
            {
                var at = d.Point + i;
                sb.Append(at >= 0 && at < d.Digits.Length ? d.Digits[at] : '0');
            }
        }
        return sb.ToString();
    }

    /// <summary>The shortest digits that read back as the same double (.NET's "R" gives them).</summary>
    private static Decimal Shortest(double v)
    {
        if (v == 0) return new Decimal("", 0);
        var shortest = v.ToString("R", CultureInfo.InvariantCulture);
        // Normalise "R" (which may be fixed or exponent form) to digits and exponent.
        var mantissa = shortest;
        var exponent = 0;
        var ePos = shortest.IndexOfAny(['E', 'e']);
        if (ePos >= 0)
        {
            mantissa = shortest[..ePos];
            exponent = int.Parse(shortest[(ePos + 1)..], CultureInfo.InvariantCulture);
        }
        var dot = mantissa.IndexOf('.');
        var intPart = dot < 0 ? mantissa : mantissa[..dot];
        var fracPart = dot < 0 ? "" : mantissa[(dot + 1)..];
        var digits = intPart + fracPart;
        var point = intPart.Length + exponent;
        var lead = 0;
        while (lead < digits.Length && digits[lead] == '0') lead++;
        digits = digits[lead..].TrimEnd('0');
        point -= lead;
        return new Decimal(digits, point);
    }

    /// <summary>The exact decimal expansion of a double.</summary>
    private static Decimal Exact(double v)
    {
        if (v == 0) return new Decimal("", 0);
        var bits = BitConverter.DoubleToInt64Bits(v);
        var exponent = (int)((bits >> 52) & 0x7FF);
        var mantissa = bits & 0xFFFFFFFFFFFFFL;
        if (exponent == 0) exponent++;
        else mantissa |= 1L << 52;
        exponent -= 1075;
        string digits;
        int point;
        if (exponent >= 0)
        {
            digits = (new BigInteger(mantissa) << exponent).ToString(CultureInfo.InvariantCulture);
            point = digits.Length;
        }
        else
        {
            digits = (new BigInteger(mantissa) * BigInteger.Pow(5, -exponent)).ToString(CultureInfo.InvariantCulture);
            point = digits.Length + exponent;
        }
        var trimmed = digits.TrimEnd('0');
        return new Decimal(trimmed, point);
    }

    /// <summary>Round to n significant digits, half to even (Go's decimal.round).</summary>
    private static Decimal Round(Decimal d, int n)
    {
        if (n < 0 || n >= d.Digits.Length) return d;
        var roundUp = d.Digits[n] > '5'
            || (d.Digits[n] == '5' && (n + 1 < d.Digits.Length || (n > 0 && (d.Digits[n - 1] - '0') % 2 == 1)));
        if (!roundUp) return new Decimal(d.Digits[..n].TrimEnd('0'), d.Point);
        var chars = d.Digits[..n].ToCharArray();
        var i = n - 1;
        while (i >= 0 && chars[i] == '9') i--;
        if (i < 0) return new Decimal("1", d.Point + 1);
        chars[i]++;
        return new Decimal(new string(chars, 0, i + 1), d.Point);
    }
}
