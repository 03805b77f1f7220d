using System.Numerics;
using System.Text;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// cty's printf-like formatting (the <c>format</c> function): verbs <c>%v %#v %t %b %d %o %x %X %e %E %f %g %G
/// %s %q %%</c>, flags <c>space + - 0 #</c>, width, <c>.precision</c> and <c>[n]</c> argument indexes. Widths and
/// string precisions count characters (grapheme clusters); numbers are written as Go's fmt writes big numbers.
/// </summary>
internal static class GoFormat
{
    private sealed class Verb
    {
        public int ArgNum;
        public char Mode;
        public bool Zero, Sharp, Plus, Minus, Space;
        public int Width = -1, Precision = -1;
        public string Raw = "";
        public int Offset;
    }

    public static string Format(string format, IReadOnlyList<Value> args)
    {
        var sb = new StringBuilder();
        var nextArg = 1;
        var highestUsed = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c != '%')
            {
                sb.Append(c);
                i++;
                continue;
            }
            if (i + 1 < format.Length && format[i + 1] == '%')
            {
                sb.Append('%');
                i += 2;
                continue;
            }
            var start = i;
            var verb = new Verb { ArgNum = nextArg, Offset = ByteOffset(format, start) };
            i++;
            for (; i < format.Length; i++)
            {
                var f = format[i];
                if (f == '0') verb.Zero = !verb.Minus;
                else if (f == '#') verb.Sharp = true;
                else if (f == '-') { verb.Minus = true; verb.Zero = false; }
                else if (f == '+') verb.Plus = true;
                else if (f == ' ') verb.Space = true;
                else break;
            }
            if (i < format.Length && format[i] == '[')
            {
                i++;
                if (i >= format.Length) throw EndOfFormat(format);
                if (format[i] is < '1' or > '9') throw Unrecognized(format, i);
                verb.ArgNum = 0;
                while (i < format.Length && char.IsAsciiDigit(format[i])) verb.ArgNum = verb.ArgNum * 10 + (format[i++] - '0');
                if (i >= format.Length) throw EndOfFormat(format);
                if (format[i] != ']') throw Unrecognized(format, i);
                i++;
            }
            if (i < format.Length && format[i] is >= '1' and <= '9')
            {
                verb.Width = 0;
                while (i < format.Length && char.IsAsciiDigit(format[i])) verb.Width = verb.Width * 10 + (format[i++] - '0');
            }
            if (i < format.Length && format[i] == '.')
            {
                i++;
                verb.Precision = 0;
                while (i < format.Length && char.IsAsciiDigit(format[i])) verb.Precision = verb.Precision * 10 + (format[i++] - '0');
            }
            if (i >= format.Length) throw EndOfFormat(format);
            if (!char.IsAsciiLetter(format[i])) throw Unrecognized(format, i);
            verb.Mode = format[i];
            i++;
            verb.Raw = format[start..i];
            Append(verb, sb, args);
            nextArg = verb.ArgNum + 1;
            highestUsed = Math.Max(highestUsed, verb.ArgNum);
        }
        if (args.Count > highestUsed)
            throw new FunctionError(highestUsed == 0
                ? "too many arguments; no verbs in format string"
                : $"too many arguments; only {highestUsed} used by format string");
        return sb.ToString();
    }

    private static int ByteOffset(string s, int charIndex) => Encoding.UTF8.GetByteCount(s.AsSpan(0, charIndex));

    private static FunctionError EndOfFormat(string format) =>
        new($"invalid format string starting at offset {Encoding.UTF8.GetByteCount(format)}");

    private static FunctionError Unrecognized(string format, int i) =>
        new($"unrecognized format character '{Rune.GetRuneAt(format, i)}' at offset {ByteOffset(format, i)}");

    private static void Append(Verb verb, StringBuilder sb, IReadOnlyList<Value> args)
    {
        var index = verb.ArgNum - 1;
        if (index >= args.Count)
            throw new FunctionError($"not enough arguments for {GoQuote.Quote(verb.Raw)} at {verb.Offset}: need index {verb.ArgNum} but have {args.Count} total");
        var arg = args[index];
        if (verb.Mode != 'v' && arg.IsNull)
            throw new FunctionError($"unsupported value for {GoQuote.Quote(verb.Raw)} at {verb.Offset}: null value cannot be formatted");

        switch (verb.Mode)
        {
            case 'v': sb.Append(AsIs(verb, arg)); break;
            case 't': sb.Append(((BoolValue)Convert(verb, arg, HclType.Bool)).Value ? "true" : "false"); break;
            case 'b' or 'd' or 'o' or 'x' or 'X': sb.Append(Integer(verb, Convert(verb, arg, HclType.Number))); break;
            case 'e' or 'E' or 'f' or 'g' or 'G': sb.Append(Float(verb, ((NumberValue)Convert(verb, arg, HclType.Number)).Value)); break;
            case 's' or 'q': sb.Append(Text(verb, ((StringValue)Convert(verb, arg, HclType.String)).Value)); break;
            default:
                throw new FunctionError($"unsupported format verb '{verb.Mode}' in {GoQuote.Quote(verb.Raw)} at offset {verb.Offset}");
        }
    }

    private static Value Convert(Verb verb, Value arg, HclType type)
    {
        try { return ValueConversion.Convert(arg, type); }
        catch (ConversionException e)
        {
            throw new FunctionError($"unsupported value for {GoQuote.Quote(verb.Raw)} at {verb.Offset}: {e.Message}");
        }
    }

    /// <summary>%v: strings as they are, numbers in Go's %g, anything else (and everything with #) as JSON.</summary>
    private static string AsIs(Verb verb, Value arg)
    {
        if (!verb.Sharp)
        {
            switch (arg)
            {
                case StringValue s: return Pad(verb, s.Value);
                case NumberValue n: return Pad(verb, GoFloat.Format(n.Value, 'g', -1));
            }
        }
        return Pad(verb, CtyJson.Encode(arg));
    }

    private static string Text(Verb verb, string s)
    {
        if (verb.Precision > 0) s = string.Concat(Graphemes.Split(s).Take(verb.Precision));
        return Pad(verb, verb.Mode == 'q' ? CtyJson.Quote(s) : s);
    }

    private static string Pad(Verb verb, string s)
    {
        if (verb.Width < 0) return s;
        var missing = verb.Width - Graphemes.Count(s);
        if (missing <= 0) return s;
        var pad = new string(verb.Zero ? '0' : ' ', missing);
        return verb.Minus ? s + pad : pad + s;
    }

    /// <summary>Go's big.Int formatting: sign, # prefix, precision as minimum digits, width padding.</summary>
    private static string Integer(Verb verb, Value arg)
    {
        var d = ((NumberValue)arg).Value;
        if (d != Math.Floor(d) || double.IsInfinity(d))
            throw new FunctionError($"unsupported value for {GoQuote.Quote(verb.Raw)} at {verb.Offset}: an integer is required");
        var n = new BigInteger(d);
        var sign = n.Sign < 0 ? "-" : verb.Plus ? "+" : verb.Space ? " " : "";
        var magnitude = BigInteger.Abs(n);
        var digits = verb.Mode switch
        {
            'b' => ToBase(magnitude, 2),
            'o' => ToBase(magnitude, 8),
            'x' => ToBase(magnitude, 16),
            'X' => ToBase(magnitude, 16).ToUpperInvariant(),
            _ => magnitude.ToString(System.Globalization.CultureInfo.InvariantCulture),
        };
        var prefix = !verb.Sharp ? "" : verb.Mode switch { 'b' => "0b", 'o' => "0", 'x' => "0x", 'X' => "0X", _ => "" };
        var zeros = 0;
        if (verb.Precision >= 0)
        {
            if (digits.Length < verb.Precision) zeros = verb.Precision - digits.Length;
            else if (digits == "0" && verb.Precision == 0) return verb.Width > 0 ? new string(' ', verb.Width) : "";
        }
        var length = sign.Length + prefix.Length + zeros + digits.Length;
        int left = 0, right = 0;
        if (verb.Width > length)
        {
            var pad = verb.Width - length;
            if (verb.Minus) right = pad;
            else if (verb.Zero && verb.Precision < 0) zeros = pad;
            else left = pad;
        }
        return new string(' ', left) + sign + prefix + new string('0', zeros) + digits + new string(' ', right);
    }

    private static string ToBase(BigInteger n, int b)
    {
        if (n.IsZero) return "0";
        var sb = new StringBuilder();
        while (!n.IsZero)
        {
            sb.Insert(0, "0123456789abcdef"[(int)(n % b)]);
            n /= b;
        }
        return sb.ToString();
    }

    /// <summary>Go's big.Float formatting: default precision 6 for %e/%f, shortest for %g.</summary>
    private static string Float(Verb verb, double d)
    {
        var precision = verb.Precision >= 0 ? verb.Precision : verb.Mode is 'g' or 'G' ? -1 : 6;
        var text = GoFloat.Format(d, verb.Mode, precision);
        var sign = "";
        if (text.StartsWith('-')) { sign = "-"; text = text[1..]; }
        else if (text.StartsWith('+')) { sign = verb.Space ? " " : "+"; text = text[1..]; }
        else if (verb.Plus) sign = "+";
        else if (verb.Space) sign = " ";
        var padding = verb.Width > sign.Length + text.Length ? verb.Width - sign.Length - text.Length : 0;
        if (verb.Zero && !double.IsInfinity(d)) return sign + new string('0', padding) + text;
        if (verb.Minus) return sign + text + new string(' ', padding);
        return new string(' ', padding) + sign + text;
    }
}
