using Nomad.Agent.Templates;

namespace Nomad.Agent.Tests.Templates;

/// <summary>
/// Table tests of our Go text/template engine, in the manner of Go's exec_test.go: template text, the data,
/// and the output Go gives (or that it fails). Cases follow Go's text/template documentation.
/// </summary>
public sealed class GoTemplateExecTests
{
    private static readonly TemplateFunction Upper = TemplateFunction.Fixed("upper", 1, a => Args.String(a, 0).ToUpperInvariant());
    private static readonly TemplateFunction Fail = TemplateFunction.Fixed("fail", 0, _ => throw new TemplateFunctionException("boom"));

    private static Dictionary<string, object?> Data() => new()
    {
        ["True"] = true,
        ["I"] = 17L,
        ["X"] = "x",
        ["FloatZero"] = 0.0,
        ["SI"] = new List<object?> { 3L, 4L, 5L },
        ["SIEmpty"] = new List<object?>(),
        ["SS"] = new List<object?> { "a", "b" },
        ["MSI"] = new Dictionary<string, object?> { ["one"] = 1L, ["two"] = 2L, ["three"] = 3L },
        ["MSIEmpty"] = new Dictionary<string, object?>(),
        ["NIL"] = null,
        ["Nested"] = new Dictionary<string, object?> { ["Name"] = "inner", ["List"] = new List<object?> { "p", "q" } },
        ["Obj"] = new { Name = "n", Age = 3 },
        ["F"] = Upper,
    };

    // name, template, expected output (null: it must fail)
    private static readonly object?[][] Cases =
    [
        ["empty", "", ""],
        ["text", "some text", "some text"],
        ["field", "-{{.X}}-", "-x-"],
        ["int field", "-{{.I}}-", "-17-"],
        ["dollar field", "{{$.I}}", "17"],
        ["dollar map", "{{$.MSI.two}}", "2"],
        ["nested field", "{{.Nested.Name}}", "inner"],
        ["object property", "{{.Obj.Name}} {{.Obj.Age}}", "n 3"],
        ["missing key prints no value", "{{.Missing}}", "<no value>"],
        ["nil in map prints no value", "{{.NIL}}", "<no value>"],
        ["field of string", "{{.X.Y}}", null],
        ["number int", "{{3}}", "3"],
        ["number negative", "{{-3}}", "-3"],
        ["number float", "{{1.5}}", "1.5"],
        ["number exponent is float", "{{1e6}}", "1e+06"],
        ["number hex", "{{0x1F}}", "31"],
        ["number octal", "{{0o17}}", "15"],
        ["number binary", "{{0b101}}", "5"],
        ["number underscores", "{{1_000}}", "1000"],
        ["char constant", "{{'a'}}", "97"],
        ["string", "{{\"hello\\tthere\"}}", "hello\tthere"],
        ["raw string", "{{`a\\nb`}}", "a\\nb"],
        ["bool", "{{true}} {{false}}", "true false"],
        ["nil is not a command", "{{nil}}", null],
        ["dot list", "{{.SI}}", "[3 4 5]"],
        ["dot map", "{{.MSI}}", "map[one:1 three:3 two:2]"],

        ["variable", "{{$x := .MSI}}{{$x.one}}", "1"],
        ["declare prints nothing", "{{$x := 3}}", ""],
        ["assignment", "{{$x := 2}}{{$x = 3}}{{$x}}", "3"],
        ["nested assignment", "{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{$x}}", "3"],
        ["assignment changes the innermost declaration", "{{$x := 1}}{{if true}}{{$x := 2}}{{if true}}{{$x = 3}}{{end}}{{end}}{{$x}}", "1"],
        ["dollar is the data", "{{with .Nested}}{{$.X}}{{end}}", "x"],

        ["if true", "{{if true}}TRUE{{end}}", "TRUE"],
        ["if false", "{{if false}}TRUE{{else}}FALSE{{end}}", "FALSE"],
        ["if nil", "{{if nil}}TRUE{{end}}", null],
        ["if 1", "{{if 1}}NON-ZERO{{else}}ZERO{{end}}", "NON-ZERO"],
        ["if 0", "{{if 0}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"],
        ["if 0.0", "{{if .FloatZero}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"],
        ["if empty string", "{{if ``}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"],
        ["if string", "{{if `x`}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY"],
        ["if empty slice", "{{if .SIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"],
        ["if slice", "{{if .SI}}NON-EMPTY{{else}}EMPTY{{end}}", "NON-EMPTY"],
        ["if empty map", "{{if .MSIEmpty}}NON-EMPTY{{else}}EMPTY{{end}}", "EMPTY"],
        ["if missing key", "{{if .MSI.none}}NON-ZERO{{else}}ZERO{{end}}", "ZERO"],
        ["if struct", "{{if .Obj}}TRUE{{end}}", "TRUE"],
        ["else if", "{{if false}}FALSE{{else if true}}TRUE{{end}}", "TRUE"],
        ["else if chain", "{{if eq 1 3}}1{{else if eq 2 3}}2{{else if eq 3 3}}3{{end}}", "3"],
        ["if declares for its body", "{{if $x := .I}}{{$x}}{{end}}", "17"],

        ["with", "{{with .X}}<{{.}}>{{end}}", "<x>"],
        ["with empty", "{{with ``}}A{{else}}B{{end}}", "B"],
        ["with variable", "{{with $x := .I}}{{$x}}{{end}}", "17"],
        ["with else with", "{{with .SIEmpty}}A{{else with .SI}}{{index . 0}}{{end}}", "3"],

        ["range", "{{range .SI}}-{{.}}-{{end}}", "-3--4--5-"],
        ["range empty else", "{{range .SIEmpty}}-{{.}}-{{else}}EMPTY{{end}}", "EMPTY"],
        ["range index and element", "{{range $i, $x := .SI}}<{{$i}}={{$x}}>{{end}}", "<0=3><1=4><2=5>"],
        ["range element", "{{range $x := .SI}}<{{$x}}>{{end}}", "<3><4><5>"],
        ["range map sorted", "{{range .MSI}}-{{.}}-{{end}}", "-1--3--2-"],
        ["range map keys", "{{range $k, $v := .MSI}}{{$k}}={{$v}} {{end}}", "one=1 three=3 two=2 "],
        ["range empty map", "{{range .MSIEmpty}}x{{else}}E{{end}}", "E"],
        ["range nil", "{{range .NIL}}x{{else}}E{{end}}", "E"],
        ["range int", "{{range 3}}{{.}}{{end}}", "012"],
        ["range break", "{{range .SI}}{{if eq . 4}}{{break}}{{end}}{{.}}{{end}}", "3"],
        ["range continue", "{{range .SI}}{{if eq . 4}}{{continue}}{{end}}{{.}}{{end}}", "35"],
        ["range over string fails", "{{range .X}}{{end}}", null],
        ["range assigns", "{{$i := 0}}{{$v := 0}}{{range $i, $v = .SI}}{{end}}{{$i}} {{$v}}", "2 5"],
        ["range dollar", "{{range .SI}}{{$.X}}{{end}}", "xxx"],
        ["nested range", "{{range .SS}}{{$s := .}}{{range $.SI}}{{$s}}{{.}}{{end}}{{end}}", "a3a4a5b3b4b5"],

        ["print", "{{print \"hello, print\"}}", "hello, print"],
        ["print spaces between non-strings", "{{print 1 2 3}}", "1 2 3"],
        ["print strings and numbers", "{{print \"a\" 1 2 \"b\"}}", "a1 2b"],
        ["print nil", "{{print nil}}", "<nil>"],
        ["println", "{{println 1 2 3}}", "1 2 3\n"],
        ["printf s", "{{printf `%s` .X}}", "x"],
        ["printf d", "{{printf \"%d\" 5}}", "5"],
        ["printf f", "{{printf \"%.2f\" 3.14159}}", "3.14"],
        ["printf f default precision", "{{printf \"%f\" 1.5}}", "1.500000"],
        ["printf q", "{{printf \"%q\" \"x\\n\"}}", "\"x\\n\""],
        ["printf v list", "{{printf \"%v\" .SI}}", "[3 4 5]"],
        ["printf s list", "{{printf \"%s\" .SS}}", "[a b]"],
        ["printf q list", "{{printf \"%q\" .SS}}", "[\"a\" \"b\"]"],
        ["printf width", "{{printf \"%5d|%-5d|\" 3 4}}", "    3|4    |"],
        ["printf hex", "{{printf \"%x %X %#x\" 255 255 255}}", "ff FF 0xff"],
        ["printf hex string", "{{printf \"%x\" \"hi\"}}", "6869"],
        ["printf t", "{{printf \"%t\" true}}", "true"],
        ["printf percent", "{{printf \"100%%\"}}", "100%"],
        ["printf missing", "{{printf \"%d\"}}", "%!d(MISSING)"],
        ["printf bad verb", "{{printf \"%d\" \"x\"}}", "%!d(string=x)"],
        ["printf extra", "{{printf \"x\" 1}}", "x%!(EXTRA int=1)"],
        ["printf zero pad float", "{{printf \"%08.3f\" -3.14159}}", "-003.142"],
        ["printf plus", "{{printf \"%+d\" 5}}", "+5"],
        ["printf char", "{{printf \"%c\" 65}}", "A"],
        ["printf e", "{{printf \"%e\" 1234.5678}}", "1.234568e+03"],
        ["printf g", "{{printf \"%g\" 100000000.0}}", "1e+08"],
        ["printf g precision", "{{printf \"%.3g\" 1234.0}}", "1.23e+03"],
        ["printf v float", "{{printf \"%v\" 0.000012}}", "1.2e-05"],
        ["printf T", "{{printf \"%T %T %T\" 1 \"s\" 1.5}}", "int string float64"],
        ["printf string precision", "{{printf \"%.2s\" \"abc\"}}", "ab"],
        ["printf nil", "{{printf \"%v %s\" nil nil}}", "<nil> %!s(<nil>)"],

        ["html", "{{html \"<script>alert(\\\"XSS\\\");</script>\"}}", "&lt;script&gt;alert(&#34;XSS&#34;);&lt;/script&gt;"],
        ["js", "{{js \"It'd be <nice>.\"}}", "It\\'d be \\u003Cnice\\u003E."],
        ["urlquery", "{{\"http://www.example.org/\"|urlquery}}", "http%3A%2F%2Fwww.example.org%2F"],
        ["urlquery space", "{{urlquery \"a b&c\"}}", "a+b%26c"],

        ["pipeline", "{{\"output\" | printf \"%s\"}}", "output"],
        ["pipeline last argument", "{{\"hello\" | printf \"%s %s\" \"world\"}}", "world hello"],
        ["pipeline chain", "{{.X | printf \"%s\" | printf \"%q\"}}", "\"x\""],
        ["parenthesized", "{{printf \"%d %d\" (1) (len .SI)}}", "1 3"],
        ["chain on parenthesized", "{{(.MSI).one}}", "1"],
        ["custom function", "{{upper .X}}", "X"],
        ["custom function in pipeline", "{{.X | upper}}", "X"],
        ["call", "{{call .F \"a\"}}", "A"],
        ["call nil", "{{call .NIL}}", null],

        ["len slice", "{{len .SI}}", "3"],
        ["len map", "{{len .MSI}}", "3"],
        ["len string counts bytes", "{{len \"héllo\"}}", "6"],
        ["len int", "{{len 3}}", null],
        ["index slice", "{{index .SI 0}} {{index .SI 2}}", "3 5"],
        ["index map", "{{index .MSI \"two\"}}", "2"],
        ["index map missing", "{{index .MSI \"XXX\"}}", "<no value>"],
        ["index nested", "{{index .Nested \"List\" 1}}", "q"],
        ["index string", "{{index \"abc\" 1}}", "98"],
        ["index out of range", "{{index .SI 10}}", null],
        ["slice", "{{slice .SI 1 2}}", "[4]"],
        ["slice from", "{{slice .SI 1}}", "[4 5]"],
        ["slice string", "{{slice \"abc\" 1 2}}", "b"],
        ["slice string 3 index", "{{slice \"abc\" 1 2 3}}", null],
        ["not", "{{not true}} {{not 0}}", "false true"],
        ["and", "{{and 1 0}} {{and 1 2}}", "0 2"],
        ["or", "{{or 0 \"\" \"x\"}} {{or 0 false}}", "x false"],
        ["and short-circuits", "{{and false (index .SI 10)}}", "false"],
        ["or short-circuits", "{{or true (index .SI 10)}}", "true"],
        ["eq", "{{eq 1 1}} {{eq 1 2}} {{eq 1 2 3 1}} {{eq .X \"x\"}}", "true false true true"],
        ["ne", "{{ne 1 2}} {{ne \"a\" \"a\"}}", "true false"],
        ["lt le gt ge", "{{lt 1 2}} {{le 2 2}} {{gt 3 2}} {{ge 1 2}}", "true true true false"],
        ["lt strings and floats", "{{lt \"a\" \"b\"}} {{lt 1.5 2.5}}", "true true"],
        ["eq nil", "{{eq .NIL nil}}", "true"],
        ["eq incompatible", "{{eq 1 \"a\"}}", null],
        ["lt bool", "{{lt true false}}", null],
        ["eq no argument", "{{eq 1}}", null],

        ["define and template", "{{define \"foo\"}}FOO{{end}}{{template \"foo\"}}", "FOO"],
        ["template with data", "{{define \"x\"}}[{{.}}]{{end}}{{template \"x\" .I}}", "[17]"],
        ["define after use", "{{template \"x\" .SI}}{{define \"x\"}}{{len .}}{{end}}", "3"],
        ["template dollar is its data", "{{define \"d\"}}{{$}}{{end}}{{template \"d\" 5}}", "5"],
        ["block", "{{block \"b\" .X}}<{{.}}>{{end}}", "<x>"],
        ["recursive template", "{{define \"r\"}}{{if .}}{{index . 0}}{{template \"r\" (slice . 1)}}{{end}}{{end}}{{template \"r\" .SI}}", "345"],

        ["trim both", "x  {{- 3 -}}  y", "x3y"],
        ["trim right across newline", "{{3 -}}\n  y", "3y"],
        ["trim left only", "a \n{{- 3}} b", "a3 b"],
        ["minus without space is a number", "{{-3}}", "-3"],
        ["comment", "a{{/* comment */}}b", "ab"],
        ["trimmed comment", "a {{- /* c */ -}} b", "ab"],
        ["multi-line comment", "a{{/* one\ntwo */}}b", "ab"],
        ["action spanning lines", "{{print\n1}}", "1"],
        ["printf zero padded hex", "{{printf \"%04x\" 127}}", "007f"],
        ["printf g short", "{{printf \"%g\" 3.5}}", "3.5"],
        ["hex constant is an int", "{{printf `%T` 0xef}} {{printf `%T` 0XEE}}", "int int"],
        ["and returns the deciding value", "{{and false 0}} {{and 1 0}} {{and 0 true}} {{and 1 1}}", "false 0 0 1"],
        ["or returns the deciding value", "{{or 0 0}} {{or 1 0}} {{or 0 true}} {{or 1 1}}", "0 1 true 1"],
        ["boolean if not", "{{if and true 1 `hi` | not}}TRUE{{else}}FALSE{{end}}", "FALSE"],
        ["or as if", "{{or .SI \"slice is empty\"}} {{or .SIEmpty \"slice is empty\"}}", "[3 4 5] slice is empty"],
        ["if $x with $x", "{{if $x := true}}{{with $x := .I}}{{$x}},{{end}}{{$x}}{{end}}", "17,true"],
        ["with 1.5", "{{with 1.5}}{{.}}{{else}}ZERO{{end}}", "1.5"],
        ["with slice", "{{with .SI}}{{.}}{{else}}EMPTY{{end}}", "[3 4 5]"],
        ["with variable and action", "{{with $x := $}}{{$y := $.X}}{{$y}}{{end}}", "x"],
        ["declare in range", "{{range $x := .SI}}<{{$foo:=$x}}{{$x}}>{{end}}", "<3><4><5>"],
        ["parens: $ in paren", "{{($).X}}", "x"],
        ["parens in pipeline", "{{printf `%d %d` (1) (.SI | len)}}", "1 3"],
        ["chained node as argument", "{{print (.Nested).Name}}", "inner"],
        ["index slice with string fails", "{{index .SI `hello`}}", null],
        ["index slice with nil fails", "{{index .SI nil}}", null],
        ["index map with nil fails", "{{index .MSI nil}}", null],
        ["index nil fails", "{{index nil 1}}", null],
        ["len of nil fails", "{{len .NIL}}", null],
        ["non-function with arguments", "{{3 2}}", null],
        ["variable with arguments", "{{$x := 1}}{{$x 2}}", null],
        ["variable as a pipeline stage", "{{$x := 1}}{{3 | $x}}", null],
        ["field of explicit nil", "{{(nil).True}}", null],
        ["field of nil variable", "{{$x := nil}}{{$x.anything}}", null],
        ["field of float", "{{$x := (1.0)}}{{$x.anything}}", null],
        ["printf without a format", "{{true|printf}}", null],
        ["printf with a piped format", "{{\"aaa\"|printf }}", "aaa"],
        ["range assignment to undeclared variable", "{{range $x = .SI}}{{end}}", null],
    ];

    private static IEnumerable<TestCaseData> ExecCases() =>
        Cases.Select(c => new TestCaseData(c[1], c[2]).SetName("exec: " + (string)c[0]!));

    [TestCaseSource(nameof(ExecCases))]
    public void Executes_as_go_does(string text, string? expected)
    {
        var options = new TemplateOptions { Functions = new Dictionary<string, TemplateFunction> { ["upper"] = Upper, ["fail"] = Fail } };
        if (expected is null)
        {
            Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", text, options).Execute(Data()));
            return;
        }
        Assert.That(GoTemplate.Parse("t", text, options).Execute(Data()), Is.EqualTo(expected));
    }

    // Errors as Go words them: the template name, the line (and column), the node, and the reason.
    private static readonly string[][] ErrorCases =
    [
        ["{{.X", "template: t:1: unclosed action"],
        ["a\nb\n{{.X", "template: t:3: unclosed action"],
        ["{{end}}", "template: t:1: unexpected {{end}}"],
        ["{{else}}", "template: t:1: unexpected {{else}}"],
        ["{{if .X}}", "template: t:1: unexpected EOF"],
        ["line\n{{nosuch}}", "template: t:2: function \"nosuch\" not defined"],
        ["{{$x}}", "template: t:1: undefined variable \"$x\""],
        ["{{range $x := .SI}}{{end}}{{$x}}", "template: t:1: undefined variable \"$x\""],
        ["{{if}}{{end}}", "template: t:1: missing value for if"],
        ["{{break}}", "template: t:1: {{break}} outside {{range}}"],
        ["{{\"unterminated}}", "template: t:1: unterminated quoted string"],
        ["{{3x}}", "template: t:1: bad number syntax: \"3x\""],
        ["{{/* a */ 3}}", "template: t:1: comment ends before closing delimiter"],
        ["{{.X | 3}}", "template: t:1: non executable command in pipeline stage 2"],
        ["{{range .SI}}{{else if .X}}{{end}}", "template: t:1: unexpected <if> in else"],
        ["{{.X.Y}}", "template: t:1:2: executing \"t\" at <.X.Y>: can't evaluate field Y in type string"],
        ["{{index .SI 10}}", "template: t:1:2: executing \"t\" at <index .SI 10>: error calling index: index out of range: 10"],
        ["\n {{fail}}", "template: t:2:3: executing \"t\" at <fail>: error calling fail: boom"],
        ["{{len}}", "template: t:1:2: executing \"t\" at <len>: wrong number of args for len: want 1 got 0"],
        ["{{len 1 2}}", "template: t:1:2: executing \"t\" at <len>: wrong number of args for len: want 1 got 2"],
        ["{{eq 1 \"a\"}}", "template: t:1:2: executing \"t\" at <eq 1 \"a\">: error calling eq: incompatible types for comparison"],
        ["{{template \"nope\"}}", "template: t:1:11: executing \"t\" at <{{template \"nope\"}}>: template \"nope\" not defined"],
        ["{{define \"d\"}}{{.X.Y}}{{end}}{{template \"d\" .}}", "template: t:1:16: executing \"d\" at <.X.Y>: can't evaluate field Y in type string"],
        ["{{range .X}}{{end}}", "template: t:1:2: executing \"t\" at <{{range .X}}{{end}}>: range can't iterate over x"],
        ["{{upper 1}}", "template: t:1:2: executing \"t\" at <upper 1>: wrong type for value; expected string; got int"],
        ["{{nil}}", "template: t:1:2: executing \"t\" at <nil>: nil is not a command"],
        ["{{.X 1}}", "template: t:1:2: executing \"t\" at <.X>: X is not a method but has arguments"],
        ["{{1 2}}", "template: t:1:2: executing \"t\" at <1>: can't give argument to non-function 1"],
    ];

    private static IEnumerable<TestCaseData> ErrorCaseData() =>
        ErrorCases.Select(c => new TestCaseData(c[0], c[1]).SetName("error: " + c[0].Replace("\n", "\\n")));

    [TestCaseSource(nameof(ErrorCaseData))]
    public void Fails_with_gos_words(string text, string expected)
    {
        var options = new TemplateOptions { Functions = new Dictionary<string, TemplateFunction> { ["upper"] = Upper, ["fail"] = Fail } };
        var e = Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", text, options).Execute(Data()));
        Assert.That(e!.Message, Is.EqualTo(expected));
    }

    // Texts Go's parser refuses (parse_test.go's error cases).
    private static readonly string[] ParseErrors =
    [
        "{{}}", "hello{{range", "{{if .X}}hello{{end}}{{else}}", "{{if .X}}1{{else}}2{{else}}3{{end}}", "hello{{range .x}}",
        "hello{{range .x}}{{else}}", "hello{{undefined}}", "{{with $x := 4}}{{end}}{{$x}}", "{{template $v}}", "{{with $x.Y := 4}}{{end}}",
        "{{template .X}}", "{{printf 3, 4}}", "{{with $v, $u := 3}}{{end}}", "{{range $u, $v, $w := 3}}{{end}}", "{{printf (printf .).}}",
        "{{printf 3`x`}}", "{{printf `x`.}}", "{{if .X}}a{{else if .Y}}b{{end}}{{end}}", "{{range .}}{{end}} {{break}}",
        "{{range .}}{{end}} {{continue}}", "{{range .}}{{else}}{{break}}{{end}}", "{{range .}}{{else}}{{continue}}{{end}}",
        "{{$x += 1}}{{$x}}", "{{$x ! 2}}{{$x}}", "{{$x % 3}}{{$x}}", "{{range $x := $y := 3}}{{end}}", "{{$x:=.}}{{$x!2}}",
        "{{$x:=.}}{{$x+2}}", "{{1.E}}", "{{0.1.E}}", "{{true.E}}", "{{'a'.any}}", "{{\"hello\".guys}}", "{{..E}}", "{{nil.E}}",
        "{{12|.}}", "{{.|12|printf}}", "{{.|printf|\"error\"}}", "{{12|printf|'e'}}", "{{.|true}}", "{{'c'|nil}}",
        "{{printf \"%d\" ( ) }}", "{{block \"foo\"}}hello{{end}}", "{{\n}}",
    ];

    [TestCaseSource(nameof(ParseErrors))]
    public void Refuses_what_go_refuses(string text) =>
        Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", text));

    // Texts Go's parser accepts, with the output they give.
    [TestCase("{{ $x \n := \n 1 \n }}{{$x}}", "1")]
    [TestCase("{{\n\"x\"\n|\nprintf\n}}", "x")]
    [TestCase("{{-\n/*\nhello\n*/\n-}}", "")]
    [TestCase("x \r\n\t{{- 3 -}}\n\n\ty", "x3y")]
    [TestCase("x\n{{-  3   -}}\ny", "x3y")]
    [TestCase("x \r\n\t{{- /* hi */}}", "x")]
    [TestCase("{{/* hi */ -}}\n\n\ty", "y")]
    [TestCase("{{$x:=.}}{{$x +2}}", "")]
    [TestCase("{{range $x := 0}}{{$x}}{{end}}", "")]
    [TestCase("{{range .SI}}{{.}}{{ continue }}{{end}}", "345")]
    public void Accepts_what_go_accepts(string text, string expected)
    {
        var data = new Dictionary<string, object?> { ["SI"] = new List<object?> { 3L, 4L, 5L } };
        if (text.Contains("$x +2")) { Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", text).Execute(data)); return; }
        Assert.That(GoTemplate.Parse("t", text).Execute(data), Is.EqualTo(expected));
    }

    [Test]
    public void Missing_key_error_option_fails_on_a_missing_map_key()
    {
        var t = GoTemplate.Parse("t", "{{.MSI.nope}}", new TemplateOptions { MissingKey = MissingKeyMode.Error });
        var e = Assert.Throws<TemplateException>(() => t.Execute(Data()));
        Assert.That(e!.Message, Is.EqualTo("template: t:1:2: executing \"t\" at <.MSI.nope>: map has no entry for key \"nope\""));
    }

    [Test]
    public void Nil_data_yields_no_value_unless_missing_keys_are_errors()
    {
        Assert.That(GoTemplate.Parse("t", "{{.foo}}|{{.}}").Execute(null), Is.EqualTo("<no value>|<no value>"));
        var strict = GoTemplate.Parse("", "{{.foo}}", new TemplateOptions { MissingKey = MissingKeyMode.Error });
        var e = Assert.Throws<TemplateException>(() => strict.Execute(null));
        Assert.That(e!.Message, Is.EqualTo("template: :1:2: executing \"\" at <.foo>: nil data; no entry for key \"foo\""));
    }

    [Test]
    public void Endless_template_recursion_stops_with_gos_words()
    {
        var t = GoTemplate.Parse("t", "{{define \"r\"}}{{template \"r\" .}}{{end}}{{template \"r\" .}}");
        var e = Assert.Throws<TemplateException>(() => t.Execute(null));
        Assert.That(e!.Message, Does.EndWith("exceeded maximum template depth (1000)"));
    }

    [Test]
    public void Deep_nesting_is_refused_at_parse_time()
    {
        var ifs = string.Concat(Enumerable.Repeat("{{if 1}}", 5000)) + string.Concat(Enumerable.Repeat("{{end}}", 5000));
        Assert.That(Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", ifs))!.Message, Is.EqualTo("template: t:1: max expression depth exceeded"));
        var parens = "{{" + new string('(', 5000) + "1" + new string(')', 5000) + "}}";
        Assert.That(Assert.Throws<TemplateException>(() => GoTemplate.Parse("t", parens))!.Message, Is.EqualTo("template: t:1: max expression depth exceeded"));
        var ok = string.Concat(Enumerable.Repeat("{{if 1}}", 500)) + "x" + string.Concat(Enumerable.Repeat("{{end}}", 500));
        Assert.That(GoTemplate.Parse("t", ok).Execute(null), Is.EqualTo("x"));
    }

    [Test]
    public void Custom_delimiters_leave_the_default_ones_as_text()
    {
        var t = GoTemplate.Parse("t", "[[.X]] {{.X}} [[- \" y\" ]]", new TemplateOptions { LeftDelim = "[[", RightDelim = "]]" });
        Assert.That(t.Execute(Data()), Is.EqualTo("x {{.X}} y"));
    }

    [Test]
    public void Execute_template_runs_a_definition_by_name()
    {
        var t = GoTemplate.Parse("t", "{{define \"a\"}}A{{.}}{{end}}main");
        Assert.That(t.ExecuteTemplate("a", 1L), Is.EqualTo("A1"));
        Assert.That(t.Execute(null), Is.EqualTo("main"));
    }
}
