using Nomad.Agent.Hcl;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>The JSON shape without the oracle (the corpus tests check it against hcl2json too).</summary>
[TestFixture]
public sealed class HclJsonTests
{
    private static string Json(string src) => HclJson.ToJsonString(HclParser.Parse(src, "t.hcl"), indented: false);

    [Test]
    public void BlocksNestByLabelAndCollectIntoArrays()
    {
        Assert.That(Json("job \"x\" {\n  a = 1\n}\nports {}\nports {}\n"),
            Is.EqualTo("""{"job":{"x":[{"a":1}]},"ports":[{},{}]}"""));
        Assert.That(Json("p \"a\" \"b\" { }\np \"a\" \"c\" { }\n"),
            Is.EqualTo("""{"p":{"a":{"b":[{}],"c":[{}]}}}"""));
    }

    [Test]
    public void ValuesAndTemplates()
    {
        Assert.That(Json("a = [1, 1.5, true, null, \"s\"]\nb = { c = \"${ x }\" }\nd = var.e\n"),
            Is.EqualTo("""{"a":[1,1.5,true,null,"s"],"b":{"c":"${x}"},"d":"${var.e}"}"""));
    }

    // Expected texts as hcl2json prints them (checked with the oracle): strip markers in a heredoc trim only the
    // literal next to them, the indentation of <<- goes after the strip markers, literals inside ${} are inlined.
    [TestCase("a = <<EOT\n  hi ${v}\n  %{~ if c ~}\n    yes\n  %{~ endif ~}\n  bye\nEOT\n", "  hi ${v}\n%{if c}    yes\n%{endif}  bye\n")]
    [TestCase("a = <<-EOT\n    %{ for x in l ~}\n    item ${x}\n    %{ endfor ~}\n  EOT\n", "%{for x in l}    item ${x}\n%{endfor}")]
    [TestCase("a = \"a ${\"b\"} ${true} ${1.5} ${ (x) }\"", "a b true 1.5 ${(x)}")]
    [TestCase("a = \"%{ if c }%{ else }no%{ endif }%{ if d }yes%{ else }%{ endif }\"", "%{if c}%{else}no%{endif}%{if d}yes%{endif}")]
    [TestCase("a = { (k) = 1, x[0] = 2 }", "{\"${(k)}\":1,\"x[0]\":2}")]
    public void TemplatesPrintAsHclParsesThem(string src, string expected)
    {
        string json = Json(src);
        string value = json[5..^1];
        Assert.That(value, Is.EqualTo(expected.StartsWith('{') ? expected : System.Text.Json.JsonSerializer.Serialize(expected)));
    }

    [TestCase("x ${ a } y", "x ${a} y")]
    [TestCase("a  ${~ b ~}  c", "a${b}c")]
    [TestCase("%{ if x ~} y %{~ endif }", "%{if x}y%{endif}")]
    [TestCase("$${ a } %%{ b }", "$${ a } %%{ b }")]
    public void CanonicalTemplates(string verbatim, string canonical) =>
        Assert.That(HclTemplate.Canonical(verbatim), Is.EqualTo(canonical));

    [Test]
    public void TemplatePartsSplitLiteralsFromSequences()
    {
        var parts = HclTemplate.Parse("a ${~ f(\"}\") } b %{ endif }");
        Assert.That(parts.Select(p => p.Kind), Is.EqualTo(new[]
        {
            HclTemplatePartKind.Literal, HclTemplatePartKind.Interpolation, HclTemplatePartKind.Literal, HclTemplatePartKind.Directive,
        }));
        Assert.That(parts[1].Expression, Is.EqualTo("f(\"}\")"));
        Assert.That(parts[1].StripBefore, Is.True);
        Assert.That(parts[1].StripAfter, Is.False);
        Assert.That(parts[3].Expression, Is.EqualTo("endif"));
    }
}
