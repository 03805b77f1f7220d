using System.Globalization;
using System.Text;

namespace Nomad.Cli.Output;

/// <summary>
/// Durations in Go's text form, the one Nomad prints and accepts: "27m34s", "1h0m0s", "1.5s", "250ms", "0s".
/// </summary>
public static class GoDuration
{
    private const long NanosPerTick = 100;
    private const long Microsecond = 1_000;
    private const long Millisecond = 1_000_000;
    private const long Second = 1_000_000_000;

    /// <summary>Go's time.Duration.String.</summary>
    public static string Format(TimeSpan duration) => FormatNanoseconds(duration.Ticks * NanosPerTick);

    public static string FormatNanoseconds(long nanoseconds)
    {
        if (nanoseconds == 0) return "0s";
        var negative = nanoseconds < 0;
        var u = negative ? (ulong)(-(nanoseconds + 1)) + 1 : (ulong)nanoseconds;
        var text = new StringBuilder();

        if (u < Second)
        {
            string unit;
            int precision;
            if (u < Microsecond) { unit = "ns"; precision = 0; }
            else if (u < Millisecond) { unit = "µs"; precision = 3; }
            else { unit = "ms"; precision = 6; }
            text.Append(WithFraction(u, precision)).Append(unit);
        }
        else
        {
            var seconds = u / Second;
            var fraction = Fraction(u % Second, 9);
            var minutes = seconds / 60;
            var hours = minutes / 60;
            if (hours > 0) text.Append(hours).Append('h');
            if (minutes > 0) text.Append(minutes % 60).Append('m');
            text.Append(seconds % 60).Append(fraction).Append('s');
        }

        return negative ? "-" + text : text.ToString();
    }

    private static string WithFraction(ulong value, int precision)
    {
        ulong scale = 1;
        for (var i = 0; i < precision; i++) scale *= 10;
        return (value / scale).ToString(CultureInfo.InvariantCulture) + Fraction(value % scale, precision);
    }

    /// <summary>".5", ".000123": the digits of remainder/10^precision with trailing zeros dropped; "" for none.</summary>
    private static string Fraction(ulong remainder, int precision)
    {
        if (remainder == 0 || precision == 0) return "";
        var digits = remainder.ToString(CultureInfo.InvariantCulture).PadLeft(precision, '0').TrimEnd('0');
        return "." + digits;
    }

    private static readonly (string Unit, double Nanos)[] Units =
    [
        ("ns", 1), ("us", Microsecond), ("µs", Microsecond), ("μs", Microsecond),
        ("ms", Millisecond), ("s", Second), ("m", 60.0 * Second), ("h", 3600.0 * Second),
    ];

    /// <summary>Go's time.ParseDuration: a sequence of decimal numbers each with a unit (ns us µs ms s m h), optionally signed; "0" alone is allowed.</summary>
    public static bool TryParse(string? text, out TimeSpan duration)
    {
        duration = TimeSpan.Zero;
        if (string.IsNullOrEmpty(text)) return false;

        var s = text;
        var negative = false;
        if (s[0] is '-' or '+')
        {
            negative = s[0] == '-';
            s = s[1..];
        }
        if (s == "0") return true;
        if (s.Length == 0) return false;

        double total = 0;
        var i = 0;
        while (i < s.Length)
        {
            var start = i;
            while (i < s.Length && (char.IsAsciiDigit(s[i]) || s[i] == '.')) i++;
            var number = s[start..i];
            if (number.Length == 0 || number == "." || number.Count(c => c == '.') > 1) return false;

            var unitStart = i;
            while (i < s.Length && !char.IsAsciiDigit(s[i]) && s[i] != '.') i++;
            var unit = s[unitStart..i];
            var match = Array.FindIndex(Units, u => u.Unit == unit);
            if (match < 0) return false;

            total += double.Parse(number, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture) * Units[match].Nanos;
        }

        if (total / NanosPerTick > TimeSpan.MaxValue.Ticks) return false;
        var ticks = (long)Math.Round(total / NanosPerTick);
        duration = TimeSpan.FromTicks(negative ? -ticks : ticks);
        return true;
    }
}
