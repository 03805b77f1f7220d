using System.Text;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>Go's path/filepath on Unix (Clean, Join, Base, Dir, Abs) and go-homedir's Expand.</summary>
internal static class GoPath
{
    /// <summary>Lexical clean: one slash between elements, no "." elements, ".." folded where it can be.</summary>
    public static string Clean(string path)
    {
        if (path == "") return ".";
        var rooted = path.StartsWith('/');
        var parts = new List<string>();
        foreach (var part in path.Split('/'))
        {
            if (part is "" or ".") continue;
            if (part == "..")
            {
                if (parts.Count > 0 && parts[^1] != "..") parts.RemoveAt(parts.Count - 1);
                else if (!rooted) parts.Add("..");
                continue;
            }
            parts.Add(part);
        }
        var joined = string.Join('/', parts);
        if (rooted) return "/" + joined;
        return joined == "" ? "." : joined;
    }

    public static string Join(string a, string b) =>
        a == "" ? Clean(b) : b == "" ? Clean(a) : Clean(a + "/" + b);

    public static string Base(string path)
    {
        if (path == "") return ".";
        path = path.TrimEnd('/');
        if (path == "") return "/";
        var slash = path.LastIndexOf('/');
        return slash >= 0 ? path[(slash + 1)..] : path;
    }

    public static string Dir(string path)
    {
        var slash = path.LastIndexOf('/');
        return Clean(path[..(slash + 1)]);
    }

    public static string Abs(string path) =>
        path.StartsWith('/') ? Clean(path) : Join(Directory.GetCurrentDirectory(), path);

    /// <summary>"~" and "~/x" become the home directory; "~user" is refused as go-homedir does.</summary>
    public static string ExpandHome(string path)
    {
        if (path.Length == 0 || path[0] != '~') return path;
        if (path.Length > 1 && path[1] != '/' && path[1] != '\\')
            throw new FunctionError("cannot expand user-specific home dir");
        var home = Environment.GetEnvironmentVariable("HOME");
        if (string.IsNullOrEmpty(home)) home = Environment.GetFolderPath(Environment.SpecialFolder.UserProfile);
        if (string.IsNullOrEmpty(home)) throw new FunctionError("blank output when reading home directory");
        return home + path[1..];
    }

    /// <summary>
    /// doublestar's glob syntax as a regular expression over slash-separated paths: <c>**</c> (any number of
    /// directories), <c>*</c> and <c>?</c> (within one name), <c>[...]</c> classes and <c>{a,b}</c> alternatives.
    /// </summary>
    public static string GlobToRegex(string pattern)
    {
        var sb = new StringBuilder("^");
        var braces = 0;
        for (var i = 0; i < pattern.Length; i++)
        {
            var c = pattern[i];
            switch (c)
            {
                case '*' when i + 1 < pattern.Length && pattern[i + 1] == '*':
                    var wholeSegment = (i == 0 || pattern[i - 1] == '/') && (i + 2 == pattern.Length || pattern[i + 2] == '/');
                    if (wholeSegment && i + 2 < pattern.Length)
                    {
                        sb.Append("(?:[^/]*(?:/[^/]*)*/)?");
                        i += 2;
                    }
                    else
                    {
                        sb.Append(".*");
                        i++;
                    }
                    break;
                case '*': sb.Append("[^/]*"); break;
                case '?': sb.Append("[^/]"); break;
                case '[':
                {
                    var close = pattern.IndexOf(']', i + 1);
                    if (close < 0) throw new FunctionError("syntax error in pattern");
                    var body = pattern[(i + 1)..close];
                    if (body.StartsWith('!') || body.StartsWith('^')) body = "^" + body[1..];
                    sb.Append('[').Append(body.Replace("\\", "\\\\")).Append(']');
                    i = close;
                    break;
                }
                case '{': sb.Append("(?:"); braces++; break;
                case '}' when braces > 0: sb.Append(')'); braces--; break;
                case ',' when braces > 0: sb.Append('|'); break;
                case '\\' when i + 1 < pattern.Length:
                    sb.Append(System.Text.RegularExpressions.Regex.Escape(pattern[++i].ToString()));
                    break;
                default: sb.Append(System.Text.RegularExpressions.Regex.Escape(c.ToString())); break;
            }
        }
        if (braces > 0) throw new FunctionError("syntax error in pattern");
        return sb.Append('$').ToString();
    }
}
