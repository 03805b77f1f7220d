namespace Nomad.Agent.Hcl;

internal enum TokenKind
{
    Identifier,
    String,      // a quoted string; Text is its value (escapes decoded, ${...} kept verbatim)
    Heredoc,     // <<EOF ... EOF; Text is its value
    Number,      // Text is the literal as written
    Expression,  // a bare expression such as var.x or upper("a"); Text is its source
    LBrace,
    RBrace,
    LBracket,
    RBracket,
    Equals,
    Colon,
    Comma,
    Newline,
    EndOfFile,
}

/// <summary>One lexical token. <see cref="Offset"/> is where it starts in the source.</summary>
internal sealed record Token(TokenKind Kind, string Text, int Offset, HclPosition Position)
{
    /// <summary>How the token reads in an error message ("newline", "\"}\"", "number 5").</summary>
    public string Describe() => Kind switch
    {
        TokenKind.Identifier => $"\"{Text}\"",
        TokenKind.String => $"string \"{Text}\"",
        TokenKind.Heredoc => "heredoc",
        TokenKind.Number => $"number {Text}",
        TokenKind.Expression => $"expression \"{Text}\"",
        TokenKind.Newline => "newline",
        TokenKind.EndOfFile => "end of file",
        _ => $"\"{Text}\"",
    };
}
