using System.Globalization;
using System.Text;

namespace Nomad.Executor;

/// <summary>
/// The little JSON the shim needs: it reads one spec and writes two small status files. System.Text.Json would
/// bring a large part of the shim's code (and so of every shim's resident memory, 200 shims for 200 tasks);
/// this reads standard JSON into plain values (objects as <see cref="Dictionary{TKey, TValue}"/>, arrays as
/// <see cref="List{T}"/>, strings, <see cref="long"/> or <see cref="double"/> numbers, booleans, null) and
/// writes flat objects.
/// </summary>
internal static class MiniJson
{
    /// <summary>Parses a whole JSON document; throws <see cref="InvalidDataException"/> naming the offset on bad input.</summary>
    public static object? Parse(ReadOnlySpan<byte> utf8)
    {
        var p = new Parser(Encoding.UTF8.GetString(utf8));
        p.Ws();
        var v = p.Value();
        p.Ws();
        if (p.Pos != p.Text.Length) throw p.Error("trailing characters");
        return v;
    }

    private sealed class Parser(string text)
    {
        public readonly string Text = text;
        public int Pos;

        public InvalidDataException Error(string what) => new($"spec: invalid JSON at offset {Pos}: {what}");

        public void Ws()
        {
            while (Pos < Text.Length && Text[Pos] is ' ' or '\t' or '\n' or '\r') Pos++;
        }

        private char Peek() => Pos < Text.Length ? Text[Pos] : '\0';

        private void Expect(char c)
        {
            if (Peek() != c) throw Error($"expected '{c}'");
            Pos++;
        }

        public object? Value()
        {
            switch (Peek())
            {
                case '{': return Object();
                case '[': return Array();
                case '"': return String();
                case 't': Word("true"); return true;
                case 'f': Word("false"); return false;
                case 'n': Word("null"); return null;
                default: return Number();
            }
        }

        private void Word(string w)
        {
            if (string.CompareOrdinal(Text, Pos, w, 0, w.Length) != 0) throw Error($"expected {w}");
            Pos += w.Length;
        }

        private Dictionary<string, object?> Object()
        {
            var o = new Dictionary<string, object?>(StringComparer.Ordinal);
            Expect('{');
            Ws();
            if (Peek() == '}') { Pos++; return o; }
            while (true)
            {
                Ws();
                var key = String();
                Ws();
                Expect(':');
                Ws();
                o[key] = Value();
                Ws();
                if (Peek() == ',') { Pos++; continue; }
                Expect('}');
                return o;
            }
        }

        private List<object?> Array()
        {
            var a = new List<object?>();
            Expect('[');
            Ws();
            if (Peek() == ']') { Pos++; return a; }
            while (true)
            {
                Ws();
                a.Add(Value());
                Ws();
                if (Peek() == ',') { Pos++; continue; }
                Expect(']');
                return a;
            }
        }

        private string String()
        {
            Expect('"');
            var sb = new StringBuilder();
            while (true)
            {
                if (Pos >= Text.Length) throw Error("unterminated string");
                char c = Text[Pos++];
                if (c == '"') return sb.ToString();
                if (c != '\\') { sb.Append(c); continue; }
                if (Pos >= Text.Length) throw Error("unterminated escape");
                char e = Text[Pos++];
                switch (e)
                {
                    case '"': sb.Append('"'); break;
                    case '\\': sb.Append('\\'); break;
                    case '/': sb.Append('/'); break;
                    case 'b': sb.Append('\b'); break;
                    case 'f': sb.Append('\f'); break;
                    case 'n': sb.Append('\n'); break;
                    case 'r': sb.Append('\r'); break;
                    case 't': sb.Append('\t'); break;
                    case 'u':
                        if (Pos + 4 > Text.Length || !ushort.TryParse(Text.AsSpan(Pos, 4), NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out var u))
                            throw Error("bad \\u escape");
                        sb.Append((char)u); // surrogate pairs arrive as two escapes and pair up in the string
                        Pos += 4;
                        break;
                    default: throw Error($"bad escape \\{e}");
                }
            }
        }

        private object Number()
        {
            int start = Pos;
            if (Peek() == '-') Pos++;
            bool integral = true;
            while (Pos < Text.Length && (char.IsAsciiDigit(Text[Pos]) || Text[Pos] is '.' or 'e' or 'E' or '+' or '-'))
            {
                if (Text[Pos] is '.' or 'e' or 'E') integral = false;
                Pos++;
            }
            var s = Text.AsSpan(start, Pos - start);
            if (s.Length == 0) throw Error("expected a value");
            if (integral && long.TryParse(s, NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var l)) return l;
            if (double.TryParse(s, NumberStyles.Float, CultureInfo.InvariantCulture, out var d)) return d;
            throw Error("bad number");
        }
    }

    /// <summary>Writes one flat JSON object.</summary>
    public sealed class ObjectWriter
    {
        private readonly StringBuilder _sb = new("{");

        public ObjectWriter Number(string name, long value) { Name(name); _sb.Append(value.ToString(CultureInfo.InvariantCulture)); return this; }
        public ObjectWriter Bool(string name, bool value) { Name(name); _sb.Append(value ? "true" : "false"); return this; }
        public ObjectWriter String(string name, string value) { Name(name); Quote(value); return this; }

        public byte[] ToUtf8() => Encoding.UTF8.GetBytes(_sb.ToString() + "}");

        private void Name(string name)
        {
            if (_sb.Length > 1) _sb.Append(',');
            Quote(name);
            _sb.Append(':');
        }

        private void Quote(string s)
        {
            _sb.Append('"');
            foreach (var c in s)
            {
                switch (c)
                {
                    case '"': _sb.Append("\\\""); break;
                    case '\\': _sb.Append("\\\\"); break;
                    case '\n': _sb.Append("\\n"); break;
                    case '\r': _sb.Append("\\r"); break;
                    case '\t': _sb.Append("\\t"); break;
                    default:
                        if (c < 0x20) _sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                        else _sb.Append(c);
                        break;
                }
            }
            _sb.Append('"');
        }
    }

    // Typed lookups on a parsed object.
    public static string Str(Dictionary<string, object?> o, string name) => o.TryGetValue(name, out var v) && v is string s ? s : "";
    public static long? Long(Dictionary<string, object?> o, string name) => o.TryGetValue(name, out var v) && v is long l ? l : null;
    public static bool? Bool(Dictionary<string, object?> o, string name) => o.TryGetValue(name, out var v) && v is bool b ? b : null;
    public static Dictionary<string, object?>? Obj(Dictionary<string, object?> o, string name) => o.TryGetValue(name, out var v) ? v as Dictionary<string, object?> : null;
    public static List<string> Strings(Dictionary<string, object?> o, string name)
    {
        var list = new List<string>();
        if (o.TryGetValue(name, out var v) && v is List<object?> a)
            foreach (var x in a) list.Add(x as string ?? "");
        return list;
    }
}
