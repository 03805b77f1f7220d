using System.Globalization;
using System.Text;

namespace Nomad.Agent.Templates;

/// <summary>Go's time.Format with its reference-time layouts ("2006-01-02T15:04:05Z07:00"), for consul-template's timestamp.</summary>
public static class GoTimeLayout
{
    public const string RFC3339 = "2006-01-02T15:04:05Z07:00";

    private static readonly string[] Chunks =
    [
        "January", "Jan", "Monday", "Mon", "MST", "2006", "002", "__2", "_2", "01", "02", "03", "04", "05", "06",
        "15", "1", "2", "3", "4", "5", "PM", "pm",
        "Z07:00:00", "Z070000", "Z07:00", "Z0700", "Z07", "-07:00:00", "-070000", "-07:00", "-0700", "-07",
    ];

    public static string Format(DateTimeOffset t, string layout)
    {
        var sb = new StringBuilder();
        var inv = CultureInfo.InvariantCulture;
        var i = 0;
        while (i < layout.Length)
        {
            // Fractional seconds: .000 / ,000 (fixed) and .999 (trailing zeros dropped) after a seconds field.
            if (layout[i] is '.' or ',' && i + 1 < layout.Length && layout[i + 1] is '0' or '9')
            {
                var j = i + 1;
                while (j < layout.Length && layout[j] == layout[i + 1]) j++;
                if (j >= layout.Length || !char.IsAsciiDigit(layout[j]))
                {
                    var digits = j - i - 1;
                    var frac = (t.Ticks % TimeSpan.TicksPerSecond).ToString("D7", inv).PadRight(9, '0')[..Math.Min(digits, 9)];
                    if (layout[i + 1] == '9') { frac = frac.TrimEnd('0'); if (frac.Length > 0) sb.Append(layout[i]).Append(frac); }
                    else sb.Append(layout[i]).Append(frac);
                    i = j;
                    continue;
                }
            }
            var chunk = Chunks.FirstOrDefault(c => string.CompareOrdinal(layout, i, c, 0, c.Length) == 0);
            if (chunk is null) { sb.Append(layout[i++]); continue; }
            var offset = t.Offset;
            var sign = offset < TimeSpan.Zero ? '-' : '+';
            var abs = offset.Duration();
            sb.Append(chunk switch
            {
                "January" => t.ToString("MMMM", inv),
                "Jan" => t.ToString("MMM", inv),
                "Monday" => t.ToString("dddd", inv),
                "Mon" => t.ToString("ddd", inv),
                "MST" => offset == TimeSpan.Zero ? "UTC" : $"{sign}{abs.Hours:00}{(abs.Minutes != 0 ? abs.Minutes.ToString("00", inv) : "")}",
                "2006" => t.Year.ToString("0000", inv),
                "06" => (t.Year % 100).ToString("00", inv),
                "002" => t.DayOfYear.ToString("000", inv),
                "__2" => t.DayOfYear.ToString(inv).PadLeft(3),
                "_2" => t.Day.ToString(inv).PadLeft(2),
                "01" => t.Month.ToString("00", inv),
                "1" => t.Month.ToString(inv),
                "02" => t.Day.ToString("00", inv),
                "2" => t.Day.ToString(inv),
                "15" => t.Hour.ToString("00", inv),
                "03" => (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString("00", inv),
                "3" => (t.Hour % 12 == 0 ? 12 : t.Hour % 12).ToString(inv),
                "04" => t.Minute.ToString("00", inv),
                "4" => t.Minute.ToString(inv),
                "05" => t.Second.ToString("00", inv),
                "5" => t.Second.ToString(inv),
                "PM" => t.Hour >= 12 ? "PM" : "AM",
                "pm" => t.Hour >= 12 ? "pm" : "am",
                _ when chunk.StartsWith('Z') && offset == TimeSpan.Zero => "Z",
                _ => Zone(chunk.TrimStart('Z', '-'), sign, abs),
            });
            i += chunk.Length;
        }
        return sb.ToString();
    }

    private static string Zone(string form, char sign, TimeSpan abs) => form switch
    {
        "07:00:00" => $"{sign}{abs.Hours:00}:{abs.Minutes:00}:{abs.Seconds:00}",
        "070000" => $"{sign}{abs.Hours:00}{abs.Minutes:00}{abs.Seconds:00}",
        "07:00" => $"{sign}{abs.Hours:00}:{abs.Minutes:00}",
        "0700" => $"{sign}{abs.Hours:00}{abs.Minutes:00}",
        _ => $"{sign}{abs.Hours:00}",
    };
}
