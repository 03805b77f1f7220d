using System.Globalization;
using System.Text;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Values;
using YamlDotNet.Core;
using YamlDotNet.RepresentationModel;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// yamldecode and yamlencode as go-cty-yaml does them. Decoding: mappings become objects, sequences tuples, and
/// plain scalars are resolved by YAML 1.1's rules as go-yaml has them (null, ~, true/yes/on, false/no/off,
/// numbers with _ and 0x/0o/0b, timestamps kept as RFC 3339 strings); quoted scalars are strings; one document
/// only, and errors at libyaml's 0-based line and column as go-cty-yaml reports them. Encoding writes
/// what libyaml's emitter writes for those events: block mappings and sequences, keys and strings double-quoted,
/// strings holding a line break as literal blocks, empty collections as {} and [].
/// </summary>
internal static class CtyYaml
{
    private const string TagPrefix = "tag:yaml.org,2002:";

    public static Value Decode(string src)
    {
        var stream = new YamlStream();
        try { stream.Load(new StringReader(src)); }
        catch (YamlException e)
        {
            throw At(e.Start, e.Message);
        }
        catch (InvalidOperationException)
        {
            // YamlDotNet's scanner gives up this way on some malformed input (an unclosed flow sequence).
            throw new FunctionError("the document is not valid YAML");
        }
        if (stream.Documents.Count == 0)
        {
            // go-cty-yaml reads "" as "\n"; either way the stream ends where a document should start.
            var text = src.Length == 0 ? "\n" : src;
            var line = text.Count(c => c == '\n');
            throw new FunctionError($"on line {line}, column {text.Length - text.LastIndexOf('\n') - 1}: missing start of document");
        }
        if (stream.Documents.Count > 1) throw At(SecondDocumentStart(src), "only a single document is allowed");
        var budget = EvaluationBudget.MaxValues;
        return Read(stream.Documents[0].RootNode, ref budget);
    }

    /// <summary>go-cty-yaml reports libyaml's marks as they are, counting lines and columns from 0.</summary>
    private static FunctionError At(Mark mark, string message) =>
        new($"on line {mark.Line - 1}, column {mark.Column - 1}: {message}");

    private static Mark SecondDocumentStart(string src)
    {
        var parser = new YamlDotNet.Core.Parser(new StringReader(src));
        var documents = 0;
        while (parser.MoveNext())
            if (parser.Current is YamlDotNet.Core.Events.DocumentStart start && ++documents == 2)
                return start.Start;
        return Mark.Empty;
    }

    /// <summary>
    /// The node as a value, each alias expanded to a copy of what it names, as go-cty-yaml does. Aliases can nest
    /// (a "billion laughs" document of a few hundred bytes expands to 10^9 values), so every value made counts against
    /// <paramref name="budget"/>, the evaluation's limit on values (<see cref="EvaluationBudget.MaxValues"/>).
    /// </summary>
    private static Value Read(YamlNode node, ref int budget)
    {
        if (--budget < 0)
            throw new FunctionError($"the document expands to more than {EvaluationBudget.MaxValues} values (through its aliases); a document this large is refused");
        switch (node)
        {
            case YamlScalarNode s:
                return Scalar(s);
            case YamlSequenceNode seq:
                var items = new List<Value>(seq.Children.Count);
                foreach (var child in seq.Children) items.Add(Read(child, ref budget));
                return new TupleValue(items);
            case YamlMappingNode map:
                return Mapping(map, ref budget);
            default:
                throw new FunctionError("unsupported YAML node");
        }
    }

    private static Value Mapping(YamlMappingNode map, ref int budget)
    {
        var attributes = new Dictionary<string, Value>();
        foreach (var (k, v) in map.Children)
        {
            if (k is not YamlScalarNode) throw At(k.Start, "only strings are allowed as mapping keys");
            var key = Read(k, ref budget);
            if (key.IsNull) throw At(k.Start, "mapping key cannot be null");
            attributes[((StringValue)ValueConversion.Convert(key, HclType.String)).Value] = Read(v, ref budget);
        }
        return new ObjectValue(attributes);
    }

    private static Value Scalar(YamlScalarNode node)
    {
        var text = node.Value ?? "";
        var tag = node.Tag.IsEmpty || node.Tag.IsNonSpecific ? "" : node.Tag.Value;
        if (tag.StartsWith(TagPrefix, StringComparison.Ordinal)) tag = "!!" + tag[TagPrefix.Length..];
        var quoted = node.Style is ScalarStyle.SingleQuoted or ScalarStyle.DoubleQuoted or ScalarStyle.Literal or ScalarStyle.Folded;
        if (tag == "" && quoted) return Value.Of(text);
        try { return Resolve(tag, text); }
        catch (FunctionError e)
        {
            throw At(node.Start, e.Message);
        }
    }

    private static readonly Dictionary<string, Value> Known = new()
    {
        ["y"] = Value.True, ["Y"] = Value.True, ["yes"] = Value.True, ["Yes"] = Value.True, ["YES"] = Value.True,
        ["true"] = Value.True, ["True"] = Value.True, ["TRUE"] = Value.True,
        ["on"] = Value.True, ["On"] = Value.True, ["ON"] = Value.True,
        ["n"] = Value.False, ["N"] = Value.False, ["no"] = Value.False, ["No"] = Value.False, ["NO"] = Value.False,
        ["false"] = Value.False, ["False"] = Value.False, ["FALSE"] = Value.False,
        ["off"] = Value.False, ["Off"] = Value.False, ["OFF"] = Value.False,
        [""] = Value.Null(HclType.Dynamic), ["~"] = Value.Null(HclType.Dynamic),
        ["null"] = Value.Null(HclType.Dynamic), ["Null"] = Value.Null(HclType.Dynamic), ["NULL"] = Value.Null(HclType.Dynamic),
    };

    private static Value Resolve(string tag, string src)
    {
        if (tag is not ("" or "!!str" or "!!bool" or "!!int" or "!!float" or "!!null" or "!!timestamp" or "!!binary"))
            throw new FunctionError($"unsupported tag {GoQuote.Quote(tag)}");
        if (tag is not ("!!str" or "!!binary"))
        {
            if (Known.TryGetValue(src, out var known) && (tag == "" || tag == (known.IsNull ? "!!null" : "!!bool"))) return known;
            if (src is ".inf" or ".Inf" or ".INF" or "+.inf" or "+.Inf" or "+.INF") return Value.Of(double.PositiveInfinity);
            if (src is "-.inf" or "-.Inf" or "-.INF") return Value.Of(double.NegativeInfinity);
            if (src is ".nan" or ".NaN" or ".NAN") throw new FunctionError("floating point NaN is not supported");
            var first = src.Length > 0 ? src[0] : ' ';
            if (tag is "" or "!!timestamp" && char.IsAsciiDigit(first) && TryTimestamp(src, out var ts)) return Value.Of(ts);
            if (first is '+' or '-' or '.' || char.IsAsciiDigit(first))
            {
                var plain = src.Replace("_", "");
                if (ValueConversion.TryParseNumber(plain.StartsWith('+') ? plain[1..] : plain, out var d)) return Value.Of(d);
                if (TryPrefixedInteger(plain, out var n)) return Value.Of(n);
            }
        }
        return tag switch
        {
            "" or "!!str" => Value.Of(src),
            "!!binary" => IsBase64(src) ? Value.Of(src) : throw new FunctionError($"cannot parse {GoQuote.Quote(src)} as !!binary: not valid base64"),
            "!!null" => Value.Null(HclType.Dynamic),
            _ => throw new FunctionError($"cannot parse {GoQuote.Quote(src)} as {tag}"),
        };
    }

    private static bool IsBase64(string s)
    {
        try { Convert.FromBase64String(s); return true; }
        catch (FormatException) { return false; }
    }

    private static bool TryPrefixedInteger(string s, out double n)
    {
        n = 0;
        var negative = s.StartsWith('-');
        var body = s.TrimStart('-', '+');
        int radix;
        if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase)) { radix = 16; body = body[2..]; }
        else if (body.StartsWith("0b", StringComparison.Ordinal)) { radix = 2; body = body[2..]; }
        else if (body.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) { radix = 8; body = body[2..]; }
        else if (body.Length > 1 && body[0] == '0') { radix = 8; body = body[1..]; }
        else return false;
        if (body.Length == 0) return false;
        try { n = Convert.ToUInt64(body, radix); }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException) { return false; }
        if (negative) n = -n;
        return true;
    }

    private static readonly string[] TimestampFormats =
    [
        "yyyy-M-d'T'H:m:s.FFFFFFFK", "yyyy-M-d't'H:m:s.FFFFFFFK", "yyyy-M-d H:m:s.FFFFFFF", "yyyy-M-d",
    ];

    private static bool TryTimestamp(string s, out string rfc3339)
    {
        rfc3339 = "";
        if (s.Length < 5 || !s[..4].All(char.IsAsciiDigit) || s[4] != '-') return false;
        if (!DateTimeOffset.TryParseExact(s, TimestampFormats, CultureInfo.InvariantCulture,
                DateTimeStyles.AssumeUniversal, out var t)) return false;
        rfc3339 = GoTime.Format(new GoTime.Timestamp(t.UtcDateTime, t.Offset));
        return true;
    }

    public static string Encode(Value value)
    {
        var emitter = new Emitter();
        emitter.Node(value, -1, mappingContext: false);
        emitter.Indent(-1);
        return emitter.ToString();
    }

    /// <summary>The parts of libyaml's block emitter these values need, with its indentation and line rules.</summary>
    private sealed class Emitter
    {
        private const int BestIndent = 2;
        private const int BestWidth = 80;
        private readonly StringBuilder sb = new();
        private int column;
        private bool whitespace = true;
        private bool indention = true;

        public override string ToString() => sb.ToString();

        public void Node(Value v, int parentIndent, bool mappingContext)
        {
            switch (v)
            {
                case SequenceValue s when s.Items.Count == 0: Indicator("[", true, true, false); Indicator("]", false, false, false); break;
                case KeyedValue k when k.Items.Count == 0: Indicator("{", true, true, false); Indicator("}", false, false, false); break;
                case SequenceValue s:
                {
                    var indent = parentIndent < 0 ? 0 : mappingContext && !indention ? parentIndent : parentIndent + BestIndent;
                    foreach (var item in s.Items)
                    {
                        Indent(indent);
                        Indicator("-", true, false, true);
                        Node(item, indent, mappingContext: false);
                    }
                    break;
                }
                case KeyedValue k:
                {
                    var indent = parentIndent < 0 ? 0 : parentIndent + BestIndent;
                    foreach (var (key, item) in k.Items)
                    {
                        Indent(indent);
                        DoubleQuoted(key, indent + BestIndent, allowBreaks: false);
                        Indicator(":", false, false, false);
                        Node(item, indent, mappingContext: true);
                    }
                    break;
                }
                default:
                    Scalar(v, parentIndent < 0 ? BestIndent : parentIndent + BestIndent);
                    break;
            }
        }

        private void Scalar(Value v, int indent)
        {
            switch (v)
            {
                case NullValue: Plain("null"); break;
                case BoolValue b: Plain(b.Value ? "true" : "false"); break;
                case NumberValue n:
                    Plain(double.IsPositiveInfinity(n.Value) ? "+.Inf" : double.IsNegativeInfinity(n.Value) ? "-.Inf" : GoFloat.Format(n.Value, 'f', -1));
                    break;
                case StringValue s when s.Value.Contains('\n') && LiteralAllowed(s.Value): Literal(s.Value, indent); break;
                case StringValue s: DoubleQuoted(s.Value, indent, allowBreaks: true); break;
            }
        }

        private void Plain(string text)
        {
            if (!whitespace) Put(' ');
            Write(text);
            whitespace = false;
            indention = false;
        }

        /// <summary>libyaml refuses a block scalar with a trailing space, a space before a line break, or a character it must escape.</summary>
        private static bool LiteralAllowed(string s)
        {
            if (s.EndsWith(' ')) return false;
            for (var i = 0; i < s.Length; i++)
            {
                if (s[i] == ' ' && i + 1 < s.Length && IsBreak(s[i + 1])) return false;
                if (s[i] != '\n' && (!IsPrintable(s, i) || s[i] == '\uFEFF')) return false;
            }
            return true;
        }

        private void Literal(string s, int indent)
        {
            Indicator("|", true, false, false);
            if (s[0] == ' ' || IsBreak(s[0])) Indicator(BestIndent.ToString(CultureInfo.InvariantCulture), false, false, false);
            if (!IsBreak(s[^1])) Indicator("-", false, false, false);
            else if (s.Length == 1 || IsBreak(s[^2])) Indicator("+", false, false, false);
            PutBreak();
            indention = true;
            whitespace = true;
            var breaks = true;
            foreach (var c in s)
            {
                if (IsBreak(c))
                {
                    PutBreak();
                    indention = true;
                    breaks = true;
                    continue;
                }
                if (breaks)
                {
                    Indent(indent);
                    breaks = false;
                }
                Write(c.ToString());
                indention = false;
            }
        }

        private void DoubleQuoted(string s, int indent, bool allowBreaks)
        {
            Indicator("\"", true, false, false);
            var spaces = false;
            var runes = s.EnumerateRunes().ToList();
            for (var i = 0; i < runes.Count; i++)
            {
                var r = runes[i];
                var v = r.Value;
                if (!IsPrintable(v) || v == 0xFEFF || IsBreak(v) || v == '"' || v == '\\')
                {
                    Put('\\');
                    var escape = v switch
                    {
                        0x00 => "0", 0x07 => "a", 0x08 => "b", 0x09 => "t", 0x0A => "n", 0x0B => "v", 0x0C => "f",
                        0x0D => "r", 0x1B => "e", 0x22 => "\"", 0x5C => "\\", 0x85 => "N", 0xA0 => "_",
                        0x2028 => "L", 0x2029 => "P",
                        <= 0xFF => "x" + v.ToString("X2", CultureInfo.InvariantCulture),
                        <= 0xFFFF => "u" + v.ToString("X4", CultureInfo.InvariantCulture),
                        _ => "U" + v.ToString("X8", CultureInfo.InvariantCulture),
                    };
                    Write(escape);
                    spaces = false;
                }
                else if (v == ' ')
                {
                    if (allowBreaks && !spaces && column > BestWidth && i != 0 && i != runes.Count - 1)
                    {
                        Indent(indent);
                        if (i + 1 < runes.Count && runes[i + 1].Value == ' ') Put('\\');
                    }
                    else
                    {
                        Write(" ");
                    }
                    spaces = true;
                }
                else
                {
                    Write(r.ToString());
                    spaces = false;
                }
            }
            Indicator("\"", false, false, false);
        }

        private static bool IsBreak(int c) => c is '\r' or '\n' or 0x85 or 0x2028 or 0x2029;

        private static bool IsPrintable(string s, int i) =>
            char.IsSurrogate(s[i]) ? char.IsSurrogatePair(s, i) || (i > 0 && char.IsSurrogatePair(s, i - 1)) : IsPrintable(s[i]);

        private static bool IsPrintable(int c) =>
            c == 0x0A || (c >= 0x20 && c <= 0x7E) || c == 0x85 || (c >= 0xA0 && c <= 0xD7FF)
            || (c >= 0xE000 && c <= 0xFFFD) || (c >= 0x10000 && c <= 0x10FFFF);

        public void Indent(int indent)
        {
            var target = Math.Max(indent, 0);
            if (!indention || column > target || (column == target && !whitespace)) PutBreak();
            while (column < target) Put(' ');
            whitespace = true;
            indention = true;
        }

        private void Indicator(string text, bool needWhitespace, bool isWhitespace, bool isIndention)
        {
            if (needWhitespace && !whitespace) Put(' ');
            Write(text);
            whitespace = isWhitespace;
            indention = indention && isIndention;
        }

        private void Put(char c)
        {
            sb.Append(c);
            column++;
        }

        private void Write(string text)
        {
            sb.Append(text);
            column += text.EnumerateRunes().Count();
        }

        private void PutBreak()
        {
            sb.Append('\n');
            column = 0;
        }
    }
}
