using System.Globalization;
using System.Text;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// formatdate (cty's format spec: YYYY YY MMMM MMM MM M DD D EEEE EEE hh h HH H AA aa mm m ss s ZZZZZ ZZZZ ZZZ
/// Z, text in single quotes, '' for a quote) and timeadd (an RFC 3339 timestamp plus a Go duration).
/// </summary>
internal static class DateTimeFunctions
{
    private static readonly HclType S = HclType.String;

    public static IEnumerable<HclFunction> All() =>
    [
        Define("formatdate", [P("format", S), P("time", S)], FormatDate),
        Define("timeadd", [P("timestamp", S), P("duration", S)], a =>
        {
            var t = GoTime.Parse(Str(a[0]));
            var d = GoTime.ParseDuration(Str(a[1]));
            return Value.Of(GoTime.Format(t with { Utc = t.Utc + d }));
        }),
    ];

    private static Value FormatDate(IReadOnlyList<Value> a)
    {
        var format = Str(a[0]);
        GoTime.Timestamp t;
        try { t = GoTime.Parse(Str(a[1])); }
        catch (FunctionError e) { throw new FunctionError(e.Message, 1); }
        var time = t.Local;
        var sb = new StringBuilder();
        var i = 0;
        while (i < format.Length)
        {
            var c = format[i];
            if (c == '\'')
            {
                i = Quoted(format, i, sb);
                continue;
            }
            if (!char.IsAsciiLetter(c))
            {
                sb.Append(c);
                i++;
                continue;
            }
            var start = i;
            while (i < format.Length && format[i] == c) i++;
            var token = format[start..i];
            sb.Append(Verb(token, time, t.Offset));
        }
        return Value.Of(sb.ToString());
    }

    private static int Quoted(string format, int i, StringBuilder sb)
    {
        if (i + 1 < format.Length && format[i + 1] == '\'')
        {
            sb.Append('\'');
            return i + 2;
        }
        var j = i + 1;
        var literal = new StringBuilder();
        while (j < format.Length)
        {
            if (format[j] == '\'')
            {
                if (j + 1 < format.Length && format[j + 1] == '\'')
                {
                    literal.Append('\'');
                    j += 2;
                    continue;
                }
                sb.Append(literal);
                return j + 1;
            }
            literal.Append(format[j++]);
        }
        throw new FunctionError("unterminated literal '", 0);
    }

    private static string Verb(string token, DateTime t, TimeSpan offset)
    {
        var n = token.Length;
        string Bad(string rule) => throw new FunctionError($"invalid date format verb {GoQuote.Quote(token)}: {rule}", 0);
        var inv = CultureInfo.InvariantCulture;
        switch (token[0])
        {
            case 'Y':
                return n switch { 2 => (t.Year % 100).ToString("00", inv), 4 => t.Year.ToString("0000", inv), _ => Bad("year must either be \"YY\" or \"YYYY\"") };
            case 'M':
                return n switch
                {
                    1 => t.Month.ToString(inv), 2 => t.Month.ToString("00", inv),
                    3 => inv.DateTimeFormat.GetMonthName(t.Month)[..3], 4 => inv.DateTimeFormat.GetMonthName(t.Month),
                    _ => Bad("month must be \"M\", \"MM\", \"MMM\", or \"MMMM\""),
                };
            case 'D':
                return n switch { 1 => t.Day.ToString(inv), 2 => t.Day.ToString("00", inv), _ => Bad("day of month must either be \"D\" or \"DD\"") };
            case 'E':
                return n switch
                {
                    3 => t.DayOfWeek.ToString()[..3], 4 => t.DayOfWeek.ToString(),
                    _ => Bad("day of week must either be \"EEE\" or \"EEEE\""),
                };
            case 'h':
                return n switch { 1 => t.Hour.ToString(inv), 2 => t.Hour.ToString("00", inv), _ => Bad("24-hour must either be \"h\" or \"hh\"") };
            case 'H':
            {
                var h = t.Hour % 12 == 0 ? 12 : t.Hour % 12;
                return n switch { 1 => h.ToString(inv), 2 => h.ToString("00", inv), _ => Bad("12-hour must either be \"H\" or \"HH\"") };
            }
            case 'A' or 'a':
                if (n != 2) return Bad($"must be \"{token[0]}{token[0]}\"");
                var pm = t.Hour >= 12;
                return token[0] == 'A' ? (pm ? "PM" : "AM") : (pm ? "pm" : "am");
            case 'm':
                return n switch { 1 => t.Minute.ToString(inv), 2 => t.Minute.ToString("00", inv), _ => Bad("minute must either be \"m\" or \"mm\"") };
            case 's':
                return n switch { 1 => t.Second.ToString(inv), 2 => t.Second.ToString("00", inv), _ => Bad("second must either be \"s\" or \"ss\"") };
            case 'Z':
                return n switch
                {
                    1 => GoTime.OffsetText(offset, "Z07:00"),
                    3 => offset == TimeSpan.Zero ? "UTC" : GoTime.OffsetText(offset, "-0700"),
                    4 => GoTime.OffsetText(offset, "-0700"),
                    5 => GoTime.OffsetText(offset, "-07:00"),
                    _ => Bad("timezone must be Z, ZZZZ, or ZZZZZ"),
                };
            default:
                throw new FunctionError($"invalid date format verb {GoQuote.Quote(token)}", 0);
        }
    }
}
