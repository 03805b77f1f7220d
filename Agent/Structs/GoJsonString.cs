using System.Globalization;
using System.Text;

namespace Nomad.Agent.Structs;

/// <summary>
/// A string as Go's encoding/json writes it: quoted, with <c>&lt; &gt; &amp;</c>, U+2028/U+2029 and control
/// characters as <c>\uXXXX</c> (HTML-safe), and other characters as they are. Shared by the job files' jsonencode
/// and the templates' toJSON, which must both match Go byte for byte.
/// </summary>
public static class GoJsonString
{
    public static void Append(StringBuilder sb, string s)
    {
        sb.Append('"');
        foreach (var c in s)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                case '\n': sb.Append("\\n"); break;
                case '\r': sb.Append("\\r"); break;
                case '\t': sb.Append("\\t"); break;
                case '<' or '>' or '&' or '\u2028' or '\u2029' or < ' ':
                    sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    break;
                default: sb.Append(c); break;
            }
        }
        sb.Append('"');
    }
}
