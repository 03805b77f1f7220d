using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>cty's string functions, from their documentation (Terraform's and Nomad's function pages).</summary>
[TestFixture]
public sealed class StringFunctionTests
{
    private const string Combining = "e\u0301"; // é as a letter and a combining accent: one character

    public static readonly Row[] Results =
    [
        new("upper", [S("hello")], "\"HELLO\""),
        new("upper", [S("алло!")], "\"АЛЛО!\""),
        new("upper", [S("")], "\"\""),
        new("upper", [N(5)], "\"5\""),
        new("lower", [S("HELLO")], "\"hello\""),
        new("lower", [S("АЛЛО!")], "\"алло!\""),
        new("strrev", [S("hello")], "\"olleh\""),
        new("strrev", [S("a☃")], "\"☃a\""),
        new("strrev", [S("x" + Combining)], $"\"{Combining}x\""),
        new("strrev", [S("")], "\"\""),
        new("reverse", [S("abc")], "\"cba\""),
        new("strlen", [S("h" + Combining + "llo")], "5"),
        new("strlen", [S("🤔🤷")], "2"),
        new("strlen", [S("")], "0"),
        new("substr", [S("hello world"), N(1), N(4)], "\"ello\""),
        new("substr", [S("🤔🤷"), N(0), N(1)], "\"🤔\""),
        new("substr", [S("hello world"), N(-5), N(-1)], "\"world\""),
        new("substr", [S("hello world"), N(6), N(10)], "\"world\""),
        new("substr", [S("hello"), N(10), N(2)], "\"\""),
        new("substr", [S("hello"), N(-10), N(2)], "\"he\""),
        new("substr", [S("hello"), N(1), N(0)], "\"\""),
        new("substr", [S("hello"), N(-1), N(0)], "\"\""),
        new("chomp", [S("a\n\r")], "\"a\""),
        new("substr", [S(Combining + "ab"), N(0), N(2)], $"\"{Combining}a\""),
        new("join", [S("-"), Strings("foo", "bar", "baz")], "\"foo-bar-baz\""),
        new("join", [S(", "), Strings("foo")], "\"foo\""),
        new("join", [S(","), Strings(), Strings("a", "b"), Strings("c")], "\"a,b,c\""),
        new("join", [S(","), T(S("a"), N(1))], "\"a,1\""),
        new("split", [S(","), S("foo,bar,baz")], "list[\"foo\",\"bar\",\"baz\"]"),
        new("split", [S(","), S("foo")], "list[\"foo\"]"),
        new("split", [S(","), S("")], "list[\"\"]"),
        new("split", [S(""), S("abc")], "list[\"a\",\"b\",\"c\"]"),
        new("split", [S(", "), S("a, b,c")], "list[\"a\",\"b,c\"]"),
        new("chomp", [S("hello\n")], "\"hello\""),
        new("chomp", [S("hello\r\n")], "\"hello\""),
        new("chomp", [S("hello\n\n\r\n")], "\"hello\""),
        new("chomp", [S("a\nb")], "\"a\\nb\""),
        new("indent", [N(2), S("[\n  foo,\n  bar,\n]\n")], "\"[\\n    foo,\\n    bar,\\n  ]\\n  \""),
        new("indent", [N(4), S("one line")], "\"one line\""),
        new("title", [S("hello world")], "\"Hello World\""),
        new("title", [S("hello_world-foo bar.baz")], "\"Hello_world-Foo Bar.Baz\""),
        new("title", [S("élan vital")], "\"Élan Vital\""),
        new("trimspace", [S("  hello\n\n")], "\"hello\""),
        new("trimspace", [S("\u00a0\thi\u3000")], "\"hi\""),
        new("trim", [S("?!hello?!"), S("!?")], "\"hello\""),
        new("trim", [S("foobar"), S("")], "\"foobar\""),
        new("trim", [S("☃x☃"), S("☃")], "\"x\""),
        new("trimprefix", [S("helloworld"), S("hello")], "\"world\""),
        new("trimprefix", [S("helloworld"), S("cat")], "\"helloworld\""),
        new("trimsuffix", [S("helloworld"), S("world")], "\"hello\""),
        new("trimsuffix", [S("helloworld"), S("cat")], "\"helloworld\""),
        new("replace", [S("1 + 2 + 3"), S("+"), S("-")], "\"1 - 2 - 3\""),
        new("replace", [S("hello world"), S("/w.*d/"), S("everybody")], "\"hello world\""), // cty: never a regex
        new("replace", [S("ab"), S(""), S("-")], "\"-a-b-\""),
        new("regex_replace", [S("hello world"), S("w.*d"), S("everybody")], "\"hello everybody\""),
        new("regex_replace", [S("a1b22"), S(@"\d+"), S("<$0>")], "\"a<1>b<22>\""),
        new("regex_replace", [S("2020-01-02"), S(@"(?P<y>\d+)-(?P<m>\d+)-(?P<d>\d+)"), S("$d/$m/$y")], "\"02/01/2020\""),
        new("regex_replace", [S("ab"), S("(?P<x>a)(b)"), S("$2$1")], "\"ba\""), // Go numbers named groups in order
        new("regex_replace", [S("ab"), S("(a)"), S("$1x")], "\"b\""),  // Go reads $1x as the group "1x"
        new("regex_replace", [S("ab"), S("(a)"), S("${1}x")], "\"axb\""),
        new("regex_replace", [S("ab"), S("a"), S("$$")], "\"$b\""),
        new("regex_replace", [S("١2"), S(@"\d"), S("x")], "\"١x\""),     // \d is ASCII in RE2
        new("regex_replace", [S("a\n"), S("a$"), S("b")], "\"a\\n\""),    // $ is the very end without (?m)
        new("regex_replace", [S("a\nb"), S("(?m)^"), S(">")], "\">a\\n>b\""),
        new("regex_replace", [S("x.y"), S(@"\Q.\E"), S("-")], "\"x-y\""),
        new("regex_replace", [S("aB1"), S("[[:alpha:]]"), S("_")], "\"__1\""),
        new("regex_replace", [S("aé1"), S(@"\pL"), S("_")], "\"__1\""),
        new("regex_replace", [S("a☃b"), S(@"\x{2603}"), S("-")], "\"a-b\""),
    ];

    [TestCaseSource(nameof(Results))]
    public void Result(Row row) => Assert.That(Run(row.Function, row.Args), Is.EqualTo(row.Expected));

    public static readonly Row[] Errors =
    [
        new("upper", [], "Function \"upper\" expects 1 argument(s). Missing value for \"str\"."),
        new("upper", [S("a"), S("b")], "Function \"upper\" expects only 1 argument(s)."),
        new("upper", [Strings("a")], "Invalid value for \"str\" parameter: string required."),
        new("upper", [Null], "Invalid value for \"str\" parameter: argument must not be null."),
        new("reverse", [Strings("a", "b")], "Invalid value for \"str\" parameter: string required."),
        new("substr", [S("abc"), N(1.5), N(1)], "Call to function \"substr\" failed: value must be a whole number, between -9223372036854775808 and 9223372036854775807."),
        new("substr", [S("abc"), S("x"), N(1)], "Invalid value for \"offset\" parameter: a number is required."),
        new("join", [S(",")], "Call to function \"join\" failed: at least one list is required."),
        new("join", [S(","), L(S("a"), Null)], "Invalid value for \"lists\" parameter: element 1 is null; cannot concatenate null values."),
        new("join", [S(","), Strings("a"), L(Null)], "Invalid value for \"lists\" parameter: element 0 of list 2 is null; cannot concatenate null values."),
        new("join", [S(","), S("a")], "Invalid value for \"lists\" parameter: list of string required."),
        new("indent", [N(-1), S("a")], "Call to function \"indent\" failed: strings: negative Repeat count."),
    ];

    [TestCaseSource(nameof(Errors))]
    public void Error(Row row) => Assert.That(Fails(row.Function, row.Args).Message, Is.EqualTo(row.Expected));

    [Test]
    public void ArityErrorsCarryHclsSummaries()
    {
        Assert.That(Fails("upper").Summary, Is.EqualTo("Not enough function arguments"));
        Assert.That(Fails("upper", S("a"), S("b")).Summary, Is.EqualTo("Too many function arguments"));
        var bad = Fails("upper", Strings("a"));
        Assert.That((bad.Summary, bad.ArgumentIndex), Is.EqualTo(("Invalid function argument", (int?)0)));
        var failed = Fails("join", S(","));
        Assert.That((failed.Summary, failed.ArgumentIndex), Is.EqualTo(("Error in function call", (int?)null)));
    }

    [Test]
    public void AnInvalidRegularExpressionIsAnErrorOfTheCall()
    {
        var e = Fails("regex_replace", S("a"), S("("), S("b"));
        Assert.That(e.Message, Does.StartWith("Call to function \"regex_replace\" failed: error parsing regexp: "));
    }

    [Test]
    public void UpperOfANullStringIsRefusedButAStringValueOfNullTypeIsToo()
    {
        Assert.That(Fails("lower", Value.Null(HclType.String)).Message,
            Is.EqualTo("Invalid value for \"str\" parameter: argument must not be null."));
    }
}
