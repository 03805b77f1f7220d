namespace Nomad.Agent.Hcl;

/// <summary>
/// A syntax error as HCL2's native syntax parser words it: a short <see cref="Summary"/> ("Invalid expression") and a
/// <see cref="Detail"/> sentence. Job files show these (<c>file:line,col: Summary; Detail</c>, as Nomad does); the agent
/// configuration keeps its own one-line problems. The texts are HCL's (hclsyntax: parser.go, parser_template.go, token.go).
/// </summary>
public sealed record HclSyntaxError(string Summary, string Detail)
{
    /// <summary>Where HCL reports it, when that differs from where our problem is reported (e.g. at the end of the file).</summary>
    public HclPosition? At { get; init; }

    // ---- bodies ----

    public static readonly HclSyntaxError UnclosedBlock = new("Unclosed configuration block",
        "There is no closing brace for this block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.");

    public static readonly HclSyntaxError ArgumentOrBlockRequired = new("Argument or block definition required",
        "An argument or block definition is required here.");

    public static readonly HclSyntaxError ArgumentNeedsEquals = new("Argument or block definition required",
        "An argument or block definition is required here. To set an argument, use the equals sign \"=\" to introduce the argument value.");

    public static HclSyntaxError AttributeRedefined(string name, HclPosition first) => new("Attribute redefined",
        $"The argument \"{name}\" was already set at {first.File}:{first.Line},{first.Column}-{first.Column + name.Length}. Each argument may be set only once.");

    public static readonly HclSyntaxError MissingNewlineAfterArgument = new("Missing newline after argument",
        "An argument definition must end with a newline.");

    public static readonly HclSyntaxError UnexpectedCommaAfterArgument = new("Unexpected comma after argument",
        "Argument definitions must be separated by newlines, not commas. An argument definition must end with a newline.");

    public static readonly HclSyntaxError MissingNewlineAfterBlock = new("Missing newline after block definition",
        "A block definition must end with a newline.");

    public static readonly HclSyntaxError SingleArgumentBlockComma = new("Invalid single-argument block definition",
        "Single-line block syntax can include only one argument definition. To define multiple arguments, use the multi-line block syntax with one argument definition per line.");

    public static readonly HclSyntaxError SingleArgumentBlockEnd = new("Invalid single-argument block definition",
        "A single-line block definition must end with a closing brace immediately after its single argument definition.");

    public static readonly HclSyntaxError InvalidBlockDefinition = new("Invalid block definition",
        "Either a quoted string block label or an opening brace (\"{\") is expected here.");

    public static readonly HclSyntaxError InvalidBlockDefinitionEquals = new("Invalid block definition",
        "The equals sign \"=\" indicates an argument definition, and must not be used when defining a block.");

    public static readonly HclSyntaxError InvalidBlockDefinitionNewline = new("Invalid block definition",
        "A block definition must have block content delimited by \"{\" and \"}\", starting on the same line as the block header.");

    // ---- expressions ----

    public static readonly HclSyntaxError InvalidExpression = new("Invalid expression",
        "Expected the start of an expression, but found an invalid expression token.");

    public static readonly HclSyntaxError MissingExpression = new("Missing expression",
        "Expected the start of an expression, but found the end of the file.");

    public static readonly HclSyntaxError ExtraCharactersAfterExpression = new("Extra characters after expression",
        "An expression was successfully parsed, but extra characters were found after it.");

    public static readonly HclSyntaxError InvalidNumberLiteral = new("Invalid number literal",
        "Failed to recognize the value of this number literal.");

    public static readonly HclSyntaxError MissingFalseExpression = new("Missing false expression in conditional",
        "The conditional operator (...?...:...) requires a false expression, delimited by a colon.");

    public static readonly HclSyntaxError UnbalancedParentheses = new("Unbalanced parentheses",
        "Expected a closing parenthesis to terminate the expression.");

    public static readonly HclSyntaxError UnterminatedFunctionCall = new("Unterminated function call",
        "There is no closing parenthesis for this function call before the end of the file. This may be caused by incorrect parenthesis nesting elsewhere in this file.");

    public static readonly HclSyntaxError MissingArgumentSeparator = new("Missing argument separator",
        "A comma is required to separate each function argument from the next.");

    public static readonly HclSyntaxError MissingParenAfterExpansion = new("Missing closing parenthesis",
        "An expanded function argument (with ...) must be immediately followed by closing parentheses.");

    public static readonly HclSyntaxError MissingSplatBracket = new("Missing close bracket on splat index",
        "The star for a full splat operator must be immediately followed by a closing bracket (\"]\").");

    public static readonly HclSyntaxError MissingIndexBracket = new("Missing close bracket on index",
        "The index operator must end with a closing bracket (\"]\").");

    public static HclSyntaxError InvalidLegacyIndex(string first, string second) => new("Invalid legacy index syntax",
        $"When using the legacy index syntax, chaining two indexes together is not permitted. Use the proper index syntax instead, like [{first}][{second}].");

    public static readonly HclSyntaxError InvalidAttributeName = new("Invalid attribute name", "An attribute name is required after a dot.");

    public static readonly HclSyntaxError NestedSplat = new("Nested splat expression not allowed",
        "A splat expression (*) cannot be used inside another attribute-only splat expression.");

    public static readonly HclSyntaxError UnterminatedTuple = new("Unterminated tuple constructor expression",
        "There is no corresponding closing bracket before the end of the file. This may be caused by incorrect bracket nesting elsewhere in this file.");

    public static readonly HclSyntaxError MissingItemSeparator = new("Missing item separator",
        "Expected a comma to mark the beginning of the next item.");

    public static readonly HclSyntaxError UnterminatedObject = new("Unterminated object constructor expression",
        "There is no corresponding closing brace before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file.");

    public static readonly HclSyntaxError MissingAttributeValue = new("Missing attribute value",
        "Expected an attribute value, introduced by an equals sign (\"=\").");

    public static readonly HclSyntaxError MissingKeyValueSeparator = new("Missing key/value separator",
        "Expected an equals sign (\"=\") to mark the beginning of the attribute value.");

    public static readonly HclSyntaxError MissingKeyValueSeparatorBeforeName = new("Missing key/value separator",
        "Expected an equals sign (\"=\") to mark the beginning of the attribute value. If you intended to given an attribute name containing periods or spaces, write the name in quotes to create a string literal.");

    public static readonly HclSyntaxError MissingAttributeSeparator = new("Missing attribute separator",
        "Expected a newline or comma to mark the beginning of the next attribute.");

    /// <summary>A malformed <c>[for ...]</c> / <c>{for ...}</c>; <paramref name="detail"/> is HCL's sentence for the part.</summary>
    public static HclSyntaxError InvalidFor(string detail) => new("Invalid 'for' expression", detail);

    // ---- characters and strings ----

    public static HclSyntaxError InvalidCharacter(char c) => c switch
    {
        '&' or '|' or '^' => new("Unsupported operator", "Bitwise operators are not supported." + c switch
        {
            '&' => " Did you mean boolean AND (\"&&\")?",
            '|' => " Did you mean boolean OR (\"||\")?",
            _ => "",
        }),
        '`' => new("Invalid character", "The \"`\" character is not valid. To create a multi-line string, use the \"heredoc\" syntax, like \"<<EOT\"."),
        '\'' => new("Invalid character", "Single quotes are not valid. Use double quotes (\") to enclose strings."),
        ';' => new("Invalid character", "The \";\" character is not valid. Use newlines to separate arguments and blocks, and commas to separate items in collection values."),
        _ => new("Invalid character", "This character is not used within the language."),
    };

    public static readonly HclSyntaxError InvalidMultiLineString = new("Invalid multi-line string",
        "Quoted strings may not be split over multiple lines. To produce a multi-line string, either use the \\n escape to represent a newline character or use the \"heredoc\" multi-line template syntax.");

    public static readonly HclSyntaxError UnterminatedTemplateString = new("Unterminated template string",
        "No closing marker was found for the string.");

    public static HclSyntaxError InvalidEscape(string symbol) => new("Invalid escape sequence",
        $"The symbol \"{symbol}\" is not a valid escape sequence selector.");

    public static HclSyntaxError InvalidUnicodeEscape(char selector) => new("Invalid escape sequence", selector == 'u'
        ? "The \\u escape sequence must be followed by four hexadecimal digits."
        : "The \\U escape sequence must be followed by eight hexadecimal digits.");

    // ---- templates ----

    public static readonly HclSyntaxError UnclosedInterpolation = new("Unclosed template interpolation sequence",
        "There is no closing brace for this interpolation sequence before the end of the file. This might be caused by incorrect nesting inside the given expression.");

    // HCL's detail has a blank line before "This can happen"; a problem here is one line.
    public static readonly HclSyntaxError ExtraCharactersAfterInterpolation = new("Extra characters after interpolation expression",
        "Expected a closing brace to end the interpolation expression, but found extra characters. This can happen when you include interpolation syntax for another language, such as shell scripting, but forget to escape the interpolation start token. If this is an embedded sequence for another language, escape it by starting with \"$${\" instead of just \"${\".");

    public static readonly HclSyntaxError ColonInInterpolation = new("Extra characters after interpolation expression",
        "Template interpolation doesn't expect a colon at this location. Did you intend this to be a literal sequence to be processed as part of another language? If so, you can escape it by starting with \"$${\" instead of just \"${\".");

    public static HclSyntaxError ExtraCharactersInMarker(string keyword) => new($"Extra characters in {keyword} marker",
        "Expected a closing brace to end the sequence, but found extra characters.");

    public static readonly HclSyntaxError InvalidTemplateDirective = new("Invalid template directive",
        "A template directive keyword (\"if\", \"for\", etc) is expected at the beginning of a %{ sequence.");

    public static HclSyntaxError InvalidTemplateKeyword(string given, string suggestion) => new("Invalid template control keyword",
        $"\"{given}\" is not a valid template control keyword.{suggestion}");

    public static HclSyntaxError InvalidForDirective(string detail) => new("Invalid 'for' directive", detail);

    public static HclSyntaxError MissingEndDirective(string opener, HclPosition at) => new("Unexpected end of template",
        $"The {opener} directive at {at.File}:{at.Line},{at.Column} is missing its corresponding end{opener} directive.");

    public static HclSyntaxError UnexpectedDirective(string keyword) => new($"Unexpected {keyword} directive",
        "The control directives within this template are unbalanced.");

    public static HclSyntaxError MismatchedDirective(string found, string opener, HclPosition at) => new($"Unexpected {found} directive",
        opener == "if"
            ? $"Expecting an endif directive for the if started at {at.File}:{at.Line},{at.Column}."
            : $"Expecting an endfor directive corresponding to the for directive at {at.File}:{at.Line},{at.Column}.");
}
