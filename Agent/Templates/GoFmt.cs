using System.Collections;
using System.Globalization;
using System.Text;

namespace Nomad.Agent.Templates;

/// <summary>
/// Go's fmt as templates use it: Sprint/Sprintln/Sprintf with the common verbs (%v %s %d %q %f %e %g %x %X %t %c %o %b %T %%),
/// flags (+ - # space 0), width and precision, and Go's notes for bad verbs, missing and extra arguments.
/// </summary>
public static class GoFmt
{
    private static readonly CultureInfo Inv = CultureInfo.InvariantCulture;

    /// <summary>fmt.Sprint: operands printed with %v, a space between two operands when neither is a string.</summary>
    public static string Sprint(IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        for (var i = 0; i < args.Count; i++)
        {
            var isString = args[i] is string;
            if (i > 0 && !isString && args[i - 1] is not string) sb.Append(' ');
            sb.Append(FormatValue(args[i], 'v', default));
        }
        return sb.ToString();
    }

    /// <summary>fmt.Sprintln: operands separated by spaces, then a newline.</summary>
    public static string Sprintln(IReadOnlyList<object?> args) =>
        string.Join(" ", args.Select(a => FormatValue(a, 'v', default))) + "\n";

    /// <summary>The %v form of one value.</summary>
    public static string ToText(object? v) => FormatValue(v, 'v', default);

    private record struct Spec(bool Plus, bool Minus, bool Sharp, bool Space, bool Zero, int? Width, int? Prec);

    public static string Sprintf(string format, IReadOnlyList<object?> args)
    {
        var sb = new StringBuilder();
        var argNum = 0;
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c != '%') { sb.Append(c); i++; continue; }
            i++;
            var spec = new Spec();
            for (; i < format.Length; i++)
            {
                switch (format[i])
                {
                    case '+': spec.Plus = true; continue;
                    case '-': spec.Minus = true; continue;
                    case '#': spec.Sharp = true; continue;
                    case ' ': spec.Space = true; continue;
                    case '0': spec.Zero = true; continue;
                }
                break;
            }
            spec.Width = ReadNumber(format, ref i, args, ref argNum, sb);
            if (i < format.Length && format[i] == '.')
            {
                i++;
                spec.Prec = ReadNumber(format, ref i, args, ref argNum, sb) ?? 0;
            }
            if (i >= format.Length) { sb.Append("%!(NOVERB)"); break; }
            var verb = format[i++];
            if (verb == '%') { sb.Append('%'); continue; }
            if (argNum >= args.Count) { sb.Append("%!").Append(verb).Append("(MISSING)"); continue; }
            sb.Append(FormatValue(args[argNum++], verb, spec));
        }
        if (argNum < args.Count)
        {
            sb.Append("%!(EXTRA ");
            sb.Append(string.Join(", ", args.Skip(argNum).Select(a => IsNilArg(a) ? "<nil>" : $"{GoValues.TypeName(a)}={ToText(a)}")));
            sb.Append(')');
        }
        return sb.ToString();
    }

    private static int? ReadNumber(string format, ref int i, IReadOnlyList<object?> args, ref int argNum, StringBuilder sb)
    {
        if (i < format.Length && format[i] == '*')
        {
            i++;
            if (argNum < args.Count && GoValues.Normalize(args[argNum]) is long n) { argNum++; return (int)n; }
            argNum++;
            sb.Append("%!(BADWIDTH)");
            return null;
        }
        var start = i;
        while (i < format.Length && char.IsAsciiDigit(format[i])) i++;
        return i > start ? int.Parse(format.AsSpan(start, i - start), Inv) : null;
    }

    private static bool IsNilArg(object? a) => a is null or NoValue;

    private static string FormatValue(object? arg, char verb, Spec spec)
    {
        arg = GoValues.Normalize(arg);
        if (verb == 'T') return Pad(GoValues.TypeName(arg), spec);
        switch (arg)
        {
            case null or NoValue:
                return verb == 'v' ? Pad("<nil>", spec) : $"%!{verb}(<nil>)";
            case bool b:
                return verb is 't' or 'v' ? Pad(b ? "true" : "false", spec) : BadVerb(verb, arg);
            case long l:
                return FormatInteger(l, verb, spec) ?? BadVerb(verb, arg);
            case double d:
                return FormatFloatVerb(d, verb, spec) ?? BadVerb(verb, arg);
            case string s:
                return FormatString(s, verb, spec) ?? BadVerb(verb, arg);
            case IDictionary map:
            {
                var parts = GoValues.SortedKeys(map).Select(k => FormatValue(k, verb, spec) + ":" + FormatValue(map[k], verb, spec));
                return "map[" + string.Join(" ", parts) + "]";
            }
            case IList list:
            {
                var parts = new List<string>();
                foreach (var e in list) parts.Add(FormatValue(e, verb, spec));
                return "[" + string.Join(" ", parts) + "]";
            }
            case TemplateFunction or Delegate:
                return verb == 'v' ? Pad("0x0", spec) : BadVerb(verb, arg);
            default:
                return verb is 'v' or 's' ? Pad(arg.ToString() ?? "", spec) : BadVerb(verb, arg);
        }
    }

    private static string BadVerb(char verb, object? arg) => $"%!{verb}({GoValues.TypeName(arg)}={ToText(arg)})";

    private static string Pad(string s, Spec spec, bool zeroAllowed = false)
    {
        var width = spec.Width ?? 0;
        var len = new StringInfo(s).LengthInTextElements;
        if (len >= width) return s;
        if (spec.Minus) return s + new string(' ', width - len);
        if (spec.Zero && zeroAllowed)
        {
            var signLen = s.Length > 0 && s[0] is '+' or '-' or ' ' ? 1 : 0;
            return s[..signLen] + new string('0', width - len) + s[signLen..];
        }
        return new string(' ', width - len) + s;
    }

    private static string? FormatString(string s, char verb, Spec spec)
    {
        switch (verb)
        {
            case 'v' or 's':
                if (spec.Prec is { } p && p < s.Length) s = s[..p];
                return Pad(s, spec);
            case 'q':
                if (spec.Prec is { } q && q < s.Length) s = s[..q];
                return Pad(spec.Sharp && !s.Contains('`') && s.All(ch => ch == '\t' || !char.IsControl(ch)) ? "`" + s + "`" : Quote(s), spec);
            case 'x' or 'X':
            {
                var bytes = Encoding.UTF8.GetBytes(s);
                var sb = new StringBuilder();
                for (var i = 0; i < bytes.Length; i++)
                {
                    if (i > 0 && spec.Space) sb.Append(' ');
                    if (spec.Sharp && (i == 0 || spec.Space)) sb.Append(verb == 'x' ? "0x" : "0X");
                    sb.Append(bytes[i].ToString(verb == 'x' ? "x2" : "X2", Inv));
                }
                return Pad(sb.ToString(), spec);
            }
            default: return null;
        }
    }

    private static string? FormatInteger(long v, char verb, Spec spec)
    {
        string digits;
        var prefix = "";
        var negative = v < 0;
        var magnitude = negative ? (ulong)(-(v + 1)) + 1 : (ulong)v;
        switch (verb)
        {
            case 'd' or 'v': digits = magnitude.ToString(Inv); break;
            case 'b': digits = Convert.ToString((long)magnitude, 2); if (spec.Sharp) prefix = "0b"; break;
            case 'o': digits = Convert.ToString((long)magnitude, 8); if (spec.Sharp) prefix = "0"; break;
            case 'O': digits = Convert.ToString((long)magnitude, 8); prefix = "0o"; break;
            case 'x': digits = magnitude.ToString("x", Inv); if (spec.Sharp) prefix = "0x"; break;
            case 'X': digits = magnitude.ToString("X", Inv); if (spec.Sharp) prefix = "0X"; break;
            case 'c': return Pad(v is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? char.ConvertFromUtf32((int)v) : "\uFFFD", spec);
            case 'q': return Pad(QuoteRune(v), spec);
            case 'U':
                var u = "U+" + magnitude.ToString("X4", Inv);
                if (spec.Sharp && v is >= 0 and <= 0x10FFFF) u += " '" + char.ConvertFromUtf32((int)v) + "'";
                return Pad(u, spec);
            default: return null;
        }
        if (spec.Prec is { } p)
        {
            if (p == 0 && v == 0) digits = "";
            else if (digits.Length < p) digits = new string('0', p - digits.Length) + digits;
        }
        var sign = negative ? "-" : spec.Plus ? "+" : spec.Space ? " " : "";
        var body = prefix + digits;
        if (spec.Zero && !spec.Minus && spec.Prec is null && spec.Width is { } w && sign.Length + body.Length < w)
            body = prefix + new string('0', w - sign.Length - body.Length) + digits;
        return Pad(sign + body, spec);
    }

    private static string? FormatFloatVerb(double d, char verb, Spec spec)
    {
        string s;
        switch (verb)
        {
            case 'v': s = FormatFloat(d, 'g', spec.Prec ?? -1); break;
            case 'e' or 'E' or 'f' or 'F': s = FormatFloat(d, char.ToLowerInvariant(verb), spec.Prec ?? 6); break;
            case 'g' or 'G': s = FormatFloat(d, 'g', spec.Prec ?? -1); break;
            default: return null;
        }
        if (verb is 'E' or 'G') s = s.ToUpperInvariant();
        if (double.IsInfinity(d) || double.IsNaN(d))
        {
            if (double.IsPositiveInfinity(d) && !spec.Plus && !spec.Space) s = "Inf";
            if (double.IsNaN(d) && spec.Plus) s = "+NaN";
            else if (double.IsNaN(d) && spec.Space) s = " NaN";
            return Pad(s, spec with { Zero = false });
        }
        if (!s.StartsWith('-')) s = spec.Plus ? "+" + s : spec.Space ? " " + s : s;
        return Pad(s, spec, zeroAllowed: !spec.Minus);
    }

    /// <summary>
    /// strconv.FormatFloat(d, fmt, prec, 64) for fmt e, f, g; prec -1 is the shortest representation that
    /// reads back exactly (for g: exponent form when the exponent is below -4 or at least 6, or the precision).
    /// </summary>
    public static string FormatFloat(double d, char fmt, int prec)
    {
        if (double.IsNaN(d)) return "NaN";
        if (double.IsPositiveInfinity(d)) return "+Inf";
        if (double.IsNegativeInfinity(d)) return "-Inf";
        var neg = d < 0 || (d == 0 && double.IsNegative(d));
        var sign = neg ? "-" : "";
        var abs = Math.Abs(d);
        var shortest = prec < 0;
        if (fmt == 'f' && !shortest) return sign + abs.ToString("F" + prec, Inv);

        string digits;
        int dp;
        if (shortest) (digits, dp) = Decompose(abs.ToString("R", Inv));
        else if (fmt == 'e') (digits, dp) = Decompose(abs.ToString("E" + prec, Inv));
        else
        {
            var p = prec == 0 ? 1 : prec;
            (digits, dp) = Decompose(abs.ToString("E" + (p - 1), Inv));
        }

        switch (fmt)
        {
            case 'e': return sign + FmtE(digits, dp, shortest ? digits.Length - 1 : prec);
            case 'f': return sign + FmtF(digits, dp, Math.Max(digits.Length - dp, 0));
            default:
            {
                var eprec = shortest ? 6 : (prec == 0 ? 1 : prec);
                if (!shortest && eprec > digits.Length && digits.Length >= dp) eprec = digits.Length;
                var exp = dp - 1;
                if (digits.Length == 0) exp = 0;
                var p = shortest ? digits.Length : (prec == 0 ? 1 : prec);
                if (exp < -4 || exp >= eprec)
                {
                    if (p > digits.Length) p = digits.Length;
                    return sign + FmtE(digits, dp, Math.Max(p - 1, 0));
                }
                if (p > dp) p = digits.Length;
                return sign + FmtF(digits, dp, Math.Max(p - dp, 0));
            }
        }
    }

    /// <summary>Significant digits (no leading or trailing zeros) and decimal point position of a .NET number string.</summary>
    private static (string Digits, int Dp) Decompose(string s)
    {
        var exp = 0;
        var e = s.IndexOfAny(['E', 'e']);
        if (e >= 0)
        {
            exp = int.Parse(s.AsSpan(e + 1), NumberStyles.AllowLeadingSign, Inv);
            s = s[..e];
        }
        var dot = s.IndexOf('.');
        var intPart = dot < 0 ? s : s[..dot];
        var frac = dot < 0 ? "" : s[(dot + 1)..];
        var all = intPart + frac;
        var lead = 0;
        while (lead < all.Length && all[lead] == '0') lead++;
        var digits = all[lead..].TrimEnd('0');
        if (digits.Length == 0) return ("", 0);
        return (digits, intPart.Length + exp - lead);
    }

    private static string FmtE(string digits, int dp, int prec)
    {
        var sb = new StringBuilder();
        sb.Append(digits.Length > 0 ? digits[0] : '0');
        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 1; i <= prec; i++) sb.Append(i < digits.Length ? digits[i] : '0');
        }
        var exp = digits.Length == 0 ? 0 : dp - 1;
        sb.Append('e').Append(exp < 0 ? '-' : '+');
        var a = Math.Abs(exp);
        sb.Append(a < 10 ? "0" + a : a.ToString(Inv));
        return sb.ToString();
    }

    private static string FmtF(string digits, int dp, int prec)
    {
        var sb = new StringBuilder();
        if (dp > 0)
            for (var i = 0; i < dp; i++) sb.Append(i < digits.Length ? digits[i] : '0');
        else sb.Append('0');
        if (prec > 0)
        {
            sb.Append('.');
            for (var i = 0; i < prec; i++)
            {
                var j = dp + i;
                sb.Append(j >= 0 && j < digits.Length ? digits[j] : '0');
            }
        }
        return sb.ToString();
    }

    /// <summary>strconv.Quote: a double-quoted Go string literal.</summary>
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        for (var i = 0; i < s.Length; i++)
        {
            int r = s[i];
            if (char.IsHighSurrogate(s[i]) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1])) { r = char.ConvertToUtf32(s[i], s[i + 1]); i++; }
            AppendEscaped(sb, r, '"');
        }
        return sb.Append('"').ToString();
    }

    private static string QuoteRune(long v)
    {
        var sb = new StringBuilder("'");
        AppendEscaped(sb, v is >= 0 and <= 0x10FFFF and not (>= 0xD800 and <= 0xDFFF) ? (int)v : 0xFFFD, '\'');
        return sb.Append('\'').ToString();
    }

    private static void AppendEscaped(StringBuilder sb, int r, char quote)
    {
        if (r == quote || r == '\\') { sb.Append('\\').Append((char)r); return; }
        if (IsPrint(r)) { sb.Append(char.ConvertFromUtf32(r)); return; }
        switch (r)
        {
            case '\a': sb.Append("\\a"); return;
            case '\b': sb.Append("\\b"); return;
            case '\f': sb.Append("\\f"); return;
            case '\n': sb.Append("\\n"); return;
            case '\r': sb.Append("\\r"); return;
            case '\t': sb.Append("\\t"); return;
            case '\v': sb.Append("\\v"); return;
        }
        if (r < ' ' || r == 0x7f) sb.Append("\\x").Append(r.ToString("x2", Inv));
        else if (r < 0x10000) sb.Append("\\u").Append(r.ToString("x4", Inv));
        else sb.Append("\\U").Append(r.ToString("x8", Inv));
    }

    /// <summary>Go's unicode.IsPrint, approximately: letters, marks, numbers, punctuation, symbols and the ASCII space.</summary>
    public static bool IsPrint(int r)
    {
        if (r == ' ') return true;
        if (r < 0x20 || r == 0x7f) return false;
        if (r >= 0xD800 && r <= 0xDFFF) return false;
        var cat = CharUnicodeInfo.GetUnicodeCategory(r);
        return cat is not (UnicodeCategory.Control or UnicodeCategory.Format or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse
            or UnicodeCategory.OtherNotAssigned or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator or UnicodeCategory.SpaceSeparator);
    }

    /// <summary>%#U of a rune, as Go's lexer names a bad character: <c>U+007D '}'</c>.</summary>
    public static string RuneDescription(char c) => $"U+{(int)c:X4} '{c}'";
}
