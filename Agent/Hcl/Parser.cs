namespace Nomad.Agent.Hcl;

/// <summary>
/// Recursive-descent parser for the HCL that Nomad job and agent files use: HCL2 native syntax (bodies here,
/// expressions in Parser.Expressions.cs, templates in Parser.Templates.cs), plus the HCL1 habits found in
/// real files (quoted attribute names, dots in names, blocks nested on one line, <c>key: value</c>).
/// Every attribute gets its expression tree and the literal view derived from it (Parser.LiteralView.cs).
/// </summary>
internal sealed partial class Parser
{
    // Deeper nesting than any real file has; stops a hostile file from overflowing the stack.
    private const int MaxDepth = 200;

    private readonly Lexer _lexer;
    private readonly string _src;
    private Token _tok;
    private int _depth;

    public Parser(string source, string file) : this(source, file, lexFirstToken: true)
    {
    }

    /// <param name="origin">Where the source starts in its file (a JSON string's text), for positions; null: at 1,1.</param>
    private Parser(string source, string file, bool lexFirstToken, HclPosition? origin = null)
    {
        _lexer = new Lexer(source, file, origin);
        _src = source;
        _tok = lexFirstToken ? _lexer.Next() : new Token(TokenKind.EndOfFile, "", 0, 0, _lexer.PositionAt(0));
    }

    private static HclException Error(Token at, string problem, HclSyntaxError? syntax = null) => new(at.Position, problem, syntax);

    private void Enter(Token at) => Enter(at.Position);

    private void Enter(HclPosition at)
    {
        if (++_depth > MaxDepth) throw new HclException(at, $"nesting deeper than {MaxDepth} levels");
    }

    private void SkipNewlines()
    {
        while (_tok.Kind == TokenKind.Newline) Advance();
    }

    public HclBody ParseFile() => ParseBody(_lexer.PositionAt(0), closer: null);

    /// <summary>Parses items until end of file (top level) or the "}" of <paramref name="closer"/>, which it consumes.</summary>
    private HclBody ParseBody(HclPosition start, (Token Brace, string What)? closer)
    {
        var items = new List<HclBodyItem>();
        var seen = new Dictionary<string, HclPosition>();
        // A body whose first item is on the line of its "{" is HCL's single-line block, `name { arg = value }`.
        bool singleLine = closer is { } opened && _tok.Kind != TokenKind.Newline && _tok.Position.Line == opened.Brace.Position.Line;
        while (true)
        {
            SkipNewlines();
            if (_tok.Kind == TokenKind.EndOfFile)
            {
                if (closer is { } c) throw Error(c.Brace, $"unclosed block {c.What} (missing \"}}\")", HclSyntaxError.UnclosedBlock);
                return new HclBody(items, start);
            }
            if (_tok.Kind == TokenKind.RBrace)
            {
                if (closer is null) throw Error(_tok, "unexpected \"}\" (no block is open)", HclSyntaxError.ArgumentOrBlockRequired);
                Advance();
                return new HclBody(items, start);
            }

            var item = ParseItem();
            if (item is HclAttribute attr)
            {
                if (seen.TryGetValue(attr.Name, out var first))
                    throw new HclException(attr.Position, $"attribute \"{attr.Name}\" is already set at line {first.Line}",
                        HclSyntaxError.AttributeRedefined(attr.Name, first));
                seen[attr.Name] = attr.Position;
            }
            items.Add(item);

            // An item ends at a newline, or at the "}" of a block written on one line.
            if (_tok.Kind is not (TokenKind.Newline or TokenKind.EndOfFile or TokenKind.RBrace))
                throw Error(_tok, $"expected a newline after {Describe(item)}, found {_tok.Describe()}", MissingNewline(item, singleLine));
        }
    }

    // What HCL says of a block header (name and labels) not followed by "{".
    private HclSyntaxError BadBlockHeader() => _tok.Kind switch
    {
        TokenKind.Equals => HclSyntaxError.InvalidBlockDefinitionEquals,
        TokenKind.Newline => HclSyntaxError.InvalidBlockDefinitionNewline,
        _ => HclSyntaxError.InvalidBlockDefinition,
    };

    private HclSyntaxError MissingNewline(HclBodyItem item, bool singleLine) =>
        item is HclBlock ? HclSyntaxError.MissingNewlineAfterBlock
        : singleLine ? _tok.Kind == TokenKind.Comma ? HclSyntaxError.SingleArgumentBlockComma : HclSyntaxError.SingleArgumentBlockEnd
        : _tok.Kind == TokenKind.Comma ? HclSyntaxError.UnexpectedCommaAfterArgument
        : HclSyntaxError.MissingNewlineAfterArgument;

    private static string Describe(HclBodyItem item) =>
        item is HclBlock ? $"block \"{item.Name}\"" : $"the value of \"{item.Name}\"";

    private HclBodyItem ParseItem()
    {
        var nameTok = _tok;
        if (nameTok.Kind is not (TokenKind.Identifier or TokenKind.String))
            throw Error(nameTok, $"expected an attribute or block name, found {nameTok.Describe()}", HclSyntaxError.ArgumentOrBlockRequired);
        string name = nameTok.Text;
        Advance();

        if (_tok.Kind == TokenKind.Equals)
        {
            Advance();
            return ParseAttributeValue(name, nameTok.Position);
        }

        var labels = new List<Token>();
        while (_tok.Kind is TokenKind.String or TokenKind.Identifier)
        {
            labels.Add(_tok);
            Advance();
        }
        if (_tok.Kind == TokenKind.LBrace)
        {
            var brace = _tok;
            Enter(brace);
            Advance();
            string what = labels.Count == 0 ? $"\"{name}\"" : $"\"{name}\" \"{string.Join("\" \"", labels.Select(l => l.Text))}\"";
            var body = ParseBody(brace.Position, (brace, what));
            _depth--;
            return new HclBlock(name, labels.Select(l => l.Text).ToList(), body, nameTok.Position);
        }

        // Not a block: most likely an attribute written without "=" (e.g. `region "global"`).
        bool attributeLike = labels.Count == 0
            || (labels.Count == 1 && _tok.Kind is TokenKind.Newline or TokenKind.EndOfFile or TokenKind.RBrace);
        if (attributeLike)
        {
            var at = labels.Count == 0 ? _tok : labels[0];
            throw Error(at, $"missing \"=\" after \"{name}\"", labels.Count == 0 ? HclSyntaxError.ArgumentNeedsEquals with { At = nameTok.Position } : BadBlockHeader() with { At = _tok.Position });
        }
        throw Error(_tok, $"expected \"{{\" to open block \"{name}\", found {_tok.Describe()}", BadBlockHeader());
    }
}
