using System.Text;

namespace Nomad.Agent.Hcl;

public enum HclTemplatePartKind { Literal, Interpolation, Directive }

/// <summary>
/// One piece of a template string. For a literal, <see cref="Text"/> is the text as stored (escapes
/// <c>$${</c> and <c>%%{</c> still doubled). For <c>${...}</c> / <c>%{...}</c>, <see cref="Text"/> is the
/// source between the braces and <see cref="Expression"/> the same without strip markers and outer spaces.
/// </summary>
public sealed record HclTemplatePart(HclTemplatePartKind Kind, string Text)
{
    public bool StripBefore => Kind != HclTemplatePartKind.Literal && Text.StartsWith('~');
    public bool StripAfter => Kind != HclTemplatePartKind.Literal && Text.EndsWith('~') && Text.Length > (StripBefore ? 1 : 0);

    public string Expression => Kind == HclTemplatePartKind.Literal
        ? Text
        : Text[(StripBefore ? 1 : 0)..(Text.Length - (StripAfter ? 1 : 0))].Trim();
}

/// <summary>
/// Splits the verbatim strings the parser keeps into literal text and template sequences. It does not
/// evaluate anything; <see cref="Canonical"/> rewrites a template close to the way hcl2json prints one (the
/// parser's <see cref="HclString.JsonText"/>, made from the parsed template, is exact and preferred).
/// </summary>
public static class HclTemplate
{
    public static IReadOnlyList<HclTemplatePart> Parse(string text)
    {
        var parts = new List<HclTemplatePart>();
        var literal = new StringBuilder();
        int i = 0;
        while (i < text.Length)
        {
            char c = text[i];
            bool marker = (c == '$' || c == '%') && i + 1 < text.Length;
            if (marker && text[i + 1] == c && i + 2 < text.Length && text[i + 2] == '{')
            {
                literal.Append(text, i, 3); // an escaped "$${" or "%%{" stays literal
                i += 3;
                continue;
            }
            if (marker && text[i + 1] == '{')
            {
                int close = FindSequenceEnd(text, i + 2);
                if (close >= 0)
                {
                    if (literal.Length > 0) parts.Add(new HclTemplatePart(HclTemplatePartKind.Literal, literal.ToString()));
                    literal.Clear();
                    var kind = c == '$' ? HclTemplatePartKind.Interpolation : HclTemplatePartKind.Directive;
                    parts.Add(new HclTemplatePart(kind, text[(i + 2)..close]));
                    i = close + 1;
                    continue;
                }
            }
            literal.Append(c);
            i++;
        }
        if (literal.Length > 0) parts.Add(new HclTemplatePart(HclTemplatePartKind.Literal, literal.ToString()));
        return parts;
    }

    /// <summary>
    /// The template as hcl2json prints it: spaces inside <c>${ }</c> / <c>%{ }</c> dropped and
    /// <c>~</c> strip markers applied to the neighbouring literal text.
    /// </summary>
    public static string Canonical(string text)
    {
        var parts = Parse(text);
        var sb = new StringBuilder();
        bool stripNext = false;
        foreach (var part in parts)
        {
            if (part.Kind == HclTemplatePartKind.Literal)
            {
                sb.Append(stripNext ? part.Text.TrimStart() : part.Text);
                stripNext = false;
                continue;
            }
            if (part.StripBefore)
            {
                // Only whitespace that came from literal text is removed; sequences end in "}".
                int end = sb.Length;
                while (end > 0 && char.IsWhiteSpace(sb[end - 1])) end--;
                sb.Length = end;
            }
            sb.Append(part.Kind == HclTemplatePartKind.Interpolation ? "${" : "%{").Append(part.Expression).Append('}');
            stripNext = part.StripAfter;
        }
        return sb.ToString();
    }

    internal const int NotClosed = -1, TooDeep = -2;
    private const int MaxNesting = 200;

    /// <summary>
    /// Given the index just after an opening <c>${</c> or <c>%{</c>, returns the index of its closing
    /// <c>}</c>, skipping nested braces and quoted strings (which may hold their own sequences);
    /// <see cref="NotClosed"/> if none, <see cref="TooDeep"/> if strings nest past any real use.
    /// </summary>
    internal static int FindSequenceEnd(string s, int start, int nesting = 0)
    {
        if (nesting > MaxNesting) return TooDeep;
        int depth = 0;
        for (int i = start; i < s.Length; i++)
        {
            switch (s[i])
            {
                case '{':
                    depth++;
                    break;
                case '}':
                    if (depth == 0) return i;
                    depth--;
                    break;
                case '"':
                    i = FindQuoteEnd(s, i + 1, nesting);
                    if (i < 0) return i;
                    break;
            }
        }
        return NotClosed;
    }

    /// <summary>Index of the closing quote of a string whose content starts at <paramref name="start"/>; -1 if none.</summary>
    private static int FindQuoteEnd(string s, int start, int nesting)
    {
        for (int i = start; i < s.Length; i++)
        {
            char c = s[i];
            if (c == '\\') { i++; continue; }
            if (c == '"') return i;
            if ((c == '$' || c == '%') && i + 1 < s.Length)
            {
                if (s[i + 1] == c && i + 2 < s.Length && s[i + 2] == '{') { i += 2; continue; }
                if (s[i + 1] == '{')
                {
                    i = FindSequenceEnd(s, i + 2, nesting + 1);
                    if (i < 0) return i;
                }
            }
        }
        return NotClosed;
    }
}
