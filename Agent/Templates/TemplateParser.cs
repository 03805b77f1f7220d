using System.Globalization;
using System.Text;

namespace Nomad.Agent.Templates;

/// <summary>
/// Go text/template's parser: turns the tokens into one tree for the template and one per <c>define</c>/<c>block</c>,
/// checking at parse time, as Go does, that functions exist, variables are declared, and break/continue sit in a range.
/// Errors read <c>template: NAME:LINE: MESSAGE</c>.
/// </summary>
public sealed class TemplateParser
{
    private readonly string _name;
    private readonly List<Token> _tokens;
    private readonly Func<string, bool> _hasFunction;
    private readonly Dictionary<string, ListNode> _trees;
    private int _i;
    private List<string> _vars = ["$"];
    private int _rangeDepth;
    private int _actionLine;
    private int _nesting;

    /// <summary>How deep controls and parentheses may nest (Go bounds it too), so a hostile text cannot exhaust the stack.</summary>
    private const int MaxNesting = 1000;

    private TemplateParser(string name, List<Token> tokens, Func<string, bool> hasFunction, Dictionary<string, ListNode> trees)
    {
        _name = name;
        _tokens = tokens;
        _hasFunction = hasFunction;
        _trees = trees;
    }

    /// <summary>Parses <paramref name="text"/>; the result holds the template under <paramref name="name"/> and every definition.</summary>
    public static Dictionary<string, ListNode> Parse(string name, string text, string leftDelim, string rightDelim, Func<string, bool> hasFunction)
    {
        var trees = new Dictionary<string, ListNode>(StringComparer.Ordinal);
        var p = new TemplateParser(name, TemplateLexer.Lex(text, leftDelim, rightDelim), hasFunction, trees);
        var root = p.ParseTop();
        // A template whose text is only definitions does not replace an earlier body of the same name (Go's rule).
        if (!trees.ContainsKey(name) || !IsEmpty(root)) trees[name] = root;
        return trees;
    }

    private static bool IsEmpty(ListNode list) =>
        list.Nodes.All(n => n is TextNode t && string.IsNullOrWhiteSpace(t.Text));

    private Token Next() => _tokens[Math.Min(_i++, _tokens.Count - 1)];
    private void Backup() => _i--;
    private Token Peek() => _tokens[Math.Min(_i, _tokens.Count - 1)];

    private Token NextNonSpace()
    {
        Token t;
        do t = Next(); while (t.Kind == TokenKind.Space);
        return t;
    }

    private Token PeekNonSpace()
    {
        var t = NextNonSpace();
        Backup();
        return t;
    }

    private TemplateException Error(string message, Token at) => new($"template: {_name}:{at.Line}: {message}");

    private TemplateException Unexpected(Token t, string context)
    {
        if (t.Kind == TokenKind.Error)
        {
            var extra = _actionLine != 0 && _actionLine != t.Line ? $" in action started at {_name}:{_actionLine}" : "";
            return Error(t.Value + extra, t);
        }
        return Error($"unexpected {t} in {context}", t);
    }

    private Token Expect(TokenKind kind, string context)
    {
        var t = NextNonSpace();
        if (t.Kind != kind) throw Unexpected(t, context);
        return t;
    }

    private ListNode ParseTop()
    {
        var root = new ListNode(0, []);
        while (Peek().Kind != TokenKind.EOF)
        {
            if (Peek().Kind == TokenKind.Error) throw Unexpected(Peek(), "input");
            if (Peek().Kind == TokenKind.LeftDelim)
            {
                var save = _i;
                var delim = Next();
                if (NextNonSpace() is { Kind: TokenKind.Keyword, Value: "define" })
                {
                    ParseDefinition(delim);
                    continue;
                }
                _i = save;
            }
            var n = TextOrAction();
            if (n is EndNode or ElseNode) throw Error($"unexpected {n}", _tokens[_i - 1]);
            root.Nodes.Add(n);
        }
        return root;
    }

    /// <summary><c>{{define "name"}} ... {{end}}</c>: a separate tree with its own variables.</summary>
    private void ParseDefinition(Token start)
    {
        const string context = "define clause";
        var nameToken = NextNonSpace();
        var name = TemplateName(nameToken, context);
        Expect(TokenKind.RightDelim, context);
        var saved = _vars;
        _vars = ["$"];
        var (list, end) = ItemList();
        if (end is not EndNode) throw Error($"unexpected {end} in {context}", _tokens[_i - 1]);
        _vars = saved;
        _trees[name] = list;
    }

    private string TemplateName(Token t, string context) => t.Kind switch
    {
        TokenKind.String or TokenKind.RawString => Unquote(t),
        _ => throw Unexpected(t, context),
    };

    private (ListNode List, Node Terminator) ItemList()
    {
        var list = new ListNode(Peek().Pos, []);
        while (PeekNonSpace().Kind != TokenKind.EOF)
        {
            var n = TextOrAction();
            if (n is EndNode or ElseNode) return (list, n);
            list.Nodes.Add(n);
        }
        throw Error("unexpected EOF", Peek());
    }

    private Node TextOrAction()
    {
        var t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Text: return new TextNode(t.Pos, t.Value);
            case TokenKind.LeftDelim:
                _actionLine = t.Line;
                try { return Action(); }
                finally { _actionLine = 0; }
            default: throw Unexpected(t, "input");
        }
    }

    private Node Action()
    {
        var t = NextNonSpace();
        if (t.Kind == TokenKind.Keyword)
        {
            switch (t.Value)
            {
                case "block": return BlockControl(t);
                case "break": return BreakOrContinue(t, isBreak: true);
                case "continue": return BreakOrContinue(t, isBreak: false);
                case "else": return ElseControl(t);
                case "end": Expect(TokenKind.RightDelim, "end"); return new EndNode(t.Pos);
                case "if": return IfControl(t);
                case "range": return RangeControl(t);
                case "template": return TemplateControl(t);
                case "with": return WithControl(t);
                case "define": throw Error("unexpected <define> in command", t);
            }
        }
        Backup();
        var start = Peek();
        var pipe = Pipeline("command", TokenKind.RightDelim);
        return new ActionNode(start.Pos, start.Line, pipe);
    }

    private Node BreakOrContinue(Token t, bool isBreak)
    {
        var word = isBreak ? "break" : "continue";
        var next = NextNonSpace();
        if (next.Kind != TokenKind.RightDelim) throw Unexpected(next, $"{{{{{word}}}}}");
        if (_rangeDepth == 0) throw Error($"{{{{{word}}}}} outside {{{{range}}}}", t);
        return isBreak ? new BreakNode(t.Pos, t.Line) : new ContinueNode(t.Pos, t.Line);
    }

    private Node ElseControl(Token t)
    {
        var peek = PeekNonSpace();
        if (peek.Kind == TokenKind.Keyword && peek.Value is "if" or "with")
            return new ElseNode(t.Pos, t.Line, peek.Value); // {{else if ...}} / {{else with ...}}: the chained keyword is read next
        Expect(TokenKind.RightDelim, "else");
        return new ElseNode(t.Pos, t.Line, null);
    }

    private (PipeNode Pipe, ListNode List, ListNode? Else) Control(string context, bool allowChain)
    {
        var mark = _vars.Count;
        if (++_nesting > MaxNesting) throw Error("max expression depth exceeded", Peek());
        try
        {
            var pipe = Pipeline(context, TokenKind.RightDelim);
            if (context == "range") _rangeDepth++;
            ListNode list;
            Node next;
            try { (list, next) = ItemList(); }
            finally { if (context == "range") _rangeDepth--; }
            ListNode? elseList = null;
            if (next is ElseNode e)
            {
                if (e.Chained is { } chained)
                {
                    if (!allowChain || chained != context)
                    {
                        if (!(allowChain && context == "with" && chained == "with") && !(context == "if" && chained == "if"))
                            throw Error($"unexpected <{chained}> in else", _tokens[_i]);
                    }
                    // {{else if x}} is {{else}}{{if x}}...{{end}}{{end}} with one shared {{end}}.
                    var keyword = NextNonSpace();
                    elseList = new ListNode(keyword.Pos, [chained == "if" ? IfControl(keyword) : WithControl(keyword)]);
                }
                else
                {
                    (elseList, next) = ItemList();
                    if (next is not EndNode) throw Error($"expected end; found {next}", _tokens[_i - 1]);
                }
            }
            return (pipe, list, elseList);
        }
        finally
        {
            _vars.RemoveRange(mark, _vars.Count - mark);
            _nesting--;
        }
    }

    private Node IfControl(Token t)
    {
        var (pipe, list, elseList) = Control("if", allowChain: true);
        return new IfNode(t.Pos, t.Line, pipe, list, elseList);
    }

    private Node WithControl(Token t)
    {
        var (pipe, list, elseList) = Control("with", allowChain: true);
        return new WithNode(t.Pos, t.Line, pipe, list, elseList);
    }

    private Node RangeControl(Token t)
    {
        var (pipe, list, elseList) = Control("range", allowChain: false);
        return new RangeNode(t.Pos, t.Line, pipe, list, elseList);
    }

    private Node TemplateControl(Token t)
    {
        const string context = "template clause";
        var nameToken = NextNonSpace();
        var name = TemplateName(nameToken, context);
        PipeNode? pipe = null;
        if (NextNonSpace().Kind != TokenKind.RightDelim)
        {
            Backup();
            pipe = Pipeline(context, TokenKind.RightDelim);
        }
        return new TemplateNode(nameToken.Pos, nameToken.Line, name, pipe);
    }

    /// <summary><c>{{block "name" pipeline}} body {{end}}</c>: defines "name" and executes it in place.</summary>
    private Node BlockControl(Token t)
    {
        const string context = "block clause";
        var nameToken = NextNonSpace();
        var name = TemplateName(nameToken, context);
        var pipe = Pipeline(context, TokenKind.RightDelim);
        var saved = _vars;
        var savedDepth = _rangeDepth;
        _vars = ["$"];
        _rangeDepth = 0;
        var (list, end) = ItemList();
        if (end is not EndNode) throw Error($"unexpected {end} in {context}", _tokens[_i - 1]);
        _vars = saved;
        _rangeDepth = savedDepth;
        _trees[name] = list;
        return new TemplateNode(nameToken.Pos, nameToken.Line, name, pipe);
    }

    private PipeNode Pipeline(string context, TokenKind end)
    {
        var first = PeekNonSpace();
        var decl = new List<VariableNode>();
        var isAssign = false;
        // Optional declarations: $x := / $x = / $i, $v := (range only), as Go's parser reads them.
        while (PeekNonSpace() is { Kind: TokenKind.Variable } v)
        {
            var save = _i;
            NextNonSpace();
            var next = PeekNonSpace();
            if (next.Kind is TokenKind.Declare or TokenKind.Assign)
            {
                isAssign = next.Kind == TokenKind.Assign;
                NextNonSpace();
                decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                break;
            }
            if (next.Kind == TokenKind.Comma)
            {
                NextNonSpace();
                decl.Add(new VariableNode(v.Pos, [v.Value]));
                _vars.Add(v.Value);
                if (context == "range" && decl.Count < 2)
                {
                    if (PeekNonSpace().Kind is TokenKind.Variable or TokenKind.RightDelim or TokenKind.RightParen) continue;
                    throw Error("range can only initialize variables", PeekNonSpace());
                }
                throw Error($"too many declarations in {context}", next);
            }
            // Not a declaration: the variable is the pipeline's first operand.
            _i = save;
            break;
        }

        var pipe = new PipeNode(first.Pos, first.Line, decl, isAssign, []);
        while (true)
        {
            var t = NextNonSpace();
            if (t.Kind == end)
            {
                if (pipe.Cmds.Count == 0) throw Error($"missing value for {context}", t);
                CheckPipeline(pipe, context, t);
                return pipe;
            }
            switch (t.Kind)
            {
                case TokenKind.Bool or TokenKind.Char or TokenKind.Dot or TokenKind.Field or TokenKind.Identifier or TokenKind.Number
                    or TokenKind.Nil or TokenKind.RawString or TokenKind.String or TokenKind.Variable or TokenKind.LeftParen:
                    Backup();
                    pipe.Cmds.Add(Command());
                    break;
                default:
                    throw Unexpected(t, context);
            }
        }
    }

    private void CheckPipeline(PipeNode pipe, string context, Token at)
    {
        for (var i = 1; i < pipe.Cmds.Count; i++)
        {
            if (pipe.Cmds[i].Args[0] is BoolNode or DotNode or NilNode or NumberNode or StringNode)
                throw Error($"non executable command in pipeline stage {i + 1}", at);
        }
    }

    private CommandNode Command()
    {
        var cmd = new CommandNode(PeekNonSpace().Pos, []);
        while (true)
        {
            PeekNonSpace();
            var operand = Operand();
            if (operand is not null) cmd.Args.Add(operand);
            var t = Next();
            if (t.Kind == TokenKind.Space) continue;
            if (t.Kind is TokenKind.RightDelim or TokenKind.RightParen) { Backup(); break; }
            if (t.Kind == TokenKind.Pipe) break;
            throw Unexpected(t, "operand");
        }
        if (cmd.Args.Count == 0) throw Error("empty command", Peek());
        return cmd;
    }

    private Node? Operand()
    {
        var node = Term();
        if (node is null) return null;
        if (Peek().Kind != TokenKind.Field) return node;
        var fields = new List<string>();
        while (Peek().Kind == TokenKind.Field) fields.Add(Next().Value[1..]);
        return node switch
        {
            FieldNode f => new FieldNode(f.Pos, [.. f.Ident, .. fields]),
            VariableNode v => new VariableNode(v.Pos, [.. v.Ident, .. fields]),
            BoolNode or StringNode or NumberNode or NilNode or DotNode =>
                throw Error($"unexpected . after term {GoFmt.Quote(node.ToString())}", _tokens[_i - 1]),
            _ => new ChainNode(node.Pos, node, [.. fields]),
        };
    }

    private Node? Term()
    {
        var t = NextNonSpace();
        switch (t.Kind)
        {
            case TokenKind.Identifier:
                if (!_hasFunction(t.Value)) throw Error($"function {GoFmt.Quote(t.Value)} not defined", t);
                return new IdentifierNode(t.Pos, t.Value);
            case TokenKind.Dot: return new DotNode(t.Pos);
            case TokenKind.Nil: return new NilNode(t.Pos);
            case TokenKind.Variable: return new VariableNode(t.Pos, [UseVar(t)]);
            case TokenKind.Field: return new FieldNode(t.Pos, [t.Value[1..]]);
            case TokenKind.Bool: return new BoolNode(t.Pos, t.Value == "true");
            case TokenKind.Char or TokenKind.Number: return Number(t);
            case TokenKind.LeftParen:
                if (++_nesting > MaxNesting) throw Error("max expression depth exceeded", t);
                try { return Pipeline("parenthesized pipeline", TokenKind.RightParen); }
                finally { _nesting--; }
            case TokenKind.String or TokenKind.RawString: return new StringNode(t.Pos, t.Value, Unquote(t));
            case TokenKind.Error: throw Unexpected(t, "operand");
        }
        Backup();
        return null;
    }

    private string UseVar(Token t)
    {
        var name = t.Value.Split('.')[0];
        if (!_vars.Contains(name)) throw Error($"undefined variable {GoFmt.Quote(name)}", t);
        return name;
    }

    private Node Number(Token t)
    {
        if (t.Kind == TokenKind.Char)
        {
            var s = GoStrings.Unquote(t.Value, '\'') ?? throw Error($"malformed character constant: {t.Value}", t);
            var rune = char.ConvertToUtf32(s, 0);
            return new NumberNode(t.Pos, t.Value, (long)rune);
        }
        var text = t.Value.Replace("_", "");
        var negative = text.StartsWith('-');
        var body = text.TrimStart('+', '-');
        long? integer = null;
        try
        {
            if (body.StartsWith("0x", StringComparison.OrdinalIgnoreCase) && !body.Contains('.') && !body.Contains('p') && !body.Contains('P'))
                integer = Convert.ToInt64(body[2..], 16);
            else if (body.StartsWith("0o", StringComparison.OrdinalIgnoreCase)) integer = Convert.ToInt64(body[2..], 8);
            else if (body.StartsWith("0b", StringComparison.OrdinalIgnoreCase)) integer = Convert.ToInt64(body[2..], 2);
            else if (body.Length > 1 && body[0] == '0' && body.All(char.IsAsciiDigit)) integer = Convert.ToInt64(body[1..], 8);
            else if (body.All(char.IsAsciiDigit)) integer = long.Parse(body, CultureInfo.InvariantCulture);
        }
        catch (Exception e) when (e is FormatException or OverflowException or ArgumentException)
        {
            throw Error($"illegal number syntax: {GoFmt.Quote(t.Value)}", t);
        }
        if (integer is { } i) return new NumberNode(t.Pos, t.Value, negative ? -i : i);
        if (!double.TryParse(body, NumberStyles.Float, CultureInfo.InvariantCulture, out var d))
            throw Error($"illegal number syntax: {GoFmt.Quote(t.Value)}", t);
        if (negative) d = -d;
        // Go: a float constant with an integral value (1e3) is an int where an int is wanted; we keep it a float
        // except when written without a fraction or exponent.
        return new NumberNode(t.Pos, t.Value, d);
    }

    private string Unquote(Token t)
    {
        if (t.Kind == TokenKind.RawString) return t.Value[1..^1].Replace("\r", "");
        return GoStrings.Unquote(t.Value, '"') ?? throw Error($"invalid syntax", t);
    }
}

/// <summary>Go's string literal escapes (strconv.Unquote for "..." and '...').</summary>
public static class GoStrings
{
    public static string? Unquote(string quoted, char quote)
    {
        if (quoted.Length < 2 || quoted[0] != quote || quoted[^1] != quote) return null;
        var s = quoted[1..^1];
        var sb = new StringBuilder(s.Length);
        for (var i = 0; i < s.Length; i++)
        {
            var c = s[i];
            if (c != '\\') { sb.Append(c); continue; }
            if (++i >= s.Length) return null;
            switch (s[i])
            {
                case 'a': sb.Append('\a'); break;
                case 'b': sb.Append('\b'); break;
                case 'f': sb.Append('\f'); break;
                case 'n': sb.Append('\n'); break;
                case 'r': sb.Append('\r'); break;
                case 't': sb.Append('\t'); break;
                case 'v': sb.Append('\v'); break;
                case '\\': sb.Append('\\'); break;
                case '\'': if (quote != '\'') return null; sb.Append('\''); break;
                case '"': if (quote != '"') return null; sb.Append('"'); break;
                case 'x':
                    if (i + 2 >= s.Length + 0 && i + 2 > s.Length - 1 + 1) return null;
                    if (!TryHex(s, i + 1, 2, out var x)) return null;
                    sb.Append((char)x); i += 2; break;
                case 'u':
                    if (!TryHex(s, i + 1, 4, out var u)) return null;
                    sb.Append(char.ConvertFromUtf32(u)); i += 4; break;
                case 'U':
                    if (!TryHex(s, i + 1, 8, out var U) || U > 0x10FFFF) return null;
                    sb.Append(char.ConvertFromUtf32(U)); i += 8; break;
                case >= '0' and <= '7':
                    if (i + 2 >= s.Length) return null;
                    var oct = s.Substring(i, 3);
                    if (!oct.All(ch => ch is >= '0' and <= '7')) return null;
                    var ov = Convert.ToInt32(oct, 8);
                    if (ov > 255) return null;
                    sb.Append((char)ov); i += 2; break;
                default: return null;
            }
        }
        var result = sb.ToString();
        if (quote == '\'' && (result.Length == 0 || char.ConvertToUtf32(result, 0) is var r && result.Length != char.ConvertFromUtf32(r).Length)) return null;
        return result;
    }

    private static bool TryHex(string s, int at, int n, out int value)
    {
        value = 0;
        if (at + n > s.Length) return false;
        return int.TryParse(s.AsSpan(at, n), NumberStyles.HexNumber, CultureInfo.InvariantCulture, out value);
    }
}
