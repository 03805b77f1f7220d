using System.Text;

namespace Nomad.Agent.Http;

/// <summary>
/// One path segment escaped as Go's url.PathEscape does it, which is how Nomad's API client puts IDs in paths
/// (<c>/v1/job/a%2Fb%3Fc&amp;d:e</c>): letters, digits, <c>-_.~</c> and <c>$&amp;+:=@</c> stay, every other byte of
/// the UTF-8 text becomes <c>%XX</c> (upper-case hex), a space included.
/// </summary>
public static class UrlPath
{
    public static string Escape(string segment)
    {
        var bytes = Encoding.UTF8.GetBytes(segment);
        var sb = new StringBuilder(bytes.Length);
        foreach (var b in bytes)
        {
            if (Stays(b)) sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
        }
        return sb.ToString();
    }

    private static bool Stays(byte b) =>
        b is >= (byte)'a' and <= (byte)'z' or >= (byte)'A' and <= (byte)'Z' or >= (byte)'0' and <= (byte)'9'
            or (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~'
            or (byte)'$' or (byte)'&' or (byte)'+' or (byte)':' or (byte)'=' or (byte)'@';
}
