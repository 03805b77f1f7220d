using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>format and formatlist: Go's verbs as cty documents them (rows give the raw string produced).</summary>
[TestFixture]
public sealed class FormatFunctionTests
{
    public static readonly Row[] Formats =
    [
        new("format", [S("Hello, %s!"), S("Ander")], "Hello, Ander!"),
        new("format", [S("There are %d lights"), N(4)], "There are 4 lights"),
        new("format", [S("no verbs")], "no verbs"),
        new("format", [S("%%")], "%"),
        new("format", [S("100%% %s"), S("sure")], "100% sure"),
        new("format", [S("%d"), S("5")], "5"),
        new("format", [S("%5d|"), N(12)], "   12|"),
        new("format", [S("%-5d|"), N(12)], "12   |"),
        new("format", [S("%05d"), N(12)], "00012"),
        new("format", [S("%05d"), N(-12)], "-0012"),
        new("format", [S("%+d"), N(12)], "+12"),
        new("format", [S("% d"), N(12)], " 12"),
        new("format", [S("%.3d"), N(7)], "007"),
        new("format", [S("%x %X %o %b"), N(255), N(255), N(8), N(5)], "ff FF 10 101"),
        new("format", [S("%#x %#o"), N(255), N(8)], "0xff 010"),
        new("format", [S("%d"), N(-9007199254740992)], "-9007199254740992"),
        new("format", [S("%f"), N(3.14159)], "3.141590"),
        new("format", [S("%.2f"), N(3.14159)], "3.14"),
        new("format", [S("%8.2f|"), N(3.14159)], "    3.14|"),
        new("format", [S("%-8.2f|"), N(3.14159)], "3.14    |"),
        new("format", [S("%08.2f"), N(-3.14159)], "-0003.14"),
        new("format", [S("%+.1f"), N(2)], "+2.0"),
        new("format", [S("%.2f %.2f"), N(0.125), N(0.375)], "0.12 0.38"), // half to even on the exact value, as Go
        new("format", [S("%.0f"), N(2.5)], "2"),
        new("format", [S("%e"), N(1234.5678)], "1.234568e+03"),
        new("format", [S("%E"), N(0.000123)], "1.230000E-04"),
        new("format", [S("%.2e"), N(0)], "0.00e+00"),
        new("format", [S("%g"), N(1234.5678)], "1234.5678"),
        new("format", [S("%g"), N(0.00001234)], "1.234e-05"),
        new("format", [S("%g"), N(1e21)], "1e+21"),
        new("format", [S("%.3g"), N(1234.5678)], "1.23e+03"),
        new("format", [S("%f"), S("1.5")], "1.500000"),
        new("format", [S("%v"), N(123456)], "123456"),
        new("format", [S("%v"), N(1000000)], "1e+06"), // cty's %v is Go's %g, shortest
        new("format", [S("%v"), N(1.5)], "1.5"),
        new("format", [S("%v"), N(-0.5)], "-0.5"),
        new("format", [S("%v"), B(true)], "true"),
        new("format", [S("%v"), S("a")], "a"),
        new("format", [S("%v"), T(S("a"), N(1))], "[\"a\",1]"),
        new("format", [S("%v"), O(("b", N(2)), ("a", S("<x>")))], "{\"a\":\"\\u003cx\\u003e\",\"b\":2}"),
        new("format", [S("%v"), Null], "null"),
        new("format", [S("%#v"), S("a")], "\"a\""),
        new("format", [S("%#v"), N(1)], "1"),
        new("format", [S("%5v|"), S("ab")], "   ab|"),
        new("format", [S("%t"), B(true)], "true"),
        new("format", [S("%t"), S("false")], "false"),
        new("format", [S("%s"), N(1.5)], "1.5"),
        new("format", [S("%s"), B(true)], "true"),
        new("format", [S("%q"), S("hello \"x\"")], "\"hello \\\"x\\\"\""),
        new("format", [S("%q"), S("<a>&")], "\"\\u003ca\\u003e\\u0026\""),
        new("format", [S("%q"), N(5)], "\"5\""),
        new("format", [S("%.3s"), S("hello")], "hel"),
        new("format", [S("%.1s"), S("e\u0301x")], "e\u0301"),
        new("format", [S("%5s|"), S("ab")], "   ab|"),
        new("format", [S("%-5s|"), S("ab")], "ab   |"),
        new("format", [S("%05s"), S("ab")], "000ab"),
        new("format", [S("%3s|"), S("e\u0301")], "  e\u0301|"), // widths count characters
        new("format", [S("%[2]s %[1]s"), S("a"), S("b")], "b a"),
        new("format", [S("%[2]s %s"), S("a"), S("b"), S("c")], "b c"),
        new("format", [S("%4s|%-4s|%6q"), S("💃🏿"), S("💃🏿"), S("💃🏿")], "   💃🏿|💃🏿   |   \"💃🏿\""),
        new("format", [S("%.5s|%.1q|%6.2q"), S("日本語日本語"), S("日本語"), S("hello")], "日本語日本|\"日\"|  \"he\""),
        new("format", [S("%f|%.4f|%.1f"), S("1.00000000000000000000000000000000000001"), S("1.0"), S("1.06")], "1.000000|1.0000|1.1"),
        new("format", [S("%g|%G"), S("0.00000000000000000000001"), S("0.00000000000000000000001")], "1e-23|1E-23"),
        new("format", [S("%q"), S("Hello\nWorld")], "\"Hello\\nWorld\""),
        new("format", [S("%%%v"), B(false)], "%false"),
        new("format", [S("% f|%+f"), N(-10), N(10)], "-10.000000|+10.000000"),
    ];

    [TestCaseSource(nameof(Formats))]
    public void Format(Row row) => Assert.That(((StringValue)Call(row.Function, row.Args)).Value, Is.EqualTo(row.Expected));

    public static readonly Row[] Errors =
    [
        new("format", [S("%d"), N(5.5)], "Call to function \"format\" failed: unsupported value for \"%d\" at 0: an integer is required."),
        new("format", [S("%d"), S("x")], "Call to function \"format\" failed: unsupported value for \"%d\" at 0: a number is required."),
        new("format", [S("%t"), N(1)], "Call to function \"format\" failed: unsupported value for \"%t\" at 0: bool required."),
        new("format", [S("%s"), Null], "Call to function \"format\" failed: unsupported value for \"%s\" at 0: null value cannot be formatted."),
        new("format", [S("%s"), Strings("a")], "Call to function \"format\" failed: unsupported value for \"%s\" at 0: string required."),
        new("format", [S("%s %s"), S("a")], "Call to function \"format\" failed: not enough arguments for \"%s\" at 3: need index 2 but have 1 total."),
        new("format", [S("é%s %s"), S("a")], "Call to function \"format\" failed: not enough arguments for \"%s\" at 5: need index 2 but have 1 total."),
        new("format", [S("%z"), N(1)], "Call to function \"format\" failed: unsupported format verb 'z' in \"%z\" at offset 0."),
        new("format", [S("abc%")], "Call to function \"format\" failed: invalid format string starting at offset 4."),
        new("format", [S("%!"), N(1)], "Call to function \"format\" failed: unrecognized format character '!' at offset 1."),
        new("format", [], "Function \"format\" expects 1 argument(s). Missing value for \"format\"."),
        new("format", [S("no verbs at all"), N(10)], "Call to function \"format\" failed: too many arguments; no verbs in format string."),
        new("format", [S("only one verb %d"), N(10), N(11)], "Call to function \"format\" failed: too many arguments; only 1 used by format string."),
        new("format", [S("%[0]s"), B(true)], "Call to function \"format\" failed: unrecognized format character '0' at offset 2."),
        new("format", [S("%☠ x"), N(1)], "Call to function \"format\" failed: unrecognized format character '☠' at offset 1."),
        new("format", [S("%💃🏿 x"), N(1)], "Call to function \"format\" failed: unrecognized format character '💃' at offset 1."),
        new("format", [S("%012z"), N(1)], "Call to function \"format\" failed: unsupported format verb 'z' in \"%012z\" at offset 0."),
        new("format", [S("%[3]s"), B(true), B(true)], "Call to function \"format\" failed: not enough arguments for \"%[3]s\" at 0: need index 3 but have 2 total."),
        new("formatlist", [S("%s=%s"), Strings("a", "b"), Strings("1")], "Invalid value for \"args\" parameter: argument 2 has length 1, which is inconsistent with argument 1 of length 2."),
        new("formatlist", [S("%d"), Strings("a")], "Call to function \"formatlist\" failed: error on format iteration 0: unsupported value for \"%d\" at 0: a number is required."),
    ];

    [TestCaseSource(nameof(Errors))]
    public void Error(Row row) => Assert.That(Fails(row.Function, row.Args).Message, Is.EqualTo(row.Expected));

    public static readonly Row[] Lists =
    [
        new("formatlist", [S("Hello, %s!"), Strings("Valentina", "Ander")], "list[\"Hello, Valentina!\",\"Hello, Ander!\"]"),
        new("formatlist", [S("%s, %s!"), S("Salutations"), Strings("Valentina", "Ander")], "list[\"Salutations, Valentina!\",\"Salutations, Ander!\"]"),
        new("formatlist", [S("%s=%d"), T(S("a"), S("b")), Set(N(2), N(1))], "list[\"a=1\",\"b=2\"]"),
        new("formatlist", [S("%s"), Strings()], "list[]"),
        new("formatlist", [S("x")], "list[\"x\"]"),
        new("formatlist", [S("%s-%s"), S("a"), S("b")], "list[\"a-b\"]"),
        new("formatlist", [S("%v"), Value.Null(HclType.List(HclType.String))], "list[\"null\"]"),
        new("formatlist", [S("%v"), T()], "list[]"),
    ];

    [TestCaseSource(nameof(Lists))]
    public void FormatList(Row row) => Assert.That(Run(row.Function, row.Args), Is.EqualTo(row.Expected));
}
