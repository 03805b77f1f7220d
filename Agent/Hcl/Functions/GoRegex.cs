using System.Text;
using System.Text.RegularExpressions;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// Go's regular expressions (RE2 syntax) on .NET's engine: the pattern is rewritten where the two read the same
/// text differently — <c>(?P&lt;name&gt;</c> groups, ASCII-only <c>\d \w \s \b</c>, <c>$</c> that without the
/// <c>m</c> flag matches only at the very end, <c>\z</c>, <c>\Q…\E</c> literals, POSIX classes
/// <c>[[:alpha:]]</c> — and replacement templates are expanded as Go's <c>Regexp.Expand</c> does.
/// </summary>
internal static class GoRegex
{
    private static readonly Dictionary<string, string> PosixClasses = new()
    {
        ["alnum"] = "0-9A-Za-z", ["alpha"] = "A-Za-z", ["ascii"] = @"\x00-\x7F", ["blank"] = @"\t ",
        ["cntrl"] = @"\x00-\x1F\x7F", ["digit"] = "0-9", ["graph"] = @"!-~", ["lower"] = "a-z",
        ["print"] = @" -~", ["punct"] = @"!-/:-@\[-`{-~", ["space"] = @"\t\n\v\f\r ", ["upper"] = "A-Z",
        ["word"] = "0-9A-Za-z_", ["xdigit"] = "0-9A-Fa-f",
    };

    /// <summary>A compiled expression; named groups become plain ones so they are numbered in order as in Go
    /// (.NET numbers named groups after all unnamed ones), with <see cref="GroupNames"/> mapping names to numbers.</summary>
    public sealed record Compiled(Regex Regex, IReadOnlyDictionary<string, int> GroupNames);

    public static Compiled Compile(string pattern)
    {
        var names = new Dictionary<string, int>();
        return new Compiled(new Regex(Translate(pattern, names), RegexOptions.CultureInvariant, TimeSpan.FromSeconds(5)), names);
    }

    public static string Translate(string pattern, Dictionary<string, int> groupNames)
    {
        var sb = new StringBuilder();
        var groups = 0;
        var multiline = false;
        var i = 0;
        while (i < pattern.Length)
        {
            var c = pattern[i];
            if (c == '\\' && i + 1 < pattern.Length)
            {
                var e = pattern[i + 1];
                i += 2;
                switch (e)
                {
                    case 'd': sb.Append("[0-9]"); break;
                    case 'D': sb.Append("[^0-9]"); break;
                    case 'w': sb.Append("[0-9A-Za-z_]"); break;
                    case 'W': sb.Append("[^0-9A-Za-z_]"); break;
                    case 's': sb.Append(@"[\t\n\f\r ]"); break;
                    case 'S': sb.Append(@"[^\t\n\f\r ]"); break;
                    case 'b': sb.Append(@"(?:(?<=[0-9A-Za-z_])(?![0-9A-Za-z_])|(?<![0-9A-Za-z_])(?=[0-9A-Za-z_]))"); break;
                    case 'B': sb.Append(@"(?:(?<=[0-9A-Za-z_])(?=[0-9A-Za-z_])|(?<![0-9A-Za-z_])(?![0-9A-Za-z_]))"); break;
                    case 'Q':
                    {
                        var end = pattern.IndexOf(@"\E", i, StringComparison.Ordinal);
                        var literal = end < 0 ? pattern[i..] : pattern[i..end];
                        sb.Append(Regex.Escape(literal));
                        i = end < 0 ? pattern.Length : end + 2;
                        break;
                    }
                    case 'p' or 'P' when i < pattern.Length && pattern[i] != '{':
                        sb.Append('\\').Append(e).Append('{').Append(pattern[i++]).Append('}'); // \pL is \p{L}
                        break;
                    case 'x' when i < pattern.Length && pattern[i] == '{':
                    {
                        var close = pattern.IndexOf('}', i);
                        if (close < 0) throw new ArgumentException("invalid escape sequence: `\\x{`");
                        var code = Convert.ToInt32(pattern[(i + 1)..close], 16);
                        sb.Append(Regex.Escape(char.ConvertFromUtf32(code)));
                        i = close + 1;
                        break;
                    }
                    default: sb.Append('\\').Append(e); break;
                }
                continue;
            }
            if (c == '[')
            {
                i = TranslateClass(pattern, i, sb);
                continue;
            }
            if (c == '(' && (pattern.AsSpan(i).StartsWith("(?P<")
                    || (pattern.AsSpan(i).StartsWith("(?<") && i + 3 < pattern.Length && pattern[i + 3] is not ('=' or '!'))))
            {
                var start = pattern.IndexOf('<', i) + 1;
                var close = pattern.IndexOf('>', start);
                if (close < 0) throw new ArgumentException($"invalid named capture: `{pattern[i..]}`");
                groupNames[pattern[start..close]] = ++groups;
                sb.Append('(');
                i = close + 1;
                continue;
            }
            if (c == '(' && (i + 1 >= pattern.Length || pattern[i + 1] != '?')) groups++;
            if (c == '(' && i + 2 < pattern.Length && pattern[i + 1] == '?' && pattern[i + 2] != '<' && pattern[i + 2] != ':')
            {
                // A flag group like (?i) or (?m:...): note whether $ and ^ become per line.
                var end = pattern.IndexOfAny([')', ':'], i);
                if (end > 0)
                {
                    var flags = pattern[(i + 2)..end];
                    var minus = flags.IndexOf('-');
                    if ((minus < 0 ? flags : flags[..minus]).Contains('m')) multiline = true;
                }
            }
            if (c == '$' && !multiline)
            {
                sb.Append(@"\z");
                i++;
                continue;
            }
            sb.Append(c);
            i++;
        }
        return sb.ToString();
    }

    private static int TranslateClass(string pattern, int i, StringBuilder sb)
    {
        sb.Append('[');
        i++;
        if (i < pattern.Length && pattern[i] == '^') { sb.Append('^'); i++; }
        if (i < pattern.Length && pattern[i] == ']') { sb.Append(@"\]"); i++; }
        while (i < pattern.Length && pattern[i] != ']')
        {
            if (pattern[i] == '[' && pattern.AsSpan(i).StartsWith("[:"))
            {
                var end = pattern.IndexOf(":]", i + 2, StringComparison.Ordinal);
                if (end > 0)
                {
                    var name = pattern[(i + 2)..end];
                    var negated = name.StartsWith('^');
                    if (!negated && PosixClasses.TryGetValue(name, out var ranges))
                    {
                        sb.Append(ranges);
                        i = end + 2;
                        continue;
                    }
                }
            }
            if (pattern[i] == '\\' && i + 1 < pattern.Length)
            {
                switch (pattern[i + 1])
                {
                    case 'd': sb.Append("0-9"); break;
                    case 'w': sb.Append("0-9A-Za-z_"); break;
                    case 's': sb.Append(@"\t\n\f\r "); break;
                    default: sb.Append(pattern, i, 2); break;
                }
                i += 2;
                continue;
            }
            if (pattern[i] == '[') { sb.Append(@"\["); i++; continue; }
            sb.Append(pattern[i]);
            i++;
        }
        if (i < pattern.Length) { sb.Append(']'); i++; }
        return i;
    }

    /// <summary>
    /// Go's template expansion: <c>$1</c>, <c>$name</c> (the longest run of letters, digits and underscores),
    /// <c>${name}</c>; an unknown or unmatched group is empty; <c>$$</c> is a dollar; a malformed <c>$</c> stays.
    /// </summary>
    public static string Expand(Compiled regex, Match match, string template)
    {
        var sb = new StringBuilder();
        var i = 0;
        while (i < template.Length)
        {
            var c = template[i];
            if (c != '$' || i + 1 >= template.Length)
            {
                sb.Append(c);
                i++;
                continue;
            }
            if (template[i + 1] == '$')
            {
                sb.Append('$');
                i += 2;
                continue;
            }
            string name;
            int next;
            if (template[i + 1] == '{')
            {
                var close = template.IndexOf('}', i + 2);
                name = close < 0 ? "" : template[(i + 2)..close];
                next = close + 1;
            }
            else
            {
                var j = i + 1;
                while (j < template.Length && (char.IsAsciiLetterOrDigit(template[j]) || template[j] == '_')) j++;
                name = template[(i + 1)..j];
                next = j;
            }
            if (name.Length == 0 || !name.All(ch => char.IsAsciiLetterOrDigit(ch) || ch == '_'))
            {
                sb.Append('$');
                i++;
                continue;
            }
            Group? group = null;
            if (name.All(char.IsAsciiDigit))
            {
                if (int.TryParse(name, out var n) && n < match.Groups.Count) group = match.Groups[n];
            }
            else if (regex.GroupNames.TryGetValue(name, out var n))
            {
                group = match.Groups[n];
            }
            if (group is { Success: true }) sb.Append(group.Value);
            i = next;
        }
        return sb.ToString();
    }
}
