using System.Globalization;
using System.Text;

namespace Nomad.Agent.Structs;

/// <summary>
/// Go's <c>time.ParseDuration</c> and <c>Duration.String</c>, which Nomad's files and API use for
/// durations ("10s", "1m30s", "500ms", "24h0m0s"). Go counts nanoseconds; a <see cref="TimeSpan"/>
/// holds 100 ns ticks, so the TimeSpan forms drop anything finer than that.
/// </summary>
public static class GoDuration
{
    private const long Nanosecond = 1, Microsecond = 1000, Millisecond = 1_000_000, Second = 1_000_000_000,
        Minute = 60 * Second, Hour = 60 * Minute;

    private static readonly Dictionary<string, ulong> Units = new(StringComparer.Ordinal)
    {
        ["ns"] = Nanosecond,
        ["us"] = Microsecond,
        ["µs"] = Microsecond, // U+00B5 micro sign
        ["μs"] = Microsecond, // U+03BC Greek mu
        ["ms"] = Millisecond,
        ["s"] = Second,
        ["m"] = Minute,
        ["h"] = Hour,
    };

    public static TimeSpan Parse(string s) =>
        TryParse(s, out var d) ? d : throw new FormatException($"invalid duration \"{s}\"");

    public static bool TryParse(string s, out TimeSpan value)
    {
        value = default;
        if (!TryParseNanoseconds(s, out long ns)) return false;
        value = TimeSpan.FromTicks(ns / 100);
        return true;
    }

    public static long ParseNanoseconds(string s) =>
        TryParseNanoseconds(s, out long ns) ? ns : throw new FormatException($"invalid duration \"{s}\"");

    /// <summary>Parses <c>[-+]?([0-9]*(\.[0-9]*)?[a-zµμ]+)+</c>, e.g. "1h15m", "-1.5s", "300ms"; "0" alone needs no unit.</summary>
    public static bool TryParseNanoseconds(string? s, out long nanoseconds)
    {
        nanoseconds = 0;
        if (string.IsNullOrEmpty(s)) return false;
        int i = 0;
        bool neg = false;
        if (s[0] is '-' or '+')
        {
            neg = s[0] == '-';
            i = 1;
        }
        if (s.AsSpan(i).SequenceEqual("0")) return true;
        if (i == s.Length) return false;

        const ulong limit = 1UL << 63;
        ulong total = 0;
        while (i < s.Length)
        {
            if (!(s[i] == '.' || char.IsAsciiDigit(s[i]))) return false;

            // Integer part; overflow is an error, as in Go.
            ulong whole = 0;
            int start = i;
            while (i < s.Length && char.IsAsciiDigit(s[i]))
            {
                if (whole > (limit - 1) / 10) return false;
                whole = whole * 10 + (ulong)(s[i] - '0');
                if (whole > limit) return false;
                i++;
            }
            bool hasWhole = i > start;

            // Fraction: digits past what fits are dropped, as in Go.
            ulong frac = 0;
            double scale = 1;
            bool hasFrac = false;
            if (i < s.Length && s[i] == '.')
            {
                i++;
                start = i;
                bool overflow = false;
                while (i < s.Length && char.IsAsciiDigit(s[i]))
                {
                    if (!overflow)
                    {
                        if (frac > (limit - 1) / 10) overflow = true;
                        else
                        {
                            ulong y = frac * 10 + (ulong)(s[i] - '0');
                            if (y > limit) overflow = true;
                            else { frac = y; scale *= 10; }
                        }
                    }
                    i++;
                }
                hasFrac = i > start;
            }
            if (!hasWhole && !hasFrac) return false;

            start = i;
            while (i < s.Length && !(s[i] == '.' || char.IsAsciiDigit(s[i]))) i++;
            if (i == start) return false; // missing unit
            if (!Units.TryGetValue(s[start..i], out ulong unit)) return false;

            if (whole > limit / unit) return false;
            ulong v = whole * unit;
            if (frac > 0)
            {
                v += (ulong)(frac * (unit / scale));
                if (v > limit) return false;
            }
            total += v;
            if (total > limit) return false;
        }
        if (neg)
        {
            nanoseconds = unchecked(-(long)total);
            return true;
        }
        if (total > limit - 1) return false;
        nanoseconds = (long)total;
        return true;
    }

    public static string Format(TimeSpan d) => FormatCore((Int128)d.Ticks * 100);

    public static string FormatNanoseconds(long nanoseconds) => FormatCore(nanoseconds);

    /// <summary>Go's <c>Duration.String</c>: "0s", "1.5µs", "500ms", "1m30s", "24h0m0s", "19.056176492s".</summary>
    private static string FormatCore(Int128 ns)
    {
        bool neg = ns < 0;
        UInt128 u = (UInt128)(neg ? -ns : ns);
        string text;
        if (u < Second)
        {
            if (u == 0) return "0s";
            if (u < Microsecond) text = u.ToString(CultureInfo.InvariantCulture) + "ns";
            else if (u < Millisecond) text = WithFraction(u, 3) + "µs";
            else text = WithFraction(u, 6) + "ms";
        }
        else
        {
            var (frac, seconds) = Fraction(u, 9);
            var sb = new StringBuilder();
            UInt128 minutes = seconds / 60, hours = minutes / 60;
            if (hours > 0) sb.Append(hours.ToString(CultureInfo.InvariantCulture)).Append('h');
            if (minutes > 0) sb.Append((minutes % 60).ToString(CultureInfo.InvariantCulture)).Append('m');
            sb.Append((seconds % 60).ToString(CultureInfo.InvariantCulture)).Append(frac).Append('s');
            text = sb.ToString();
        }
        return neg ? "-" + text : text;
    }

    private static string WithFraction(UInt128 v, int digits)
    {
        var (frac, whole) = Fraction(v, digits);
        return whole.ToString(CultureInfo.InvariantCulture) + frac;
    }

    /// <summary>Splits v into v / 10^digits and its fraction as ".123" (trailing zeros dropped; "" if zero).</summary>
    private static (string Fraction, UInt128 Whole) Fraction(UInt128 v, int digits)
    {
        UInt128 pow = 1;
        for (int i = 0; i < digits; i++) pow *= 10;
        UInt128 rest = v % pow;
        if (rest == 0) return ("", v / pow);
        string f = rest.ToString(CultureInfo.InvariantCulture).PadLeft(digits, '0').TrimEnd('0');
        return ("." + f, v / pow);
    }
}
