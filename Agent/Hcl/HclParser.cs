namespace Nomad.Agent.Hcl;

/// <summary>Entry points: parse HCL text or a file into an <see cref="HclBody"/>. Errors are <see cref="HclException"/>.</summary>
public static class HclParser
{
    /// <param name="source">The HCL text.</param>
    /// <param name="fileName">The name used in error messages (e.g. "agent.hcl").</param>
    public static HclBody Parse(string source, string fileName) => new Parser(source, fileName).ParseFile();

    /// <summary>
    /// Parses a whole text as one HCL2 expression (e.g. a <c>-var</c> value or a variable file's value);
    /// newlines are insignificant. Errors are positioned in <paramref name="text"/> as <paramref name="fileName"/>.
    /// </summary>
    public static Expressions.Expr ParseExpression(string text, string fileName) =>
        new Parser(text, fileName).ParseStandaloneExpression();

    /// <summary>
    /// A string of HCL's JSON syntax as the template it is (<c>"${var.x}-web"</c>), parsed where the string's text
    /// starts in its file, so errors inside it name the JSON's line and column.
    /// </summary>
    public static Expressions.Expr ParseJsonTemplate(string text, HclPosition at) => Parser.ParseStandaloneTemplate(text, at);

    /// <summary>An expression written as a JSON string (a variable's <c>type</c>), parsed where the string's text starts.</summary>
    public static Expressions.Expr ParseJsonExpression(string text, HclPosition at) => Parser.ParseStandaloneExpression(text, at);

    /// <summary>Reads and parses a file; error messages name it as <paramref name="path"/> was given.</summary>
    public static HclBody ParseFile(string path) => Parse(File.ReadAllText(path), path);
}
