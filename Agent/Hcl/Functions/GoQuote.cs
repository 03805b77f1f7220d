using System.Globalization;
using System.Text;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>Go's <c>%q</c> / strconv.Quote, which cty's error messages use to show a string.</summary>
internal static class GoQuote
{
    public static string Quote(string s)
    {
        var sb = new StringBuilder("\"");
        foreach (var r in s.EnumerateRunes())
        {
            switch (r.Value)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\a': sb.Append("\\a"); break;
                case '\b': sb.Append("\\b"); break;
                case '\f': sb.Append("\\f"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '\v': sb.Append("\\v"); break;
                default:
                    if (r.Value < 0x20 || r.Value == 0x7F) sb.Append("\\x").Append(r.Value.ToString("x2", CultureInfo.InvariantCulture));
                    else if (Rune.GetUnicodeCategory(r) is UnicodeCategory.Control or UnicodeCategory.Format
                             or UnicodeCategory.Surrogate or UnicodeCategory.PrivateUse or UnicodeCategory.OtherNotAssigned
                             or UnicodeCategory.LineSeparator or UnicodeCategory.ParagraphSeparator)
                        sb.Append(r.Value > 0xFFFF ? $"\\U{r.Value:x8}" : $"\\u{r.Value:x4}");
                    else sb.Append(r.ToString());
                    break;
            }
        }
        return sb.Append('"').ToString();
    }
}
