using System.Globalization;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// RFC 3339 timestamps and durations as Go's time package reads and writes them (what formatdate and timeadd
/// use), with cty's wording for a timestamp that does not parse.
/// </summary>
internal static class GoTime
{
    /// <summary>A point in time with the offset it was written with.</summary>
    public readonly record struct Timestamp(DateTime Utc, TimeSpan Offset)
    {
        public DateTime Local => Utc + Offset;
    }

    /// <summary>
    /// Go's time.Parse with the RFC 3339 layout, and its errors as cty words them — including Go's quirks: a value
    /// out of range is reported with the text after it ("cannot use ":00:00Z" as hour"), a year that starts with a
    /// digit but is not four digits with the text after its first four characters.
    /// </summary>
    public static Timestamp Parse(string s)
    {
        var i = 0;
        var year = Year(s, ref i);
        Literal(s, ref i, '-');
        var month = Number(s, ref i, "month", 1, 12);
        Literal(s, ref i, '-');
        var day = Number(s, ref i, "day of month", 0, 31);
        if (i >= s.Length || s[i] != 'T')
            throw new FunctionError("not a valid RFC3339 timestamp: missing required time introducer 'T'");
        i++;
        var hour = Number(s, ref i, "hour", 0, 23);
        Literal(s, ref i, ':');
        var minute = Number(s, ref i, "minute", 0, 59);
        Literal(s, ref i, ':');
        var second = Number(s, ref i, "second", 0, 59);
        long ticks = 0;
        if (i < s.Length && (s[i] == '.' || s[i] == ',') && i + 1 < s.Length && char.IsAsciiDigit(s[i + 1]))
        {
            i++;
            var start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i])) i++;
            var fraction = s[start..i];
            ticks = long.Parse(fraction.Length > 7 ? fraction[..7] : fraction.PadRight(7, '0'), CultureInfo.InvariantCulture);
        }
        TimeSpan offset;
        if (i < s.Length && s[i] == 'Z')
        {
            offset = TimeSpan.Zero;
            i++;
        }
        else if (i < s.Length && (s[i] == '+' || s[i] == '-'))
        {
            var sign = s[i] == '-' ? -1 : 1;
            var at = i;
            if (i + 6 > s.Length || !char.IsAsciiDigit(s[i + 1]) || !char.IsAsciiDigit(s[i + 2]) || s[i + 3] != ':'
                || !char.IsAsciiDigit(s[i + 4]) || !char.IsAsciiDigit(s[i + 5]))
                throw new FunctionError($"not a valid RFC3339 timestamp: cannot use {GoQuote.Quote(s[at..])} as UTC offset");
            var hh = int.Parse(s.AsSpan(i + 1, 2), CultureInfo.InvariantCulture);
            var mm = int.Parse(s.AsSpan(i + 4, 2), CultureInfo.InvariantCulture);
            if (hh > 24 || mm > 60)
                throw new FunctionError($"not a valid RFC3339 timestamp: cannot use {GoQuote.Quote(s[at..])} as UTC offset");
            offset = sign * new TimeSpan(hh, mm, 0);
            i += 6;
        }
        else
        {
            throw new FunctionError(i >= s.Length
                ? "not a valid RFC3339 timestamp: end of string before UTC offset"
                : $"not a valid RFC3339 timestamp: cannot use {GoQuote.Quote(s[i..])} as UTC offset");
        }
        if (i < s.Length)
            throw new FunctionError($"not a valid RFC3339 timestamp: cannot use {GoQuote.Quote(s[i..])} as timestamp segment");
        if (day < 1 || year < 1 || day > DateTime.DaysInMonth(year, month))
            throw new FunctionError("not a valid RFC3339 timestamp: day out of range");

        var local = new DateTime(year, month, day, hour, minute, second, DateTimeKind.Unspecified).AddTicks(ticks);
        return new Timestamp(DateTime.SpecifyKind(local - offset, DateTimeKind.Utc), offset);
    }

    private static int Year(string s, ref int i)
    {
        if (i >= s.Length) throw new FunctionError("not a valid RFC3339 timestamp: end of string before year");
        if (i + 4 > s.Length || !char.IsAsciiDigit(s[i]))
            throw new FunctionError($"not a valid RFC3339 timestamp: cannot use {GoQuote.Quote(s[i..])} as year");
        var text = s.Substring(i, 4);
        i += 4;
        if (!text.All(char.IsAsciiDigit))
            throw new FunctionError($"not a valid RFC3339 timestamp: cannot use {GoQuote.Quote(s[i..])} as year");
        return int.Parse(text, CultureInfo.InvariantCulture);
    }

    private static int Number(string s, ref int i, string what, int min, int max)
    {
        if (i >= s.Length) throw new FunctionError($"not a valid RFC3339 timestamp: end of string before {what}");
        if (i + 2 > s.Length || !char.IsAsciiDigit(s[i]) || !char.IsAsciiDigit(s[i + 1]))
            throw new FunctionError($"not a valid RFC3339 timestamp: cannot use {GoQuote.Quote(s[i..])} as {what}");
        var n = int.Parse(s.AsSpan(i, 2), CultureInfo.InvariantCulture);
        i += 2;
        if (n < min || n > max)
            throw new FunctionError(i >= s.Length
                ? $"not a valid RFC3339 timestamp: end of string before {what}"
                : $"not a valid RFC3339 timestamp: cannot use {GoQuote.Quote(s[i..])} as {what}");
        return n;
    }

    private static void Literal(string s, ref int i, char c)
    {
        if (i >= s.Length) throw new FunctionError($"not a valid RFC3339 timestamp: end of string where \"{c}\" is expected");
        if (s[i] != c) throw new FunctionError($"not a valid RFC3339 timestamp: found {GoQuote.Quote(s[i..])} where \"{c}\" is expected");
        i++;
    }

    /// <summary>Go's RFC 3339 output: whole seconds, "Z" for a zero offset.</summary>
    public static string Format(Timestamp t)
    {
        var local = t.Local;
        return local.ToString("yyyy-MM-dd'T'HH:mm:ss", CultureInfo.InvariantCulture) + OffsetText(t.Offset, "Z07:00");
    }

    /// <summary>The offset as Go's layouts "Z07:00", "-0700" and "-07:00" write it.</summary>
    public static string OffsetText(TimeSpan offset, string layout)
    {
        if (layout == "Z07:00" && offset == TimeSpan.Zero) return "Z";
        var sign = offset < TimeSpan.Zero ? "-" : "+";
        var abs = offset.Duration();
        var colon = layout == "-0700" ? "" : ":";
        return $"{sign}{abs.Hours:00}{colon}{abs.Minutes:00}";
    }

    private static readonly Dictionary<string, double> Units = new()
    {
        ["ns"] = 1e-9, ["us"] = 1e-6, ["µs"] = 1e-6, ["μs"] = 1e-6, ["ms"] = 1e-3, ["s"] = 1, ["m"] = 60, ["h"] = 3600,
    };

    /// <summary>Go's time.ParseDuration: "1h30m", "-2.5s", "0".</summary>
    public static TimeSpan ParseDuration(string s)
    {
        var original = s;
        var i = 0;
        var negative = false;
        if (i < s.Length && (s[i] == '-' || s[i] == '+'))
        {
            negative = s[i] == '-';
            i++;
        }
        if (s[i..] == "0") return TimeSpan.Zero;
        if (i >= s.Length) throw new FunctionError($"time: invalid duration {GoQuote.Quote(original)}");
        decimal seconds = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            var number = s[start..i];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1)
                throw new FunctionError($"time: invalid duration {GoQuote.Quote(original)}");
            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            var unit = s[unitStart..i];
            if (unit.Length == 0) throw new FunctionError($"time: missing unit in duration {GoQuote.Quote(original)}");
            if (!Units.TryGetValue(unit, out var scale))
                throw new FunctionError($"time: unknown unit {GoQuote.Quote(unit)} in duration {GoQuote.Quote(original)}");
            seconds += decimal.Parse(number.EndsWith('.') ? number + "0" : number.StartsWith('.') ? "0" + number : number,
                CultureInfo.InvariantCulture) * (decimal)scale;
        }
        var ticks = (long)Math.Round(seconds * TimeSpan.TicksPerSecond);
        return TimeSpan.FromTicks(negative ? -ticks : ticks);
    }
}
