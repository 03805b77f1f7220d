using System.Globalization;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// Characters as HCL counts them: user-perceived characters (extended grapheme clusters), so a letter with a
/// combining accent or an emoji with modifiers is one character for strlen, substr, strrev and format widths.
/// </summary>
internal static class Graphemes
{
    public static List<string> Split(string s)
    {
        var result = new List<string>();
        var e = StringInfo.GetTextElementEnumerator(s);
        while (e.MoveNext()) result.Add((string)e.Current);
        return result;
    }

    public static int Count(string s) => new StringInfo(s).LengthInTextElements;
}

/// <summary>Orders strings as Go does (by UTF-8 bytes, i.e. by code point), not by UTF-16 code units.</summary>
internal sealed class CodePointComparer : IComparer<string>
{
    public static readonly CodePointComparer Instance = new();

    public int Compare(string? x, string? y)
    {
        if (x is null || y is null) return string.CompareOrdinal(x, y);
        var a = x.EnumerateRunes().GetEnumerator();
        var b = y.EnumerateRunes().GetEnumerator();
        while (true)
        {
            var hasA = a.MoveNext();
            var hasB = b.MoveNext();
            if (!hasA || !hasB) return hasA.CompareTo(hasB);
            var c = a.Current.Value.CompareTo(b.Current.Value);
            if (c != 0) return c;
        }
    }
}
