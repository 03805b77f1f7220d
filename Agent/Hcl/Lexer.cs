using System.Globalization;
using System.Text;

namespace Nomad.Agent.Hcl;

/// <summary>
/// Turns HCL source into tokens on demand. The parser pulls one token at a time and may move the lexer
/// (<see cref="Seek"/>): to re-read a value in expression mode, and to read the <c>${...}</c> sequences of a
/// string whose extent the lexer found first.
/// </summary>
internal sealed class Lexer
{
    private readonly string _src;
    private readonly string _file;
    private readonly int[] _lineStarts;
    private int _pos;

    // Where the source starts in its file: a JSON string's text is lexed alone but reported where it stands.
    private readonly int _lineOffset, _firstLineColumnOffset;

    public Lexer(string source, string file, HclPosition? origin = null)
    {
        _src = source;
        _file = file;
        _lineOffset = origin is { } o ? o.Line - 1 : 0;
        _firstLineColumnOffset = origin is { } f ? f.Column - 1 : 0;
        var starts = new List<int> { 0 };
        for (int i = 0; i < source.Length; i++)
            if (source[i] == '\n') starts.Add(i + 1);
        _lineStarts = starts.ToArray();
        if (_src.StartsWith('\uFEFF')) _pos = 1; // a UTF-8 BOM read as text
    }

    public HclPosition PositionAt(int offset)
    {
        int line = Array.BinarySearch(_lineStarts, offset);
        if (line < 0) line = ~line - 1;
        return new HclPosition(_file, line + 1 + _lineOffset, offset - _lineStarts[line] + 1 + (line == 0 ? _firstLineColumnOffset : 0));
    }

    /// <summary>
    /// Body mode (true): names may hold dots, the HCL1 habit (<c>driver.raw_exec.enable = "1"</c>).
    /// Expression mode (false): a dot is the traversal operator.
    /// </summary>
    public bool DottedNames { get; set; } = true;

    public string Source => _src;

    /// <summary>Continues lexing at <paramref name="offset"/>.</summary>
    public void Seek(int offset) => _pos = offset;

    /// <summary>The token after the next one would be read, without moving.</summary>
    public Token PeekNext()
    {
        int saved = _pos;
        try { return Next(); }
        finally { _pos = saved; }
    }

    private HclException Error(int offset, string problem, HclSyntaxError? syntax = null) => new(PositionAt(offset), problem, syntax);

    private char Peek(int ahead = 0) => _pos + ahead < _src.Length ? _src[_pos + ahead] : '\0';

    private bool AtEnd => _pos >= _src.Length;

    public Token Next()
    {
        SkipSpaceAndComments();
        int start = _pos;
        if (AtEnd) return Make(TokenKind.EndOfFile, "", start);

        char c = _src[_pos];
        switch (c)
        {
            case '\n': _pos++; return Make(TokenKind.Newline, "\n", start);
            case '{': _pos++; return Make(TokenKind.LBrace, "{", start);
            case '}': _pos++; return Make(TokenKind.RBrace, "}", start);
            case '[': _pos++; return Make(TokenKind.LBracket, "[", start);
            case ']': _pos++; return Make(TokenKind.RBracket, "]", start);
            case '=' when Peek(1) is not ('=' or '>'): _pos++; return Make(TokenKind.Equals, "=", start);
            case ':': _pos++; return Make(TokenKind.Colon, ":", start);
            case ',': _pos++; return Make(TokenKind.Comma, ",", start);
            case '(': _pos++; return Make(TokenKind.LParen, "(", start);
            case ')': _pos++; return Make(TokenKind.RParen, ")", start);
            case '"': return Make(TokenKind.String, ReadQuoted(), start);
        }
        if (c == '<' && Peek(1) == '<')
        {
            string text = ReadHeredoc(out var lines);
            return Make(TokenKind.Heredoc, text, start) with { Heredoc = lines };
        }
        if (char.IsAsciiDigit(c)) return Make(TokenKind.Number, ReadNumber(), start);
        if (IsIdentStart(c)) return Make(TokenKind.Identifier, ReadIdentifier(), start);
        if (ReadOperator() is { } op) return Make(TokenKind.Operator, op, start);

        string shown = char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString();
        throw Error(start, $"unexpected character '{shown}'", HclSyntaxError.InvalidCharacter(c));
    }

    private Token Make(TokenKind kind, string text, int start) => new(kind, text, start, _pos, PositionAt(start));

    private static bool IsIdentStart(char c) => char.IsLetter(c) || c == '_';

    // HCL2 names hold '-'; in body mode HCL1's '.' too (e.g. "driver.raw_exec.enable").
    private bool IsIdentPart(char c) => char.IsLetterOrDigit(c) || c is '_' or '-' || (c == '.' && DottedNames);

    private static readonly string[] Operators =
        ["...", "==", "!=", "<=", ">=", "&&", "||", "=>", ".", "*", "/", "%", "+", "-", "!", "<", ">", "?", "~"];

    private string? ReadOperator()
    {
        foreach (var op in Operators)
        {
            if (string.CompareOrdinal(_src, _pos, op, 0, op.Length) != 0) continue;
            _pos += op.Length;
            return op;
        }
        return null;
    }

    private void SkipSpaceAndComments()
    {
        while (!AtEnd)
        {
            char c = _src[_pos];
            if (c is ' ' or '\t' or '\r' or '\uFEFF') { _pos++; continue; }
            if (c == '#' || (c == '/' && Peek(1) == '/'))
            {
                while (!AtEnd && _src[_pos] != '\n') _pos++; // the newline itself ends the item
                continue;
            }
            if (c == '/' && Peek(1) == '*')
            {
                int end = _src.IndexOf("*/", _pos + 2, StringComparison.Ordinal);
                if (end < 0) throw Error(_pos, "unterminated comment (missing \"*/\")");
                _pos = end + 2;
                continue;
            }
            return;
        }
    }

    private string ReadIdentifier()
    {
        int start = _pos;
        while (!AtEnd && IsIdentPart(_src[_pos])) _pos++;
        return _src[start.._pos];
    }

    private string ReadNumber()
    {
        int start = _pos;
        while (char.IsAsciiDigit(Peek())) _pos++;
        if (Peek() == '.' && char.IsAsciiDigit(Peek(1)))
        {
            _pos++;
            while (char.IsAsciiDigit(Peek())) _pos++;
        }
        if (Peek() is 'e' or 'E')
        {
            int mark = _pos;
            _pos++;
            if (Peek() is '+' or '-') _pos++;
            if (!char.IsAsciiDigit(Peek())) _pos = mark; // not an exponent; reported below
            else while (char.IsAsciiDigit(Peek())) _pos++;
        }
        // e.g. 10s or 1.2.3: almost always a value that should have been quoted. (A '-' after a number is a minus.)
        if (char.IsLetterOrDigit(Peek()) || Peek() == '_' || (Peek() == '.' && char.IsAsciiDigit(Peek(1)) && _src.IndexOf('.', start, _pos - start) >= 0))
        {
            while (!AtEnd && (char.IsLetterOrDigit(_src[_pos]) || _src[_pos] is '_' or '.')) _pos++;
            throw Error(start, $"invalid number \"{_src[start.._pos]}\" (quote it if it is a string)");
        }
        return _src[start.._pos]; // the parser checks the range, so that "-1e999" is reported whole
    }

    /// <summary>Reads a quoted string at the current '"'; returns its value with escapes decoded and template sequences verbatim.</summary>
    private string ReadQuoted()
    {
        int open = _pos;
        _pos++;
        var sb = new StringBuilder();
        while (true)
        {
            if (AtEnd || _src[_pos] == '\n')
                throw Error(open, "unterminated string",
                    (AtEnd ? HclSyntaxError.UnterminatedTemplateString : HclSyntaxError.InvalidMultiLineString) with { At = PositionAt(_pos) });
            char c = _src[_pos];
            if (c == '"') { _pos++; return sb.ToString(); }
            if (c == '\\') { sb.Append(ReadEscape()); continue; }
            if (c is '$' or '%' && Peek(1) == c && Peek(2) == '{')
            {
                sb.Append(_src, _pos, 3); // escaped marker: stays verbatim
                _pos += 3;
                continue;
            }
            if (c is '$' or '%' && Peek(1) == '{')
            {
                sb.Append(ReadSequence());
                continue;
            }
            sb.Append(c);
            _pos++;
        }
    }

    /// <summary>Reads <c>${...}</c> or <c>%{...}</c> verbatim, nested braces and strings included.</summary>
    private string ReadSequence()
    {
        int open = _pos;
        int close = HclTemplate.FindSequenceEnd(_src, _pos + 2);
        if (close == HclTemplate.TooDeep) throw Error(open, "template strings nested too deeply");
        if (close < 0)
            throw Error(open, $"unterminated template sequence \"{_src[open]}{{\" (missing \"}}\")", _src[open] == '$'
                ? HclSyntaxError.UnclosedInterpolation : HclSyntaxError.UnterminatedTemplateString);
        _pos = close + 1;
        return _src[open.._pos];
    }

    /// <summary>Decodes the escape at <paramref name="offset"/> (a backslash); moves it past the escape.</summary>
    public string DecodeEscape(ref int offset)
    {
        int saved = _pos;
        _pos = offset;
        try
        {
            string s = ReadEscape();
            offset = _pos;
            return s;
        }
        finally { _pos = saved; }
    }

    private string ReadEscape()
    {
        int start = _pos;
        char e = Peek(1);
        _pos += 2;
        switch (e)
        {
            case 'n': return "\n";
            case 'r': return "\r";
            case 't': return "\t";
            case '"': return "\"";
            case '\\': return "\\";
            case 'u': return ReadUnicodeEscape(start, 4);
            case 'U': return ReadUnicodeEscape(start, 8);
        }
        if (e == '\0' || e == '\n')
            throw Error(start, "unterminated string",
                (e == '\0' ? HclSyntaxError.UnterminatedTemplateString : HclSyntaxError.InvalidMultiLineString) with { At = PositionAt(start + 1) });
        throw Error(start, $"invalid escape sequence \"\\{e}\" (want \\n \\r \\t \\\" \\\\ \\uXXXX or \\UXXXXXXXX)", HclSyntaxError.InvalidEscape(e.ToString()));
    }

    private string ReadUnicodeEscape(int start, int digits)
    {
        string hex = _pos + digits <= _src.Length ? _src.Substring(_pos, digits) : "";
        if (hex.Length != digits || !hex.All(char.IsAsciiHexDigit)
            || !int.TryParse(hex, NumberStyles.HexNumber, CultureInfo.InvariantCulture, out int code)
            || code is < 0 or > 0x10FFFF)
        {
            throw Error(start, $"invalid unicode escape (want \\{_src[start + 1]} and {digits} hex digits)", HclSyntaxError.InvalidUnicodeEscape(_src[start + 1]));
        }
        _pos += digits;
        // Lone surrogates from \uD83D\uDE00 pairs are joined by being appended one after the other.
        return code is >= 0xD800 and <= 0xDFFF ? ((char)code).ToString() : char.ConvertFromUtf32(code);
    }

    /// <summary>
    /// Reads <c>&lt;&lt;EOF</c> (or indented <c>&lt;&lt;-EOF</c>) up to the line that holds only the marker.
    /// Heredocs take no escapes; <c>&lt;&lt;-</c> removes the smallest indentation of the non-blank lines
    /// (each space or tab counts as one).
    /// </summary>
    private string ReadHeredoc(out HeredocLines bodyLines)
    {
        int open = _pos;
        _pos += 2;
        bool indented = Peek() == '-';
        if (indented) _pos++;
        if (!IsIdentStart(Peek())) throw Error(open, "invalid heredoc: expected a marker name after \"<<\", as in <<EOF");
        int nameStart = _pos;
        while (!AtEnd && (char.IsLetterOrDigit(_src[_pos]) || _src[_pos] == '_')) _pos++;
        string marker = _src[nameStart.._pos];
        while (Peek() is ' ' or '\t' or '\r') _pos++;
        if (Peek() != '\n') throw Error(open, $"invalid heredoc: expected a newline after \"<<{(indented ? "-" : "")}{marker}\"");
        _pos++;

        int bodyStart = _pos;
        var lines = new List<string>();
        while (true)
        {
            if (AtEnd) throw Error(open, $"unterminated heredoc (missing closing \"{marker}\")", HclSyntaxError.UnterminatedTemplateString);
            int eol = _src.IndexOf('\n', _pos);
            int end = eol < 0 ? _src.Length : eol;
            string line = _src[_pos..end]; // a CRLF file keeps its '\r' in the text, as in HCL2
            if (line.Trim() == marker)
            {
                bodyLines = new HeredocLines(bodyStart, _pos, indented);
                _pos = end; // the newline after the marker ends the attribute
                break;
            }
            lines.Add(line);
            _pos = eol < 0 ? _src.Length : eol + 1;
        }

        if (indented) lines = Dedent(lines);
        var sb = new StringBuilder();
        foreach (var l in lines) sb.Append(l).Append('\n');
        return sb.ToString();
    }

    private static List<string> Dedent(List<string> lines)
    {
        static int Indent(string l) => l.Length - l.TrimStart(' ', '\t').Length;
        var content = lines.Where(l => l.Trim().Length > 0).ToList();
        var min = int.MaxValue;
        foreach (var l in content) min = Math.Min(min, Indent(l));
        if (content.Count == 0) min = 0;
        // Like HCL2, lines of only whitespace neither count towards the indentation nor lose any.
        return lines.Select(l => l.Trim().Length == 0 ? l : l[min..]).ToList();
    }
}
