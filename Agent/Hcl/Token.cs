namespace Nomad.Agent.Hcl;

internal enum TokenKind
{
    Identifier,
    String,      // a quoted string; Text is its value (escapes decoded, ${...} kept verbatim)
    Heredoc,     // <<EOF ... EOF; Text is its value
    Number,      // Text is the literal as written
    Operator,    // . ... * / % + - ! == != < <= > >= && || ? => ~ : Text is the operator
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    LParen,
    RParen,
    Equals,
    Colon,
    Comma,
    Newline,
    EndOfFile,
}

/// <summary>
/// One lexical token. <see cref="Offset"/> is where it starts in the source, <see cref="End"/> just after it.
/// A heredoc also carries where its lines start and end (<see cref="Heredoc"/>), for the template parser.
/// </summary>
internal sealed record Token(TokenKind Kind, string Text, int Offset, int End, HclPosition Position)
{
    public HeredocLines? Heredoc { get; init; }

    public bool Is(string op) => Kind == TokenKind.Operator && Text == op;

    public bool IsKeyword(string word) => Kind == TokenKind.Identifier && Text == word;

    /// <summary>How the token reads in an error message ("newline", "\"}\"", "number 5").</summary>
    public string Describe() => Kind switch
    {
        TokenKind.Identifier => $"\"{Text}\"",
        TokenKind.String => $"string \"{Text}\"",
        TokenKind.Heredoc => "heredoc",
        TokenKind.Number => $"number {Text}",
        TokenKind.Newline => "newline",
        TokenKind.EndOfFile => "end of file",
        _ => $"\"{Text}\"",
    };
}

/// <summary>The lines of a heredoc: from <see cref="Start"/> to <see cref="End"/> (the start of the closing marker's line).</summary>
internal readonly record struct HeredocLines(int Start, int End, bool Indented);
