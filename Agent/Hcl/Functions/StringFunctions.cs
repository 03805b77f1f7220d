using System.Text;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// cty's string functions as jobspec2 names them. Characters are grapheme clusters (<see cref="Graphemes"/>).
/// Nomad maps both <c>strrev</c> and <c>reverse</c> to cty's string reverse, so <c>reverse</c> here reverses a
/// string, as in Nomad (a list given to it is refused: "string required").
/// </summary>
internal static class StringFunctions
{
    private static readonly HclType S = HclType.String;
    private static readonly HclType N = HclType.Number;

    public static IEnumerable<HclFunction> All() =>
    [
        Define("upper", [P("str", S)], a => Value.Of(Str(a[0]).ToUpperInvariant())),
        Define("lower", [P("str", S)], a => Value.Of(Str(a[0]).ToLowerInvariant())),
        Define("strrev", [P("str", S)], Reverse),
        Define("reverse", [P("str", S)], Reverse),
        Define("strlen", [P("str", S)], a => Value.Of(Graphemes.Count(Str(a[0])))),
        Define("substr", [P("str", S), P("offset", N), P("length", N)], Substr),
        Define("join", [P("separator", S)], P("lists", StringList), Join),
        Define("split", [P("separator", S), P("str", S)], Split),
        Define("chomp", [P("str", S)], a => Value.Of(Str(a[0]).TrimEnd('\r', '\n'))),
        Define("indent", [P("spaces", N), P("str", S)], Indent),
        Define("title", [P("str", S)], a => Value.Of(Title(Str(a[0])))),
        Define("trimspace", [P("str", S)], a => Value.Of(TrimSpace(Str(a[0])))),
        Define("trim", [P("str", S), P("cutset", S)], a => Value.Of(Trim(Str(a[0]), Str(a[1])))),
        Define("trimprefix", [P("str", S), P("prefix", S)], a =>
            Value.Of(Str(a[0]).StartsWith(Str(a[1]), StringComparison.Ordinal) ? Str(a[0])[Str(a[1]).Length..] : Str(a[0]))),
        Define("trimsuffix", [P("str", S), P("suffix", S)], a =>
            Value.Of(Str(a[0]).EndsWith(Str(a[1]), StringComparison.Ordinal) ? Str(a[0])[..^Str(a[1]).Length] : Str(a[0]))),
        Define("replace", [P("str", S), P("substr", S), P("replace", S)], Replace),
        Define("regex_replace", [P("str", S), P("substr", S), P("replace", S)], RegexReplace),
    ];

    private static Value Reverse(IReadOnlyList<Value> a)
    {
        var clusters = Graphemes.Split(Str(a[0]));
        clusters.Reverse();
        return Value.Of(string.Concat(clusters));
    }

    /// <summary>offset counts from the end when negative; length -1 (any negative) takes the rest, 0 takes nothing.</summary>
    private static Value Substr(IReadOnlyList<Value> a)
    {
        var clusters = Graphemes.Split(Str(a[0]));
        var offset = Int(a[1]);
        var length = Int(a[2]);
        if (length == 0) return Value.EmptyString;
        if (offset < 0) offset = Math.Max(offset + clusters.Count, 0);
        if (offset >= clusters.Count) return Value.EmptyString;
        var take = length < 0 ? clusters.Count - offset : Math.Min(length, clusters.Count - offset);
        return Value.Of(string.Concat(clusters.Skip((int)offset).Take((int)take)));
    }

    private static Value Join(IReadOnlyList<Value> a)
    {
        var lists = a.Skip(1).ToList();
        if (lists.Count == 0) throw new FunctionError("at least one list is required");
        var items = new List<string>();
        for (var li = 0; li < lists.Count; li++)
        {
            var elements = lists[li].Elements;
            for (var ei = 0; ei < elements.Count; ei++)
            {
                if (elements[ei].IsNull)
                    throw new FunctionError(lists.Count > 1
                        ? $"element {ei} of list {li + 1} is null; cannot concatenate null values"
                        : $"element {ei} is null; cannot concatenate null values", li + 1);
                items.Add(Str(elements[ei]));
            }
        }
        return Value.Of(string.Join(Str(a[0]), items));
    }

    /// <summary>Go's strings.Split: an empty separator splits after each character (code point).</summary>
    private static Value Split(IReadOnlyList<Value> a)
    {
        var separator = Str(a[0]);
        var str = Str(a[1]);
        var parts = separator.Length == 0
            ? str.EnumerateRunes().Select(r => r.ToString()).ToArray()
            : str.Split(separator);
        return Strings(parts);
    }

    private static Value Indent(IReadOnlyList<Value> a)
    {
        var spaces = Int(a[0]);
        if (spaces < 0) throw new FunctionError("strings: negative Repeat count");
        return Value.Of(Str(a[1]).Replace("\n", "\n" + new string(' ', (int)spaces)));
    }

    /// <summary>Go's strings.Title: the first letter of each word in title case; words are separated by
    /// anything but letters, digits, underscore and (outside ASCII) non-space characters.</summary>
    public static string Title(string s)
    {
        var sb = new StringBuilder(s.Length);
        var previousIsSeparator = true;
        foreach (var r in s.EnumerateRunes())
        {
            sb.Append(previousIsSeparator ? Rune.ToUpperInvariant(r).ToString() : r.ToString());
            previousIsSeparator = IsWordSeparator(r);
        }
        return sb.ToString();
    }

    private static bool IsWordSeparator(Rune r)
    {
        if (r.Value <= 0x7F)
            return !(char.IsAsciiLetterOrDigit((char)r.Value) || r.Value == '_');
        if (Rune.IsLetter(r) || Rune.IsDigit(r)) return false;
        return Rune.IsWhiteSpace(r);
    }

    public static string TrimSpace(string s) => s.Trim();

    /// <summary>Go's strings.Trim: every leading and trailing character found in the cutset goes.</summary>
    private static string Trim(string s, string cutset)
    {
        if (cutset.Length == 0) return s;
        var cut = cutset.EnumerateRunes().ToHashSet();
        var runes = s.EnumerateRunes().ToList();
        var start = 0;
        while (start < runes.Count && cut.Contains(runes[start])) start++;
        var end = runes.Count;
        while (end > start && cut.Contains(runes[end - 1])) end--;
        return string.Concat(runes.Skip(start).Take(end - start).Select(r => r.ToString()));
    }

    /// <summary>Go's strings.Replace with n = -1: an empty substring inserts the replacement around every character.</summary>
    private static Value Replace(IReadOnlyList<Value> a)
    {
        var str = Str(a[0]);
        var substr = Str(a[1]);
        var replacement = Str(a[2]);
        if (substr.Length > 0) return Value.Of(str.Replace(substr, replacement, StringComparison.Ordinal));
        var sb = new StringBuilder(replacement);
        foreach (var r in str.EnumerateRunes()) sb.Append(r.ToString()).Append(replacement);
        return Value.Of(sb.ToString());
    }

    private static Value RegexReplace(IReadOnlyList<Value> a)
    {
        GoRegex.Compiled regex;
        try { regex = GoRegex.Compile(Str(a[1])); }
        catch (Exception e) when (e is ArgumentException or FormatException or OverflowException)
        {
            throw new FunctionError($"error parsing regexp: {e.Message}");
        }
        var template = Str(a[2]);
        return Value.Of(regex.Regex.Replace(Str(a[0]), m => GoRegex.Expand(regex, m, template)));
    }
}
