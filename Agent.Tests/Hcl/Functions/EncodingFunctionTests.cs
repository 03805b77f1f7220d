using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>base64, urlencode, csvdecode, JSON and YAML, from the functions' documentation.</summary>
[TestFixture]
public sealed class EncodingFunctionTests
{
    public static readonly Row[] Results =
    [
        new("base64encode", [S("Hello World")], "\"SGVsbG8gV29ybGQ=\""),
        new("base64encode", [S("")], "\"\""),
        new("base64encode", [S("☃")], "\"4piD\""),
        new("base64decode", [S("SGVsbG8gV29ybGQ=")], "\"Hello World\""),
        new("base64decode", [S("4piD")], "\"☃\""),
        new("urlencode", [S("Hello World!")], "\"Hello+World%21\""),
        new("urlencode", [S("☃")], "\"%E2%98%83\""),
        new("urlencode", [S("foo:bar@localhost?foo=bar&bar=baz")], "\"foo%3Abar%40localhost%3Ffoo%3Dbar%26bar%3Dbaz\""),
        new("urlencode", [S("a-b_c.d~e")], "\"a-b_c.d~e\""),
        new("urlencode", [S("")], "\"\""),
        new("base64decode", [S("")], "\"\""),
        new("base64decode", [S("SGVs\nbG8=")], "\"Hello\""),
        new("jsonencode", [T(S("☃"), N(-1.5), Strings())], "\"[\\\"☃\\\",-1.5,[]]\""),
        new("jsondecode", [S("-0.5")], "-0.5"),
        new("yamlencode", [T(N(-1.5), S("☃"))], "\"- -1.5\\n- \\\"☃\\\"\\n\""),
        new("csvdecode", [S("a,b,c\n1,2,3\n4,5,6")],
            "list[object{\"a\":\"1\",\"b\":\"2\",\"c\":\"3\"},object{\"a\":\"4\",\"b\":\"5\",\"c\":\"6\"}]"),
        new("csvdecode", [S("a,b\r\n\"x, \"\"y\"\"\",\"two\nlines\"\r\n\r\n")],
            "list[object{\"a\":\"x, \\\"y\\\"\",\"b\":\"two\\nlines\"}]"),
        new("csvdecode", [S("a,b\n")], "list[]"),
        new("jsonencode", [O(("hello", S("world")))], "\"{\\\"hello\\\":\\\"world\\\"}\""),
        new("jsonencode", [Null], "\"null\""),
        new("jsondecode", [S("{\"hello\": \"world\"}")], "object{\"hello\":\"world\"}"),
        new("jsondecode", [S("true")], "true"),
        new("jsondecode", [S("[1, \"a\", null, {\"b\": [2.5]}]")], "tuple[1,\"a\",null,object{\"b\":tuple[2.5]}]"),
        new("jsondecode", [S("\"\\u2603\"")], "\"☃\""),
        new("yamldecode", [S("hello: world")], "object{\"hello\":\"world\"}"),
        new("yamldecode", [S("true")], "true"),
        new("yamldecode", [S("{a: &foo [1, 2, 3], b: *foo}")], "object{\"a\":tuple[1,2,3],\"b\":tuple[1,2,3]}"),
        new("yamldecode", [S("- yes\n- off\n- ~\n- 0x1F\n- 1_000\n- '5'\n- 2001-12-14\n- 1.5e3\n- !!str 10\n- .inf")],
            "tuple[true,false,null,31,1000,\"5\",\"2001-12-14T00:00:00Z\",1500,\"10\",+Inf]"),
        new("yamldecode", [S("text: |\n  line one\n  line two\n")], "object{\"text\":\"line one\\nline two\\n\"}"),
    ];

    [TestCaseSource(nameof(Results))]
    public void Result(Row row) => Assert.That(Run(row.Function, row.Args), Is.EqualTo(row.Expected));

    public static readonly Row[] Errors =
    [
        new("base64encode", [Null], "Invalid value for \"str\" parameter: argument must not be null."),
        new("jsondecode", [S("{")], "Call to function \"jsondecode\" failed: unexpected EOF."),
        new("jsondecode", [S("[1, \"a")], "Call to function \"jsondecode\" failed: unexpected EOF."),
        new("jsondecode", [S("")], "Call to function \"jsondecode\" failed: EOF."),
        new("base64decode", [S("not base64!")], "Call to function \"base64decode\" failed: failed to decode base64 data 'not base64!'."),
        new("base64decode", [S("/w==")], "Call to function \"base64decode\" failed: the result of decoding the the provided string is not valid UTF-8."),
        new("csvdecode", [S("")], "Call to function \"csvdecode\" failed: missing header line."),
        new("csvdecode", [S("a,b\n1,2,3")], "Call to function \"csvdecode\" failed: CSV parse error on line 2: wrong number of fields."),
        new("csvdecode", [S("a,b\n1,x\"y")], "Call to function \"csvdecode\" failed: CSV parse error on line 2: bare \" in non-quoted-field."),
        new("csvdecode", [S("a,a\n1,2")], "Call to function \"csvdecode\" failed: duplicate column name \"a\"."),
        new("jsondecode", [S("{\"a\": 1, \"a\": 2}")], "Call to function \"jsondecode\" failed: duplicate \"a\" property in JSON object."),
        new("jsondecode", [S("1 2")], "Call to function \"jsondecode\" failed: extraneous data after JSON object."),
        new("yamldecode", [S("a: 1\n---\nb: 2")], "Call to function \"yamldecode\" failed: on line 1, column 0: only a single document is allowed."),
        new("yamldecode", [S("- .nan")], "Call to function \"yamldecode\" failed: on line 0, column 2: floating point NaN is not supported."),
        new("yamldecode", [S("!!bool maybe")], "Call to function \"yamldecode\" failed: on line 0, column 0: cannot parse \"maybe\" as !!bool."),
        new("yamldecode", [S("")], "Call to function \"yamldecode\" failed: on line 1, column 0: missing start of document."),
        new("yamldecode", [S("a: 1\n~: 2")], "Call to function \"yamldecode\" failed: on line 1, column 0: mapping key cannot be null."),
        new("yamldecode", [S("[1]: 2")], "Call to function \"yamldecode\" failed: on line 0, column 0: only strings are allowed as mapping keys."),
    ];

    [Test]
    public void MalformedYamlIsOneLineAboutTheCall()
    {
        Assert.That(Fails("yamldecode", S("a: [1, 2\nb: 3")).Message,
            Is.EqualTo("Call to function \"yamldecode\" failed: the document is not valid YAML."));
        Assert.That(Fails("yamldecode", S("a: b: c")).Message, Does.Match("^Call to function \"yamldecode\" failed: on line 0, column \\d+: [^\n]+$"));
    }

    [TestCaseSource(nameof(Errors))]
    public void Error(Row row) => Assert.That(Fails(row.Function, row.Args).Message, Is.EqualTo(row.Expected));

    [Test]
    public void JsonEncodingIsCtys()
    {
        var value = O(("b", T(N(1), N(1.5), N(1e21), N(-0.0000001), B(false), Null)), ("a", S("<&>\u2028\n\t\"\\é")),
            ("c", Set(S("y"), S("x"))), ("d", M()));
        Assert.That(((StringValue)Call("jsonencode", value)).Value, Is.EqualTo(
            "{\"a\":\"\\u003c\\u0026\\u003e\\u2028\\n\\t\\\"\\\\é\",\"b\":[1,1.5,1000000000000000000000,-0.0000001,false,null],\"c\":[\"x\",\"y\"],\"d\":{}}"));
    }

    [Test]
    public void JsonRoundTrips()
    {
        var text = "{\"a\":[1,\"x\",{\"b\":null}],\"c\":true}";
        Assert.That(((StringValue)Call("jsonencode", Call("jsondecode", S(text)))).Value, Is.EqualTo(text));
    }

    public static readonly (Value Value, string Yaml)[] YamlEncodings =
    [
        (O(("a", S("b")), ("c", S("d"))), "\"a\": \"b\"\n\"c\": \"d\"\n"),
        (S("hello"), "\"hello\"\n"),
        (N(1.5), "1.5\n"),
        (B(true), "true\n"),
        (Null, "null\n"),
        (Strings("a", "b"), "- \"a\"\n- \"b\"\n"),
        (T(), "[]\n"),
        (O(), "{}\n"),
        (O(("a", O(("b", N(1)), ("c", T())))), "\"a\":\n  \"b\": 1\n  \"c\": []\n"),
        (O(("a", L(N(1), N(2)))), "\"a\":\n- 1\n- 2\n"),
        (T(O(("a", N(1)), ("b", N(2))), T(N(1), N(2))), "- \"a\": 1\n  \"b\": 2\n- - 1\n  - 2\n"),
        (O(("s", S("line one\nline two"))), "\"s\": |-\n  line one\n  line two\n"),
        (O(("s", S("ends\n"))), "\"s\": |\n  ends\n"),
        (S("a\n\nb"), "|-\n  a\n\n  b\n"),
        (S(" lead\nx"), "|2-\n   lead\n  x\n"),
        (S("tab\there\nx"), "\"tab\\there\\nx\"\n"),
        (S("q\"u\\o é"), "\"q\\\"u\\\\o é\"\n"),
    ];

    [TestCaseSource(nameof(YamlEncodings))]
    public void YamlEncodingIsLibyamls((Value Value, string Yaml) c) =>
        Assert.That(((StringValue)Call("yamlencode", c.Value)).Value, Is.EqualTo(c.Yaml));

    [Test]
    public void LongYamlStringsFoldAtSpacesPastEightyColumns()
    {
        var words = string.Join(' ', Enumerable.Repeat("word", 30));
        var yaml = ((StringValue)Call("yamlencode", O(("k", S(words))))).Value;
        Assert.That(yaml.Split('\n')[0].Length, Is.GreaterThan(80).And.LessThan(90));
        Assert.That(yaml, Does.Contain("\n  word"));
        Assert.That(Run("yamldecode", S(yaml)), Is.EqualTo(Run("yamldecode", S($"k: {words}"))));
    }
}
