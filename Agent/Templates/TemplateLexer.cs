namespace Nomad.Agent.Templates;

public enum TokenKind
{
    Text, LeftDelim, RightDelim, Space, Bool, Char, Number, String, RawString, Field, Variable, Identifier,
    Dot, Nil, Pipe, Assign, Declare, LeftParen, RightParen, Comma, Keyword, Error, EOF,
}

/// <summary>One lexeme with its byte position in the template text and its 1-based line.</summary>
public readonly record struct Token(TokenKind Kind, string Value, int Pos, int Line)
{
    /// <summary>How Go's parser quotes a token in its errors (item.String).</summary>
    public override string ToString() => Kind switch
    {
        TokenKind.EOF => "EOF",
        TokenKind.Error => Value,
        TokenKind.Keyword => $"<{Value}>",
        _ when Value.Length > 10 => GoFmt.Quote(Value[..10]) + "...",
        _ => GoFmt.Quote(Value),
    };
}

/// <summary>
/// Go text/template's lexer: text and actions between the delimiters, trim markers (<c>{{- </c> and <c> -}}</c>),
/// comments, and inside actions the operands, keywords and punctuation. It stops at the first error, which it
/// emits as an Error token for the parser to report with its line.
/// </summary>
public sealed class TemplateLexer
{
    private static readonly HashSet<string> Keywords = ["block", "break", "continue", "define", "else", "end", "if", "range", "nil", "template", "with"];

    private readonly string _input;
    private readonly string _left;
    private readonly string _right;
    private readonly List<Token> _tokens = [];
    private int _pos;
    private int _start;
    private int _line = 1;
    private int _startLine = 1;
    private int _parenDepth;

    private TemplateLexer(string input, string left, string right)
    {
        _input = input;
        _left = left.Length > 0 ? left : "{{";
        _right = right.Length > 0 ? right : "}}";
    }

    public static List<Token> Lex(string input, string left = "{{", string right = "}}")
    {
        var l = new TemplateLexer(input, left, right);
        l.Run();
        return l._tokens;
    }

    private void Run()
    {
        var ok = true;
        while (ok && _pos <= _input.Length)
        {
            ok = LexText();
            if (!ok) break;
            if (_pos >= _input.Length) break;
            ok = LexAction();
        }
        if (_tokens.Count == 0 || _tokens[^1].Kind != TokenKind.Error) { _start = _pos; _startLine = _line; Emit(TokenKind.EOF); }
    }

    private static bool IsSpace(char c) => c is ' ' or '\t' or '\r' or '\n';

    private void Emit(TokenKind kind)
    {
        _tokens.Add(new Token(kind, _input[_start.._pos], _start, _startLine));
        _start = _pos;
        _startLine = _line;
    }

    private void EmitValue(TokenKind kind, string value, int pos, int line) => _tokens.Add(new Token(kind, value, pos, line));

    private bool Error(string message)
    {
        _tokens.Add(new Token(TokenKind.Error, message, _start, _startLine));
        return false;
    }

    private void Advance(int n)
    {
        for (var i = 0; i < n && _pos < _input.Length; i++)
        {
            if (_input[_pos] == '\n') _line++;
            _pos++;
        }
    }

    private void Ignore() { _start = _pos; _startLine = _line; }

    private char Peek(int ahead = 0) => _pos + ahead < _input.Length ? _input[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _input.Length;

    /// <summary>Text up to the next left delimiter (trailing space trimmed when the action starts with <c>{{- </c>).</summary>
    private bool LexText()
    {
        var x = _input.IndexOf(_left, _pos, StringComparison.Ordinal);
        if (x < 0)
        {
            if (_input.Length > _pos) { Advance(_input.Length - _pos); Emit(TokenKind.Text); }
            return true;
        }
        var trim = HasLeftTrim(x + _left.Length);
        var end = x;
        if (trim) while (end > _pos && IsSpace(_input[end - 1])) end--;
        if (end > _pos)
        {
            var textLine = _line;
            EmitValue(TokenKind.Text, _input[_pos..end], _pos, textLine);
        }
        Advance(x - _pos);
        Ignore();
        return true;
    }

    private bool HasLeftTrim(int at) => at + 1 < _input.Length && _input[at] == '-' && IsSpace(_input[at + 1]);

    private bool AtRightDelim(out bool trim)
    {
        trim = false;
        if (_pos + 1 < _input.Length && IsSpace(_input[_pos]) && _input[_pos + 1] == '-' &&
            string.CompareOrdinal(_input, _pos + 2, _right, 0, _right.Length) == 0)
        {
            trim = true;
            return true;
        }
        return string.CompareOrdinal(_input, _pos, _right, 0, _right.Length) == 0;
    }

    /// <summary>At a left delimiter: a comment, or an action's tokens up to the right delimiter.</summary>
    private bool LexAction()
    {
        var trimLeft = HasLeftTrim(_pos + _left.Length);
        Advance(_left.Length + (trimLeft ? 2 : 0));
        if (string.CompareOrdinal(_input, _pos, "/*", 0, 2) == 0) return LexComment();
        EmitValue(TokenKind.LeftDelim, _left, _start, _startLine);
        Ignore();
        _parenDepth = 0;
        while (true)
        {
            if (AtRightDelim(out var trimRight))
            {
                if (_parenDepth > 0) return Error("unclosed left paren");
                _start = _pos + (trimRight ? 2 : 0);
                Advance((trimRight ? 2 : 0) + _right.Length);
                EmitValue(TokenKind.RightDelim, _right, _start, _startLine);
                Ignore();
                if (trimRight) SkipSpace();
                return true;
            }
            if (AtEnd) return Error("unclosed action");
            var c = Peek();
            if (IsSpace(c))
            {
                while (!AtEnd && IsSpace(Peek()) && !AtRightDelim(out _)) Advance(1);
                Emit(TokenKind.Space);
                continue;
            }
            switch (c)
            {
                case '=': Advance(1); Emit(TokenKind.Assign); break;
                case ':':
                    if (Peek(1) != '=') return Error("expected :=");
                    Advance(2); Emit(TokenKind.Declare); break;
                case '|': Advance(1); Emit(TokenKind.Pipe); break;
                case ',': Advance(1); Emit(TokenKind.Comma); break;
                case '"': if (!LexQuote()) return false; break;
                case '`': if (!LexRawQuote()) return false; break;
                case '\'': if (!LexChar()) return false; break;
                case '$': if (!LexFieldOrVariable(TokenKind.Variable)) return false; break;
                case '.':
                    if (char.IsAsciiDigit(Peek(1))) { if (!LexNumber()) return false; break; }
                    if (!LexFieldOrVariable(TokenKind.Field)) return false;
                    break;
                case '(':
                    Advance(1); Emit(TokenKind.LeftParen); _parenDepth++; break;
                case ')':
                    Advance(1);
                    if (--_parenDepth < 0) return Error("unexpected right paren");
                    Emit(TokenKind.RightParen); break;
                default:
                    if (c == '+' || c == '-' || char.IsAsciiDigit(c)) { if (!LexNumber()) return false; break; }
                    if (c == '_' || char.IsLetter(c)) { if (!LexIdentifier()) return false; break; }
                    Advance(1);
                    return Error($"unrecognized character in action: {GoFmt.RuneDescription(c)}");
            }
        }
    }

    private void SkipSpace()
    {
        while (!AtEnd && IsSpace(Peek())) Advance(1);
        Ignore();
    }

    private bool LexComment()
    {
        var end = _input.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
        if (end < 0) return Error("unclosed comment");
        Advance(end + 2 - _pos);
        if (!AtRightDelim(out var trimRight)) return Error("comment ends before closing delimiter");
        Advance((trimRight ? 2 : 0) + _right.Length);
        Ignore();
        if (trimRight) SkipSpace();
        return true;
    }

    private bool LexQuote()
    {
        Advance(1);
        while (true)
        {
            if (AtEnd || Peek() == '\n') return Error("unterminated quoted string");
            var c = Peek();
            Advance(1);
            if (c == '\\')
            {
                if (AtEnd || Peek() == '\n') return Error("unterminated quoted string");
                Advance(1);
            }
            else if (c == '"') break;
        }
        Emit(TokenKind.String);
        return true;
    }

    private bool LexRawQuote()
    {
        var end = _input.IndexOf('`', _pos + 1);
        if (end < 0) return Error("unterminated raw quoted string");
        Advance(end + 1 - _pos);
        Emit(TokenKind.RawString);
        return true;
    }

    private bool LexChar()
    {
        Advance(1);
        while (true)
        {
            if (AtEnd || Peek() == '\n') return Error("unterminated character constant");
            var c = Peek();
            Advance(1);
            if (c == '\\')
            {
                if (AtEnd || Peek() == '\n') return Error("unterminated character constant");
                Advance(1);
            }
            else if (c == '\'') break;
        }
        Emit(TokenKind.Char);
        return true;
    }

    private bool LexFieldOrVariable(TokenKind kind)
    {
        Advance(1); // '.' or '$'
        if (AtTerminator())
        {
            Emit(kind == TokenKind.Variable ? TokenKind.Variable : TokenKind.Dot);
            return true;
        }
        while (!AtEnd && (Peek() == '_' || char.IsLetterOrDigit(Peek()))) Advance(1);
        if (!AtTerminator()) { Advance(1); return Error($"bad character {GoFmt.RuneDescription(_input[_pos - 1])}"); }
        Emit(kind);
        return true;
    }

    private bool AtTerminator()
    {
        if (AtEnd) return true;
        var c = Peek();
        if (IsSpace(c) || c is '.' or ',' or '|' or ':' or ')' or '(' or '=') return true;
        return string.CompareOrdinal(_input, _pos, _right, 0, _right.Length) == 0;
    }

    private bool LexIdentifier()
    {
        while (!AtEnd && (Peek() == '_' || char.IsLetterOrDigit(Peek()))) Advance(1);
        if (!AtTerminator()) { Advance(1); return Error($"bad character {GoFmt.RuneDescription(_input[_pos - 1])}"); }
        var word = _input[_start.._pos];
        if (word is "true" or "false") Emit(TokenKind.Bool);
        else if (word == "nil") Emit(TokenKind.Nil);
        else if (Keywords.Contains(word)) Emit(TokenKind.Keyword);
        else Emit(TokenKind.Identifier);
        return true;
    }

    private bool LexNumber()
    {
        if (Peek() is '+' or '-') Advance(1);
        var digits = "0123456789_";
        if (Peek() == '0' && Peek(1) is 'x' or 'X') { Advance(2); digits = "0123456789abcdefABCDEF_"; }
        else if (Peek() == '0' && Peek(1) is 'o' or 'O') { Advance(2); digits = "01234567_"; }
        else if (Peek() == '0' && Peek(1) is 'b' or 'B') { Advance(2); digits = "01_"; }
        while (!AtEnd && digits.Contains(Peek())) Advance(1);
        if (Peek() == '.') { Advance(1); while (!AtEnd && digits.Contains(Peek())) Advance(1); }
        if (digits.Length == 11 && Peek() is 'e' or 'E')
        {
            Advance(1);
            if (Peek() is '+' or '-') Advance(1);
            while (!AtEnd && char.IsAsciiDigit(Peek())) Advance(1);
        }
        else if (digits.Length == 23 && Peek() is 'p' or 'P')
        {
            Advance(1);
            if (Peek() is '+' or '-') Advance(1);
            while (!AtEnd && char.IsAsciiDigit(Peek())) Advance(1);
        }
        if (!AtEnd && (char.IsLetterOrDigit(Peek()) || Peek() == '.'))
        {
            Advance(1);
            return Error($"bad number syntax: {GoFmt.Quote(_input[_start.._pos])}");
        }
        Emit(TokenKind.Number);
        return true;
    }
}
