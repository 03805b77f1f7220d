using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>cty's numeric functions, from their documentation.</summary>
[TestFixture]
public sealed class NumericFunctionTests
{
    public static readonly Row[] Results =
    [
        new("abs", [N(23)], "23"),
        new("abs", [N(0)], "0"),
        new("abs", [N(-12.4)], "12.4"),
        new("abs", [S("-3")], "3"),
        new("ceil", [N(5)], "5"),
        new("ceil", [N(5.1)], "6"),
        new("ceil", [N(-5.1)], "-5"),
        new("floor", [N(5)], "5"),
        new("floor", [N(4.9)], "4"),
        new("floor", [N(-4.1)], "-5"),
        new("log", [N(50), N(10)], "1.6989700043360185"),
        new("log", [N(16), N(2)], "4"),
        new("log", [N(1), N(10)], "0"),
        new("pow", [N(3), N(2)], "9"),
        new("pow", [N(4), N(0)], "1"),
        new("pow", [N(2), N(-1)], "0.5"),
        new("signum", [N(-13)], "-1"),
        new("signum", [N(0)], "0"),
        new("signum", [N(344)], "1"),
        new("max", [N(12), N(54), N(3)], "54"),
        new("max", [N(-1)], "-1"),
        new("max", [N(1), S("7")], "7"),
        new("min", [N(12), N(54), N(3)], "3"),
        new("min", [N(0.5), N(-0.25)], "-0.25"),
        new("parseint", [S("100"), N(10)], "100"),
        new("parseint", [S("FF"), N(16)], "255"),
        new("parseint", [S("-10"), N(16)], "-16"),
        new("parseint", [S("+7"), N(10)], "7"),
        new("parseint", [S("1011111011101111"), N(2)], "48879"),
        new("parseint", [S("aA"), N(62)], "656"),
        new("parseint", [S("zz"), N(36)], "1295"),
        new("parseint", [S("ZZ"), N(36)], "1295"),
    ];

    [TestCaseSource(nameof(Results))]
    public void Result(Row row) => Assert.That(Run(row.Function, row.Args), Is.EqualTo(row.Expected));

    public static readonly Row[] Errors =
    [
        new("abs", [S("x")], "Invalid value for \"num\" parameter: a number is required."),
        new("abs", [B(true)], "Invalid value for \"num\" parameter: number required."),
        new("max", [], "Call to function \"max\" failed: must pass at least one number."),
        new("min", [N(1), Strings()], "Invalid value for \"numbers\" parameter: number required."),
        new("log", [N(-1), N(10)], "Call to function \"log\" failed: the result is not a number."),
        new("parseint", [S("12"), N(1)], "Invalid value for \"base\" parameter: base must be a whole number between 2 and 62 inclusive."),
        new("parseint", [S("12"), N(63)], "Invalid value for \"base\" parameter: base must be a whole number between 2 and 62 inclusive."),
        new("parseint", [S("12"), N(2.5)], "Invalid value for \"base\" parameter: value must be a whole number, between -9223372036854775808 and 9223372036854775807."),
        new("parseint", [S("FZ"), N(16)], "Invalid value for \"number\" parameter: cannot parse \"FZ\" as a base 16 integer."),
        new("parseint", [S(""), N(10)], "Invalid value for \"number\" parameter: cannot parse \"\" as a base 10 integer."),
        new("parseint", [N(12), N(10)], "Invalid value for \"number\" parameter: first argument must be a string, not number."),
    ];

    [TestCaseSource(nameof(Errors))]
    public void Error(Row row) => Assert.That(Fails(row.Function, row.Args).Message, Is.EqualTo(row.Expected));
}
