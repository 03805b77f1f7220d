using System.Text;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl;

/// <summary>
/// Quoted strings and heredocs as HCL2 templates. The lexer has already found the string's extent (and its
/// verbatim text, which the literal view keeps); here its text is read again from the source: escapes decoded,
/// <c>${...}</c> and <c>%{...}</c> parsed with the expression parser, strip markers (<c>~</c>) applied to the
/// neighbouring literal, <c>&lt;&lt;-</c> indentation removed, then if/for directives nested into a tree.
/// The order and the extent of each literal follow hclsyntax: a heredoc's literals are cut at line ends, a
/// strip marker trims only the literal next to it, and the indentation is removed after the strip markers.
/// </summary>
internal sealed partial class Parser
{
    // The first error found inside a template's sequences, for the attribute being parsed (see HclAttribute.ExpressionError).
    private HclException? _deferred;

    // Bodies defer template errors (HCL1 files read only the literal view); a standalone expression reports them at once.
    private bool _deferTemplateErrors = true;

    // The token a literal-looking expression came from: the literal view keeps its text as written.
    private readonly Dictionary<Expr, Token> _literalTokens = new(ReferenceEqualityComparer.Instance);

    // Templates whose sequences did not parse: the literal that stands for them is not a template's value.
    private readonly HashSet<Expr> _templatePlaceholders = new(ReferenceEqualityComparer.Instance);

    private Expr Literal(Expr expr, Token token)
    {
        _literalTokens[expr] = token;
        return expr;
    }

    private sealed class RawText(string text, HclPosition position)
    {
        public string Text { get; set; } = text;
        public HclPosition Position { get; } = position;
    }

    private sealed record RawInterpolation(Expr Expr, HclPosition Position);

    private sealed record RawDirective(string Keyword, Expr? Expr, string? KeyVar, string? ValueVar, HclPosition Position)
    {
        public string Shown => $"%{{ {Keyword} }}";
    }

    /// <summary>
    /// HCL's JSON syntax: a JSON string's text, starting at <paramref name="origin"/> in its file, as one template:
    /// its escapes already decoded by JSON, so read as a heredoc's text is (no escapes, line breaks anywhere).
    /// </summary>
    public static Expr ParseStandaloneTemplate(string text, HclPosition origin)
    {
        // The text is no token stream (it may start with "${" or a quote), so nothing is lexed before the template.
        var parser = new Parser(text, origin.File, lexFirstToken: false, origin);
        parser._deferTemplateErrors = false;
        parser._lexer.DottedNames = false;
        parser._tok = new Token(TokenKind.Heredoc, text, 0, text.Length, origin)
        {
            Heredoc = new HeredocLines(0, text.Length, Indented: false),
        };
        return parser.ParseTemplate(parser._tok);
    }

    /// <summary>An expression written as a JSON string's text (a variable's <c>type</c>), starting at <paramref name="origin"/>.</summary>
    public static Expr ParseStandaloneExpression(string text, HclPosition origin) =>
        new Parser(text, origin.File, lexFirstToken: true, origin).ParseStandaloneExpression();

    /// <summary>The current String or Heredoc token as a template (a literal when it holds no sequence).</summary>
    private Expr ParseTemplateToken()
    {
        var tok = _tok;
        int depth = _depth, newlines = _newlines.Count;
        Expr result;
        try
        {
            Enter(tok);
            result = ParseTemplate(tok);
            _depth--;
        }
        catch (HclException ex) when (_deferTemplateErrors)
        {
            // HCL1 files hold sequences that are not HCL2 (a shell's ${X:-y} in a heredoc): the literal view keeps
            // them verbatim as HCL1 did, and reading the attribute's Expression reports this error.
            _deferred ??= ex;
            _depth = depth;
            while (_newlines.Count > newlines) _newlines.Pop();
            result = new LiteralExpr(Value.Of(tok.Text), tok.Position);
            _templatePlaceholders.Add(result);
        }
        _lexer.Seek(tok.End);
        _tok = tok;
        Advance();
        return Literal(result, tok);
    }

    private Expr ParseTemplate(Token tok)
    {
        bool heredoc = tok.Kind == TokenKind.Heredoc;
        int pos = heredoc ? tok.Heredoc!.Value.Start : tok.Offset + 1;
        int end = heredoc ? tok.Heredoc!.Value.End : tok.End - 1;

        var raw = new List<object>();
        var text = new StringBuilder();
        int textStart = pos;
        bool trimNext = false;

        void FlushText()
        {
            if (text.Length == 0) return;
            string t = text.ToString();
            if (trimNext) t = t.TrimStart();
            trimNext = false;
            raw.Add(new RawText(t, _lexer.PositionAt(textStart)));
            text.Clear();
        }

        while (pos < end)
        {
            if (text.Length == 0) textStart = pos;
            char c = _src[pos];
            if (!heredoc && c == '\\')
            {
                text.Append(_lexer.DecodeEscape(ref pos));
                continue;
            }
            if (c is '$' or '%' && pos + 2 < end && _src[pos + 1] == c && _src[pos + 2] == '{')
            {
                text.Append(c).Append('{'); // $${ and %%{ are the literal ${ and %{
                pos += 3;
                continue;
            }
            if (c is '$' or '%' && pos + 1 < end && _src[pos + 1] == '{')
            {
                FlushText();
                trimNext = false;
                pos = ParseSequence(c == '$', pos, raw, out trimNext);
                continue;
            }
            text.Append(c);
            pos++;
            if (heredoc && c == '\n') FlushText();
        }
        FlushText();

        if (heredoc && tok.Heredoc!.Value.Indented) RemoveIndentation(raw);
        raw = MeldTexts(raw);

        int i = 0;
        // HCL reports a directive left open at the template's end: a quoted string's closing quote.
        _templateEnd = tok.Kind == TokenKind.String ? _lexer.PositionAt(tok.End - 1) : null;
        var parts = BuildParts(raw, ref i, out var stray);
        if (stray != null)
            throw new HclException(stray.Position, $"unexpected {stray.Shown} (no {(stray.Keyword == "endfor" ? "%{ for }" : "%{ if }")} is open)",
                HclSyntaxError.UnexpectedDirective(stray.Keyword));
        if (parts.All(p => p is TemplateText))
            return new LiteralExpr(Value.Of(string.Concat(parts.Cast<TemplateText>().Select(p => p.Text))), tok.Position);
        // Only a template written as exactly one interpolation passes its value through unconverted (HCL's
        // TemplateWrapExpr): "${x ~} " keeps an (emptied) literal, so it stays a string.
        if (parts is [TemplateInterpolation] && raw.Count > 1) parts.Add(new TemplateText("", tok.Position));
        return new TemplateExpr(parts, tok.Position);
    }

    /// <summary>Parses the <c>${...}</c> or <c>%{...}</c> at <paramref name="pos"/>; returns the offset after its "}".</summary>
    private int ParseSequence(bool interpolation, int pos, List<object> raw, out bool stripAfter)
    {
        var open = _lexer.PositionAt(pos);
        bool stripBefore = pos + 2 < _src.Length && _src[pos + 2] == '~';
        if (stripBefore && raw.Count > 0 && raw[^1] is RawText prev) prev.Text = prev.Text.TrimEnd();

        _lexer.Seek(pos + (stripBefore ? 3 : 2));
        PushNewlines(false);
        _tok = _lexer.Next();
        while (_tok.Kind == TokenKind.Newline) _tok = _lexer.Next();

        string what;
        string? keyword = null;
        if (interpolation)
        {
            raw.Add(new RawInterpolation(ParseExpression(), open));
            what = "the interpolation";
        }
        else
        {
            var kw = _tok;
            if (kw.Kind != TokenKind.Identifier)
                throw Error(kw, $"expected a template directive (if, else, endif, for, endfor) after \"%{{\", found {kw.Describe()}", HclSyntaxError.InvalidTemplateDirective);
            Advance();
            switch (kw.Text)
            {
                case "if":
                    raw.Add(new RawDirective("if", ParseExpression(), null, null, open));
                    break;
                case "else" or "endif" or "endfor":
                    raw.Add(new RawDirective(kw.Text, null, null, null, open));
                    break;
                case "for":
                    if (_tok.Kind != TokenKind.Identifier) throw Error(_tok, $"expected a variable name after \"for\", found {_tok.Describe()}", HclSyntaxError.InvalidForDirective("For directive requires variable name after 'for'."));
                    string? keyVar = null, valueVar = _tok.Text;
                    Advance();
                    if (_tok.Kind == TokenKind.Comma)
                    {
                        Advance();
                        if (_tok.Kind != TokenKind.Identifier) throw Error(_tok, $"expected a second variable name after \",\" in for, found {_tok.Describe()}", HclSyntaxError.InvalidForDirective("For directive requires value variable name after comma."));
                        keyVar = valueVar;
                        valueVar = _tok.Text;
                        Advance();
                    }
                    if (!_tok.IsKeyword("in")) throw Error(_tok, $"expected \"in\" after the variable names of for, found {_tok.Describe()}", HclSyntaxError.InvalidForDirective("For directive requires 'in' keyword after names."));
                    Advance();
                    raw.Add(new RawDirective("for", ParseExpression(), keyVar, valueVar, open));
                    break;
                default:
                    throw Error(kw, $"invalid template directive \"{kw.Text}\" (want if, else, endif, for or endfor)",
                        HclSyntaxError.InvalidTemplateKeyword(kw.Text, Evaluation.NameSuggestion.Sentence(kw.Text, ["if", "for", "else", "endif", "endfor"])));
            }
            what = $"the %{{ {kw.Text} }} directive";
            keyword = kw.Text;
        }

        stripAfter = false;
        if (_tok.Is("~"))
        {
            stripAfter = true;
            Advance();
        }
        if (_tok.Kind != TokenKind.RBrace)
            throw Error(_tok, $"expected \"}}\" to close {what}, found {_tok.Describe()}", !interpolation ? HclSyntaxError.ExtraCharactersInMarker(keyword!)
                : _tok.Kind == TokenKind.Colon ? HclSyntaxError.ColonInInterpolation : HclSyntaxError.ExtraCharactersAfterInterpolation);
        PopNewlines();
        return _tok.End;
    }

    /// <summary>
    /// <c>&lt;&lt;-</c>: removes the smallest indentation of the lines from each line's leading literal. A line of only
    /// whitespace does not count; a line starting with a sequence counts as unindented.
    /// </summary>
    private static void RemoveIndentation(List<object> raw)
    {
        int min = int.MaxValue;
        bool lineStart = true;
        var adjust = new List<RawText>();
        foreach (var part in raw)
        {
            if (lineStart)
            {
                lineStart = false;
                int spaces = 0;
                if (part is RawText t)
                {
                    string trimmed = t.Text.TrimStart();
                    if (trimmed.Length == 0 && t.Text.EndsWith('\n')) spaces = int.MaxValue;
                    else
                    {
                        spaces = t.Text.Length - trimmed.Length;
                        adjust.Add(t);
                    }
                }
                min = Math.Min(min, spaces);
            }
            if (part is RawText lit && lit.Text.EndsWith('\n')) lineStart = true;
        }
        foreach (var t in adjust) t.Text = t.Text[Math.Min(min, t.Text.Length)..];
    }

    /// <summary>Adjacent literals (a heredoc's lines) become one, as hclsyntax melds them after trimming.</summary>
    private static List<object> MeldTexts(List<object> raw)
    {
        var melded = new List<object>();
        StringBuilder? run = null;
        RawText? first = null;
        foreach (var part in raw)
        {
            if (part is RawText t)
            {
                if (first == null) { first = t; run = new StringBuilder(t.Text); }
                else run!.Append(t.Text);
                continue;
            }
            if (first != null) melded.Add(new RawText(run!.ToString(), first.Position));
            first = null;
            melded.Add(part);
        }
        if (first != null) melded.Add(new RawText(run!.ToString(), first.Position));
        return melded;
    }

    /// <summary>
    /// Nests the flat parts into if/for trees up to an else/endif/endfor (returned in <paramref name="closer"/>,
    /// unconsumed) or the end.
    /// </summary>
    private List<TemplatePart> BuildParts(List<object> raw, ref int i, out RawDirective? closer)
    {
        var parts = new List<TemplatePart>();
        while (i < raw.Count)
        {
            switch (raw[i])
            {
                case RawText t:
                    if (t.Text.Length > 0) parts.Add(new TemplateText(t.Text, t.Position));
                    i++;
                    break;
                case RawInterpolation x:
                    parts.Add(new TemplateInterpolation(x.Expr, x.Position));
                    i++;
                    break;
                case RawDirective { Keyword: "if" } d:
                {
                    Enter(d.Position);
                    i++;
                    var then = BuildParts(raw, ref i, out var stop);
                    List<TemplatePart> otherwise = [];
                    if (stop?.Keyword == "else")
                    {
                        i++;
                        otherwise = BuildParts(raw, ref i, out stop);
                    }
                    ExpectCloser(d, stop, "endif");
                    i++;
                    _depth--;
                    parts.Add(new TemplateIf(d.Expr!, then, otherwise, d.Position));
                    break;
                }
                case RawDirective { Keyword: "for" } d:
                {
                    Enter(d.Position);
                    i++;
                    var body = BuildParts(raw, ref i, out var stop);
                    ExpectCloser(d, stop, "endfor");
                    i++;
                    _depth--;
                    parts.Add(new TemplateFor(d.KeyVar, d.ValueVar!, d.Expr!, body, d.Position));
                    break;
                }
                case RawDirective d:
                    closer = d;
                    return parts;
            }
        }
        closer = null;
        return parts;
    }

    private HclPosition? _templateEnd;

    private void ExpectCloser(RawDirective opener, RawDirective? found, string keyword)
    {
        if (found == null)
            throw new HclException(opener.Position, $"unclosed {opener.Shown} (missing %{{ {keyword} }})",
                HclSyntaxError.MissingEndDirective(opener.Keyword, opener.Position) with { At = _templateEnd });
        if (found.Keyword != keyword)
            throw new HclException(found.Position,
                $"expected %{{ {keyword} }} for the {opener.Shown} at line {opener.Position.Line}, found {found.Shown}",
                found.Keyword == "else" && opener.Keyword == "for"
                    ? new HclSyntaxError("Unexpected else directive", "An else clause is not expected for a for directive.")
                    : HclSyntaxError.MismatchedDirective(found.Keyword, opener.Keyword, opener.Position));
    }
}
