using System.Globalization;
using System.Text;

namespace Nomad.Agent.Config;

/// <summary>Go's duration text ("300ms", "1m30s", "24h"), as Nomad's flags, config and API use it.</summary>
public static class GoDurationText
{
    public static bool TryParse(string? text, out TimeSpan value)
    {
        value = TimeSpan.Zero;
        if (string.IsNullOrWhiteSpace(text)) return false;
        var s = text.Trim();
        var negative = s.StartsWith('-');
        if (negative || s.StartsWith('+')) s = s[1..];
        if (s == "0") return true;
        double totalNs = 0;
        var pos = 0;
        while (pos < s.Length)
        {
            var start = pos;
            while (pos < s.Length && (char.IsDigit(s[pos]) || s[pos] == '.')) pos++;
            if (start == pos) return false;
            if (!double.TryParse(s[start..pos], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out var n)) return false;
            var unitStart = pos;
            while (pos < s.Length && !char.IsDigit(s[pos]) && s[pos] != '.') pos++;
            double? scale = s[unitStart..pos] switch
            {
                "ns" => 1, "us" or "µs" => 1e3, "ms" => 1e6, "s" => 1e9, "m" => 60e9, "h" => 3600e9, _ => null,
            };
            if (scale is null) return false;
            totalNs += n * scale.Value;
        }
        value = TimeSpan.FromTicks((long)(totalNs / 100) * (negative ? -1 : 1));
        return true;
    }

    /// <summary>Formats as Go does: "19.056176492s", "1m30s", "24h0m0s", "500ms", "0s".</summary>
    public static string Format(TimeSpan d)
    {
        if (d == TimeSpan.Zero) return "0s";
        var sb = new StringBuilder();
        if (d < TimeSpan.Zero) { sb.Append('-'); d = d.Negate(); }
        if (d < TimeSpan.FromSeconds(1))
        {
            var ns = d.Ticks * 100;
            if (ns < 1000) return sb.Append(ns).Append("ns").ToString();
            if (ns < 1_000_000) return sb.Append(Trim(ns / 1e3)).Append("µs").ToString();
            return sb.Append(Trim(ns / 1e6)).Append("ms").ToString();
        }
        var hours = (long)d.TotalHours;
        var minutes = d.Minutes;
        var seconds = d.Ticks % TimeSpan.TicksPerMinute / (double)TimeSpan.TicksPerSecond;
        if (hours > 0) sb.Append(hours).Append('h');
        if (hours > 0 || minutes > 0) sb.Append(minutes).Append('m');
        sb.Append(Trim(seconds)).Append('s');
        return sb.ToString();
    }

    private static string Trim(double v) => v.ToString("0.#########", CultureInfo.InvariantCulture);
}
