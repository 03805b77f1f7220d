using System.Collections;
using System.Text;

namespace Nomad.Agent.Templates;

/// <summary>text/template's predefined functions with Go's semantics and error words.</summary>
public static class Builtins
{
    private static readonly Dictionary<string, TemplateFunction> All = new TemplateFunction[]
    {
        TemplateFunction.Varargs("and", 1, a => a.FirstOrDefault(v => !GoValues.IsTrue(v), a[^1])),
        TemplateFunction.Varargs("or", 1, a => a.FirstOrDefault(GoValues.IsTrue, a[^1])),
        TemplateFunction.Fixed("not", 1, a => !GoValues.IsTrue(a[0])),
        TemplateFunction.Fixed("len", 1, a => Length(a[0])),
        TemplateFunction.Varargs("index", 1, a => Index(a[0], a[1..])),
        TemplateFunction.Varargs("slice", 1, a => Slice(a[0], a[1..])),
        TemplateFunction.Varargs("print", 0, GoFmt.Sprint),
        TemplateFunction.Varargs("printf", 1, a => GoFmt.Sprintf(Args.String(a, 0), a[1..])),
        TemplateFunction.Varargs("println", 0, GoFmt.Sprintln),
        TemplateFunction.Varargs("html", 0, a => HtmlEscape(EvalArgs(a))),
        TemplateFunction.Varargs("js", 0, a => JsEscape(EvalArgs(a))),
        TemplateFunction.Varargs("urlquery", 0, a => QueryEscape(EvalArgs(a))),
        TemplateFunction.Varargs("call", 1, a => Call(a[0], a[1..])),
        TemplateFunction.Varargs("eq", 1, a => Eq(a[0], a[1..])),
        TemplateFunction.Fixed("ne", 2, a => !Eq(a[0], [a[1]])),
        TemplateFunction.Fixed("lt", 2, a => Lt(a[0], a[1])),
        TemplateFunction.Fixed("le", 2, a => Lt(a[0], a[1]) || Eq(a[0], [a[1]])),
        TemplateFunction.Fixed("gt", 2, a => !(Lt(a[0], a[1]) || Eq(a[0], [a[1]]))),
        TemplateFunction.Fixed("ge", 2, a => !Lt(a[0], a[1])),
    }.ToDictionary(f => f.Name);

    public static TemplateFunction? Get(string name) => All.GetValueOrDefault(name);

    private static TemplateFunctionException Fail(string message) => new(message);

    private static long Length(object? item) => GoValues.Normalize(item) switch
    {
        null or NoValue => throw Fail("len of nil pointer"),
        string s => Encoding.UTF8.GetByteCount(s),
        ICollection c => c.Count,
        var v => throw Fail($"len of type {GoValues.TypeName(v)}"),
    };

    private static long IndexArg(object? index, long cap)
    {
        if (GoValues.Normalize(index) is not long x) throw Fail($"cannot index slice/array with type {GoValues.TypeName(index)}");
        if (x < 0 || x >= cap) throw Fail($"index out of range: {x}");
        return x;
    }

    private static object? Index(object? item, object?[] indexes)
    {
        item = GoValues.Normalize(item);
        if (item is null or NoValue) throw Fail("index of untyped nil");
        foreach (var index in indexes)
        {
            item = GoValues.Normalize(item);
            switch (item)
            {
                case null or NoValue: throw Fail("index of nil pointer");
                case string s:
                    var bytes = Encoding.UTF8.GetBytes(s);
                    item = (long)bytes[IndexArg(index, bytes.Length)];
                    break;
                case IList list:
                    item = list[(int)IndexArg(index, list.Count)];
                    break;
                case IDictionary map:
                    if (index is not string key) throw Fail($"value has type {GoValues.TypeName(index)}; should be string");
                    item = map.Contains(key) ? map[key] : null;
                    break;
                default: throw Fail($"can't index item of type {GoValues.TypeName(item)}");
            }
        }
        return item;
    }

    private static object? Slice(object? item, object?[] indexes)
    {
        item = GoValues.Normalize(item);
        if (item is null or NoValue) throw Fail("slice of untyped nil");
        if (indexes.Length > 3) throw Fail($"too many slice indexes: {indexes.Length}");
        int length;
        switch (item)
        {
            case string s:
                if (indexes.Length == 3) throw Fail("cannot 3-index slice a string");
                length = Encoding.UTF8.GetByteCount(s);
                break;
            case IList list: length = list.Count; break;
            default: throw Fail($"can't slice item of type {GoValues.TypeName(item)}");
        }
        var idx = new long[] { 0, length, length };
        for (var i = 0; i < indexes.Length; i++)
        {
            if (GoValues.Normalize(indexes[i]) is not long x) throw Fail($"cannot index slice/array with type {GoValues.TypeName(indexes[i])}");
            if (x < 0 || x > length) throw Fail($"index out of range: {x}");
            idx[i] = x;
        }
        if (idx[0] > idx[1]) throw Fail($"invalid slice index: {idx[0]} > {idx[1]}");
        if (indexes.Length < 3) idx[2] = length;
        else if (idx[1] > idx[2]) throw Fail($"invalid slice index: {idx[1]} > {idx[2]}");
        if (item is string str)
        {
            var bytes = Encoding.UTF8.GetBytes(str);
            return Encoding.UTF8.GetString(bytes, (int)idx[0], (int)(idx[1] - idx[0]));
        }
        var l = (IList)item;
        var result = new List<object?>();
        for (var i = idx[0]; i < idx[1]; i++) result.Add(l[(int)i]);
        return result;
    }

    private static object? Call(object? fn, object?[] args) => fn switch
    {
        null => throw Fail("call of nil"),
        TemplateFunction f => f.Variadic ? f.Invoke(args) : args.Length == f.FixedArgs ? f.Invoke(args)
            : throw Fail($"wrong number of args for {f.Name}: got {args.Length} want {f.FixedArgs}"),
        Func<object?[], object?> f => f(args),
        Delegate d => d.DynamicInvoke(args),
        _ => throw Fail($"non-function of type {GoValues.TypeName(fn)}"),
    };

    private enum Kind { Invalid, Bool, Int, Float, String, Other }

    private static Kind KindOf(object? v) => GoValues.Normalize(v) switch
    {
        null or NoValue => Kind.Invalid,
        bool => Kind.Bool,
        long => Kind.Int,
        double => Kind.Float,
        string => Kind.String,
        _ => Kind.Other,
    };

    private static bool Eq(object? a, object?[] others)
    {
        if (others.Length == 0) throw Fail("missing argument for comparison");
        a = GoValues.Normalize(a);
        var k1 = KindOf(a);
        foreach (var raw in others)
        {
            var b = GoValues.Normalize(raw);
            var k2 = KindOf(b);
            bool truth;
            if (k1 != k2)
            {
                if (k1 != Kind.Invalid && k2 != Kind.Invalid) throw Fail("incompatible types for comparison");
                truth = false;
            }
            else truth = k1 switch
            {
                Kind.Invalid => true,
                Kind.Bool => (bool)a! == (bool)b!,
                Kind.Int => (long)a! == (long)b!,
                Kind.Float => (double)a! == (double)b!,
                Kind.String => (string)a! == (string)b!,
                _ when a is ICollection => throw Fail($"non-comparable type {GoFmt.ToText(a)}: {GoValues.TypeName(a)}"),
                _ when b is ICollection => throw Fail($"non-comparable type {GoFmt.ToText(b)}: {GoValues.TypeName(b)}"),
                _ => Equals(a, b),
            };
            if (truth) return true;
        }
        return false;
    }

    private static bool Lt(object? a, object? b)
    {
        a = GoValues.Normalize(a);
        b = GoValues.Normalize(b);
        var k1 = KindOf(a);
        var k2 = KindOf(b);
        if (k1 is Kind.Invalid or Kind.Other or Kind.Bool || k2 is Kind.Invalid or Kind.Other or Kind.Bool)
        {
            if (k1 != k2 && k1 is not (Kind.Invalid or Kind.Other or Kind.Bool) && k2 is not (Kind.Invalid or Kind.Other or Kind.Bool))
                throw Fail("incompatible types for comparison");
            throw Fail("invalid type for comparison");
        }
        if (k1 != k2) throw Fail("incompatible types for comparison");
        return k1 switch
        {
            Kind.Int => (long)a! < (long)b!,
            Kind.Float => (double)a! < (double)b!,
            _ => string.CompareOrdinal((string)a!, (string)b!) < 0,
        };
    }

    /// <summary>html/js/urlquery take the Sprint of their arguments, or a lone string argument as it is.</summary>
    private static string EvalArgs(object?[] args) => args.Length == 1 && args[0] is string s ? s : GoFmt.Sprint(args);

    public static string HtmlEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        foreach (var c in s)
        {
            sb.Append(c switch
            {
                '"' => "&#34;",
                '\'' => "&#39;",
                '&' => "&amp;",
                '<' => "&lt;",
                '>' => "&gt;",
                '\0' => "\uFFFD",
                _ => c.ToString(),
            });
        }
        return sb.ToString();
    }

    public static string JsEscape(string s)
    {
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            switch (c)
            {
                case '\\': sb.Append(@"\\"); break;
                case '\'': sb.Append(@"\'"); break;
                case '"': sb.Append("\\\""); break;
                case '<': sb.Append("\\u003C"); break;
                case '>': sb.Append("\\u003E"); break;
                case '&': sb.Append("\\u0026"); break;
                case '=': sb.Append("\\u003D"); break;
                default:
                    int r = c;
                    if (char.IsHighSurrogate(c) && i + 1 < s.Length && char.IsLowSurrogate(s[i + 1]))
                    {
                        sb.Append(c).Append(s[++i]);
                        break;
                    }
                    if (r < ' ' || !GoFmt.IsPrint(r)) sb.Append($"\\u{r:X4}");
                    else sb.Append(c);
                    break;
            }
        }
        return sb.ToString();
    }

    /// <summary>Go's url.QueryEscape: space as +, unreserved bytes kept, the rest %XX.</summary>
    public static string QueryEscape(string s)
    {
        var sb = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(s))
        {
            if (b == ' ') sb.Append('+');
            else if (char.IsAsciiLetterOrDigit((char)b) || b is (byte)'-' or (byte)'_' or (byte)'.' or (byte)'~') sb.Append((char)b);
            else sb.Append('%').Append(b.ToString("X2"));
        }
        return sb.ToString();
    }
}
