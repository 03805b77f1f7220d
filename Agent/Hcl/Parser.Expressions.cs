using System.Globalization;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;

namespace Nomad.Agent.Hcl;

/// <summary>
/// HCL2 expressions (hclsyntax's grammar): conditionals, binary operators by precedence (left associative),
/// unary operators, terms and their traversals, splats, calls, tuple/object constructors and for expressions.
/// Newlines end an expression at the top level and inside objects, and are ignored inside (), [], for
/// expressions and template sequences, as in HCL.
/// </summary>
internal sealed partial class Parser
{
    // Binary operators by precedence, lowest first.
    private static readonly string[][] BinaryLevels =
    [
        ["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"],
    ];

    // Whether newlines are tokens (true) or skipped (false) in the innermost bracket; tokens when empty.
    private readonly Stack<bool> _newlines = new();
    private int _prevEnd;

    // The source extent of every expression parsed by ParseExpression, for the literal view's HclExpression.
    private readonly Dictionary<Expr, (int Start, int End)> _spans = new(ReferenceEqualityComparer.Instance);

    private bool NewlinesMatter => _newlines.Count == 0 || _newlines.Peek();

    private void Advance()
    {
        _prevEnd = _tok.End;
        _tok = _lexer.Next();
        while (_tok.Kind == TokenKind.Newline && !NewlinesMatter) _tok = _lexer.Next();
    }

    private void PushNewlines(bool matter)
    {
        _newlines.Push(matter);
        while (_tok.Kind == TokenKind.Newline && !matter) _tok = _lexer.Next();
    }

    private void PopNewlines() => _newlines.Pop();

    /// <summary>Re-reads the current token in expression mode (a dot is an operator) and makes it the start of an expression.</summary>
    private void EnterExpressionMode()
    {
        _lexer.DottedNames = false;
        _lexer.Seek(_tok.Offset);
        _tok = _lexer.Next();
    }

    private HclAttribute ParseAttributeValue(string name, HclPosition position)
    {
        EnterExpressionMode();
        _deferred = null;
        var expr = ParseExpression();
        _lexer.DottedNames = true;
        var attr = new HclAttribute(name, LiteralView(expr), position) { Expression = expr, ExpressionError = _deferred };
        _deferred = null;
        return attr;
    }

    /// <summary>A whole text as one expression (newlines insignificant), e.g. a <c>-var</c> value.</summary>
    public Expr ParseStandaloneExpression()
    {
        _deferTemplateErrors = false;
        EnterExpressionMode();
        PushNewlines(false);
        var expr = ParseExpression();
        if (_tok.Kind != TokenKind.EndOfFile) throw Error(_tok, $"expected the end of the expression, found {_tok.Describe()}", HclSyntaxError.ExtraCharactersAfterExpression);
        return expr;
    }

    private Expr ParseExpression()
    {
        int start = _tok.Offset;
        var expr = ParseBinary(0);
        if (_tok.Is("?"))
        {
            var question = _tok;
            Enter(question);
            Advance();
            var whenTrue = ParseExpression();
            if (_tok.Kind != TokenKind.Colon)
                throw Error(_tok, $"expected \":\" in the conditional started by \"?\" at {question.Position.Line}:{question.Position.Column}, found {_tok.Describe()}", HclSyntaxError.MissingFalseExpression);
            Advance();
            var whenFalse = ParseExpression();
            _depth--;
            expr = new ConditionalExpr(expr, whenTrue, whenFalse, expr.Position);
        }
        _spans[expr] = (start, _prevEnd);
        return expr;
    }

    private static int BinaryLevel(Token t)
    {
        if (t.Kind != TokenKind.Operator) return -1;
        for (int i = 0; i < BinaryLevels.Length; i++)
            if (BinaryLevels[i].Contains(t.Text)) return i;
        return -1;
    }

    /// <summary>Precedence climbing: operators of level ≥ <paramref name="minLevel"/>, each level left associative.</summary>
    private Expr ParseBinary(int minLevel)
    {
        var left = ParseOperand();
        int chained = 0; // each operator deepens the (left-leaning) tree, which later walks recurse through
        while (BinaryLevel(_tok) is var level && level >= minLevel)
        {
            Enter(_tok);
            chained++;
            string op = _tok.Text;
            Advance();
            var right = ParseBinary(level + 1);
            left = new BinaryExpr(op, left, right, left.Position);
        }
        _depth -= chained;
        return left;
    }

    /// <summary>A term with its traversals, or a unary operator applied to one (HCL's parseExpressionWithTraversals).</summary>
    private Expr ParseOperand()
    {
        if (_tok.Is("-") || _tok.Is("!"))
        {
            var op = _tok;
            Enter(op);
            Advance();
            if (op.Text == "-" && _tok.Kind == TokenKind.Number && _tok.Offset == op.End)
                CheckRange(_tok, op.Position, "-" + _tok.Text);
            var operand = ParseOperand();
            _depth--;
            return new UnaryExpr(op.Text, operand, op.Position);
        }
        int start = _tok.Offset;
        return ParsePostfix(ParseTerm(), start);
    }

    private static void CheckRange(Token number, HclPosition at, string shown)
    {
        if (double.IsInfinity(double.Parse(number.Text, NumberStyles.Float, CultureInfo.InvariantCulture)))
            throw new HclException(at, $"number {shown} is out of range", HclSyntaxError.InvalidNumberLiteral);
    }

    private Expr ParseTerm()
    {
        var tok = _tok;
        switch (tok.Kind)
        {
            case TokenKind.Number:
                CheckRange(tok, tok.Position, tok.Text);
                Advance();
                return Literal(new LiteralExpr(Value.Of(double.Parse(tok.Text, NumberStyles.Float, CultureInfo.InvariantCulture)), tok.Position), tok);
            case TokenKind.String:
            case TokenKind.Heredoc:
                return ParseTemplateToken();
            case TokenKind.LParen:
                return ParseParentheses();
            case TokenKind.LBracket:
                return ParseTuple();
            case TokenKind.LBrace:
                return ParseObject();
            case TokenKind.Identifier:
                switch (tok.Text)
                {
                    case "true": Advance(); return new LiteralExpr(Value.True, tok.Position);
                    case "false": Advance(); return new LiteralExpr(Value.False, tok.Position);
                    case "null": Advance(); return new LiteralExpr(Value.Null(HclType.Dynamic), tok.Position);
                }
                Advance();
                if (_tok.Kind == TokenKind.LParen) return ParseCall(tok);
                return new TraversalExpr(tok.Text, [], tok.Text, tok.Position);
            default:
                throw Error(tok, $"expected a value, found {tok.Describe()}", tok.Kind == TokenKind.EndOfFile ? HclSyntaxError.MissingExpression : HclSyntaxError.InvalidExpression);
        }
    }

    private Expr ParseParentheses()
    {
        var open = _tok;
        Enter(open);
        PushNewlines(false);
        Advance();
        if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, "unclosed bracket in expression", HclSyntaxError.MissingExpression);
        var inner = ParseExpression();
        if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, "unclosed bracket in expression", HclSyntaxError.UnbalancedParentheses);
        if (_tok.Kind != TokenKind.RParen) throw Error(_tok, $"expected \")\", found {_tok.Describe()}", HclSyntaxError.UnbalancedParentheses);
        PopNewlines();
        Advance();
        _depth--;
        return new ParenthesesExpr(inner, open.Position);
    }

    private Expr ParseCall(Token name)
    {
        var open = _tok;
        Enter(open);
        PushNewlines(false);
        Advance();
        var args = new List<Expr>();
        bool expand = false;
        while (_tok.Kind != TokenKind.RParen)
        {
            if (_tok.Kind == TokenKind.EndOfFile) throw Error(name, "unclosed bracket in expression", HclSyntaxError.UnterminatedFunctionCall);
            args.Add(ParseExpression());
            if (_tok.Is("..."))
            {
                expand = true;
                Advance();
                if (_tok.Kind != TokenKind.RParen)
                    throw Error(_tok, $"expected \")\" after the expanded last argument of {name.Text}(), found {_tok.Describe()}", HclSyntaxError.MissingParenAfterExpansion);
                break;
            }
            if (_tok.Kind == TokenKind.Comma) { Advance(); continue; }
            if (_tok.Kind == TokenKind.RParen) break;
            if (_tok.Kind == TokenKind.EndOfFile) throw Error(name, "unclosed bracket in expression", HclSyntaxError.UnterminatedFunctionCall);
            throw Error(_tok, $"expected \",\" or \")\" in the arguments of {name.Text}(), found {_tok.Describe()}", HclSyntaxError.MissingArgumentSeparator);
        }
        PopNewlines();
        var close = _tok;
        Advance();
        _depth--;
        return new FunctionCallExpr(name.Text, args, expand, name.Position) { CloseParen = close.Position };
    }

    /// <summary>
    /// The traversals after a term: <c>.name</c>, <c>.0</c>, <c>[key]</c>, <c>.*</c>, <c>[*]</c>. Attribute and
    /// literal-index steps extend a <see cref="TraversalExpr"/> (one flat list of steps); on anything else they
    /// become GetAttr/Index nodes, each one a level deeper (counted against the nesting limit).
    /// </summary>
    private Expr ParsePostfix(Expr expr, int start)
    {
        var chain = new PostfixChain(this, expr, start);
        try
        {
            while (true)
            {
                if (_tok.Is("."))
                {
                    var dot = _tok;
                    Advance();
                    if (_tok.Is("*"))
                    {
                        var star = _tok;
                        Advance();
                        var source = chain.Build();
                        chain.Replace(new SplatExpr(source, ParseAttributeSplatSteps(star, chain), source.Position), star);
                        continue;
                    }
                    chain.Add(ParseDotStep(dot));
                    continue;
                }
                if (_tok.Kind == TokenKind.LBracket)
                {
                    var open = _tok;
                    Enter(open);
                    PushNewlines(false);
                    Advance();
                    if (_tok.Is("*"))
                    {
                        Advance();
                        if (_tok.Kind != TokenKind.RBracket) throw Error(_tok, $"expected \"]\" right after \"[*\", found {_tok.Describe()}", HclSyntaxError.MissingSplatBracket);
                        PopNewlines();
                        Advance();
                        // A full splat takes every traversal after it, applied to each element.
                        var source = chain.Build();
                        var each = ParsePostfix(new SplatItemExpr(open.Position), _tok.Offset);
                        _depth--;
                        chain.Replace(new SplatExpr(source, each, source.Position), open);
                        continue;
                    }
                    if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, "unclosed index (missing \"]\")", HclSyntaxError.MissingIndexBracket);
                    var key = ParseExpression();
                    if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, "unclosed index (missing \"]\")", HclSyntaxError.MissingIndexBracket);
                    if (_tok.Kind != TokenKind.RBracket) throw Error(_tok, $"expected \"]\" to close the index, found {_tok.Describe()}", HclSyntaxError.MissingIndexBracket);
                    PopNewlines();
                    Advance();
                    _depth--;
                    if (key is LiteralExpr lit) chain.Add(new IndexStep(lit.Value, open.Position));
                    else
                    {
                        var collection = chain.Build();
                        chain.Replace(new IndexExpr(collection, key, collection.Position), open);
                    }
                    continue;
                }
                return chain.Build();
            }
        }
        finally
        {
            _depth -= chain.Levels;
        }
    }

    /// <summary>
    /// The expression a postfix chain has built so far. Steps on a traversal are collected flat and the
    /// <see cref="TraversalExpr"/> (with its source text) is made once; steps on anything else wrap it.
    /// </summary>
    private sealed class PostfixChain(Parser parser, Expr expr, int start)
    {
        private Expr _expr = expr;
        private List<TraversalStep>? _steps = expr is TraversalExpr ? [] : null;
        private int _end;

        /// <summary>How many nesting levels the wrapping nodes took (released by the caller).</summary>
        public int Levels { get; private set; }

        public void Add(TraversalStep step)
        {
            if (_steps != null)
            {
                _steps.Add(step);
                _end = parser._prevEnd;
                return;
            }
            var wrapped = step switch
            {
                AttrStep a => (Expr)new GetAttrExpr(_expr, a.Name, _expr.Position),
                IndexStep i => new IndexExpr(_expr, new LiteralExpr(i.Key, i.Position), _expr.Position),
                _ => throw new InvalidOperationException(step.GetType().Name),
            };
            Replace(wrapped, step.Position);
        }

        public void Replace(Expr wrapped, Token at) => Replace(wrapped, at.Position);

        public void Absorb(PostfixChain inner)
        {
            Levels += inner.Levels;
            inner.Levels = 0;
        }

        private void Replace(Expr wrapped, HclPosition at)
        {
            parser.Enter(at);
            Levels++;
            _expr = wrapped;
        }

        public Expr Build()
        {
            if (_steps is { Count: > 0 } && _expr is TraversalExpr t)
                _expr = new TraversalExpr(t.Root, [.. t.Steps, .. _steps], parser._src[start.._end], t.Position);
            _steps = null;
            return _expr;
        }
    }

    /// <summary>After a ".": an attribute name or a legacy index (<c>a.0</c>). The step starts at the dot, as HCL's range does.</summary>
    private TraversalStep ParseDotStep(Token dot)
    {
        var tok = _tok;
        if (tok.Kind == TokenKind.Identifier)
        {
            Advance();
            return new AttrStep(tok.Text, dot.Position);
        }
        if (tok.Kind == TokenKind.Number)
        {
            if (!tok.Text.All(char.IsAsciiDigit))
            {
                string shown = tok.Text.Contains('.') ? $"[{tok.Text.Replace(".", "][")}]" : $"[{tok.Text}]";
                throw Error(tok, $"invalid legacy index \".{tok.Text}\": use the index syntax instead, like {shown}", HclSyntaxError.InvalidLegacyIndex(tok.Text.Split('.')[0], tok.Text.Split('.').ElementAtOrDefault(1) ?? ""));
            }
            Advance();
            return new IndexStep(Value.Of(double.Parse(tok.Text, CultureInfo.InvariantCulture)), dot.Position);
        }
        throw Error(tok, $"expected an attribute name after \".\", found {tok.Describe()}", HclSyntaxError.InvalidAttributeName);
    }

    /// <summary><c>.*</c> then attribute steps only (and legacy <c>.0</c>), applied to each element.</summary>
    private Expr ParseAttributeSplatSteps(Token star, PostfixChain outer)
    {
        var each = new PostfixChain(this, new SplatItemExpr(star.Position), -1);
        while (_tok.Is("."))
        {
            var dot = _tok;
            Advance();
            if (_tok.Is("*")) throw Error(_tok, "a splat (*) cannot be used inside an attribute-only splat (.*)", HclSyntaxError.NestedSplat);
            each.Add(ParseDotStep(dot));
        }
        outer.Absorb(each); // the outer chain may wrap the splat further: its levels stay held until the chain ends
        return each.Build();
    }

    private Expr ParseTuple()
    {
        var open = _tok;
        Enter(open);
        PushNewlines(false);
        Advance();
        if (_tok.IsKeyword("for")) return ParseFor(open, isObject: false);
        var items = new List<Expr>();
        while (true)
        {
            if (_tok.Kind == TokenKind.RBracket) break;
            if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, "unclosed list (missing \"]\")", HclSyntaxError.UnterminatedTuple);
            items.Add(ParseExpression());
            if (_tok.Kind == TokenKind.Comma) { Advance(); continue; }
            if (_tok.Kind == TokenKind.RBracket) break;
            if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, "unclosed list (missing \"]\")", HclSyntaxError.UnterminatedTuple);
            throw Error(_tok, $"expected \",\" or \"]\" in list, found {_tok.Describe()}", HclSyntaxError.MissingItemSeparator);
        }
        PopNewlines();
        Advance();
        _depth--;
        return new TupleExpr(items, open.Position);
    }

    private Expr ParseObject()
    {
        var open = _tok;
        Enter(open);
        // A for expression ignores newlines; an object constructor does not (items end at one).
        PushNewlines(false);
        Advance();
        if (_tok.IsKeyword("for")) return ParseFor(open, isObject: true);
        PopNewlines();
        PushNewlines(true);

        var items = new List<ObjectItem>();
        while (true)
        {
            while (_tok.Kind == TokenKind.Newline) Advance();
            if (_tok.Kind == TokenKind.RBrace) break;
            if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, "unclosed object (missing \"}\")", HclSyntaxError.UnterminatedObject);

            var keyStart = _tok;
            var key = ParseObjectKey();
            if (_tok.Kind is not (TokenKind.Equals or TokenKind.Colon))
            {
                string shown = _src[keyStart.Offset.._prevEnd];
                if (keyStart.Kind == TokenKind.String && _prevEnd == keyStart.End) shown = keyStart.Text;
                throw Error(_tok, $"missing \"=\" after \"{shown}\"", _tok.Kind switch { TokenKind.Newline or TokenKind.Comma => HclSyntaxError.MissingAttributeValue, TokenKind.Identifier => HclSyntaxError.MissingKeyValueSeparatorBeforeName, TokenKind.EndOfFile => HclSyntaxError.UnterminatedObject, _ => HclSyntaxError.MissingKeyValueSeparator });
            }
            Advance();
            items.Add(new ObjectItem(key, ParseExpression()));

            // Items are separated by a comma, a newline, or both.
            if (_tok.Kind == TokenKind.Comma) { Advance(); continue; }
            if (_tok.Kind is TokenKind.Newline or TokenKind.RBrace) continue;
            if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, "unclosed object (missing \"}\")", HclSyntaxError.UnterminatedObject);
            throw Error(_tok, $"expected \",\", a newline or \"}}\" in object, found {_tok.Describe()}", HclSyntaxError.MissingAttributeSeparator);
        }
        PopNewlines();
        Advance();
        _depth--;
        return new ObjectExpr(items, open.Position);
    }

    /// <summary>A bare name (a string, as HCL's ObjectConsKeyExpr), or an expression: quoted, number, traversal, <c>(expr)</c>.</summary>
    private Expr ParseObjectKey()
    {
        var tok = _tok;
        if (tok.Kind == TokenKind.Identifier && _lexer.PeekNext().Kind is TokenKind.Equals or TokenKind.Colon)
        {
            Advance();
            return Literal(new LiteralExpr(Value.Of(tok.Text), tok.Position), tok);
        }
        if (tok.Kind is TokenKind.Identifier or TokenKind.String or TokenKind.Heredoc or TokenKind.Number or TokenKind.LParen)
            return ParseExpression();
        throw Error(tok, $"expected an object key, found {tok.Describe()}", tok.Kind == TokenKind.EndOfFile ? HclSyntaxError.MissingExpression : HclSyntaxError.InvalidExpression);
    }

    /// <summary>
    /// <c>[for k, v in coll : value if cond]</c> or <c>{for k, v in coll : key => value... if cond}</c>, from the
    /// "for" (the opener is consumed, newlines are already ignored).
    /// </summary>
    private Expr ParseFor(Token open, bool isObject)
    {
        Advance(); // for
        if (_tok.Kind != TokenKind.Identifier) throw Error(_tok, $"expected a variable name after \"for\", found {_tok.Describe()}", HclSyntaxError.InvalidFor("For expression requires variable name after 'for'."));
        string? keyVar = null;
        string valueVar = _tok.Text;
        Advance();
        if (_tok.Kind == TokenKind.Comma)
        {
            Advance();
            if (_tok.Kind != TokenKind.Identifier) throw Error(_tok, $"expected a second variable name after \",\" in for, found {_tok.Describe()}", HclSyntaxError.InvalidFor("For expression requires value variable name after comma."));
            keyVar = valueVar;
            valueVar = _tok.Text;
            Advance();
        }
        if (!_tok.IsKeyword("in")) throw Error(_tok, $"expected \"in\" after the variable names of for, found {_tok.Describe()}", HclSyntaxError.InvalidFor("For expression requires the 'in' keyword after its name declarations."));
        Advance();
        var collection = ParseExpression();
        if (_tok.Kind != TokenKind.Colon) throw Error(_tok, $"expected \":\" after the collection of for, found {_tok.Describe()}", HclSyntaxError.InvalidFor("For expression requires a colon after the collection expression."));
        Advance();

        Expr? keyExpr = null;
        if (isObject)
        {
            keyExpr = ParseExpression();
            if (!_tok.Is("=>")) throw Error(_tok, $"expected \"=>\" after the key of an object for expression, found {_tok.Describe()}", HclSyntaxError.InvalidFor("Key expression is required when building an object."));
            Advance();
        }
        var valueExpr = ParseExpression();
        bool group = false;
        if (isObject && _tok.Is("..."))
        {
            group = true;
            Advance();
        }
        Expr? condition = null;
        if (_tok.IsKeyword("if"))
        {
            Advance();
            condition = ParseExpression();
        }
        var closer = isObject ? TokenKind.RBrace : TokenKind.RBracket;
        string closerText = isObject ? "}" : "]";
        if (_tok.Kind == TokenKind.EndOfFile) throw Error(open, $"unclosed for expression (missing \"{closerText}\")", HclSyntaxError.InvalidFor("Extra characters after the end of the 'for' expression."));
        if (_tok.Kind != closer) throw Error(_tok, $"expected \"{closerText}\" to end the for expression, found {_tok.Describe()}", HclSyntaxError.InvalidFor("Extra characters after the end of the 'for' expression."));
        PopNewlines();
        Advance();
        _depth--;
        return new ForExpr(keyVar, valueVar, collection, keyExpr, valueExpr, condition, group, open.Position);
    }
}
