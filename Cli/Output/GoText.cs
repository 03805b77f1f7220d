using System.Globalization;
using System.Text;

namespace Nomad.Cli.Output;

/// <summary>Go's %q for strings, which Nomad's messages use around IDs and names.</summary>
public static class GoText
{
    public static string Quote(string? s)
    {
        var text = new StringBuilder("\"");
        foreach (var rune in (s ?? "").EnumerateRunes())
        {
            switch (rune.Value)
            {
                case '"': text.Append("\\\""); break;
                case '\\': text.Append("\\\\"); break;
                case '\n': text.Append("\\n"); break;
                case '\r': text.Append("\\r"); break;
                case '\t': text.Append("\\t"); break;
                default:
                    if (rune.Value < 0x20 || rune.Value == 0x7f)
                        text.Append("\\x").Append(rune.Value.ToString("x2", CultureInfo.InvariantCulture));
                    else
                        text.Append(rune.ToString());
                    break;
            }
        }
        return text.Append('"').ToString();
    }

    /// <summary>Go's <c>%.3g</c>: three significant digits, trailing zeros dropped, e-notation for tiny or large values ("0.0314", "1e-05").</summary>
    public static string FormatG3(double value) =>
        value.ToString("G3", System.Globalization.CultureInfo.InvariantCulture).Replace("E", "e");
}
