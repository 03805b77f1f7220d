using Nomad.Agent.Hcl.Functions;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>The table holds exactly the names Nomad's jobspec2 offers, and the special forms behave as documented.</summary>
[TestFixture]
public sealed class FunctionTableTests
{
    /// <summary>jobspec2/functions.go's map, name for name.</summary>
    private static readonly string[] Jobspec2Names =
    [
        "abs", "base64decode", "base64encode", "bcrypt", "can", "ceil", "chomp", "chunklist", "cidrhost", "cidrnetmask",
        "cidrsubnet", "cidrsubnets", "coalesce", "coalescelist", "compact", "concat", "contains", "convert", "csvdecode",
        "distinct", "element", "flatten", "floor", "format", "formatdate", "formatlist", "indent", "index", "join",
        "jsondecode", "jsonencode", "keys", "length", "log", "lookup", "lower", "max", "md5", "merge", "min", "parseint",
        "pow", "range", "reverse", "replace", "regex_replace", "rsadecrypt", "setintersection", "setproduct", "setunion",
        "sha1", "sha256", "sha512", "signum", "slice", "sort", "split", "strlen", "strrev", "substr", "timeadd", "title",
        "trim", "trimprefix", "trimspace", "trimsuffix", "try", "upper", "urlencode", "uuidv4", "uuidv5", "values",
        "yamldecode", "yamlencode", "zipmap",
        "abspath", "basename", "dirname", "file", "filebase64", "fileexists", "fileset", "pathexpand",
    ];

    [Test]
    public void TheTableHasJobspec2sFunctionsAndNoOthers() =>
        Assert.That(Table.Names.Order(), Is.EqualTo(Jobspec2Names.Order()));

    [Test]
    public void TryAndCanAreLeftToTheEvaluator()
    {
        foreach (var name in new[] { "try", "can" })
        {
            Assert.That(Table.TryGet(name, out var f) && f is EvaluatorFunction, Is.True);
            Assert.That(() => f.Call([S("x")]), Throws.TypeOf<FunctionException>());
        }
    }

    [Test]
    public void ConvertTakesItsTypeFromTheEvaluator()
    {
        Assert.That(Table.TryGet("convert", out var f) && f is ConvertFunction, Is.True);
        var convert = (ConvertFunction)f;
        Assert.That(Show(convert.Convert(T(S("a"), N(1)), HclType.List(HclType.String))), Is.EqualTo("list[\"a\",\"1\"]"));
        Assert.That(Show(convert.Convert(Null, HclType.Number)), Is.EqualTo("null"));
        var e = Assert.Throws<FunctionException>(() => convert.Convert(S("x"), HclType.Number))!;
        Assert.That((e.Message, e.ArgumentIndex), Is.EqualTo(("Invalid value for \"value\" parameter: a number is required.", (int?)0)));
    }
}
