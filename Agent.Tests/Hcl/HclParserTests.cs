using Nomad.Agent.Hcl;

namespace Nomad.Agent.Tests.Hcl;

[TestFixture]
public sealed class HclParserTests
{
    private static HclBody Parse(string src) => HclParser.Parse(src, "t.hcl");

    private static HclValue Value(string src, string name = "a") => Parse(src).Attribute(name)!.Value;

    private static string Str(string src) => ((HclString)Value(src)).Value;

    [Test]
    public void BlocksWithZeroOneAndManyLabels()
    {
        var body = Parse("""
            ports { }
            job "x" {
              group "g" { count = 2 }
            }
            plugin "raw_exec" {
              config { enabled = true }
            }
            a "b" c { }
            """);
        var blocks = body.Blocks.ToList();
        Assert.That(blocks.Select(b => b.Type), Is.EqualTo(new[] { "ports", "job", "plugin", "a" }));
        Assert.That(blocks[0].Labels, Is.Empty);
        Assert.That(blocks[1].Labels, Is.EqualTo(new[] { "x" }));
        Assert.That(blocks[3].Labels, Is.EqualTo(new[] { "b", "c" }));
        var group = blocks[1].Body.BlocksOfType("group").Single();
        Assert.That(((HclNumber)group.Body.Attribute("count")!.Value).AsLong(), Is.EqualTo(2));
        var config = blocks[2].Body.BlocksOfType("config").Single();
        Assert.That(config.Body.Attribute("enabled")!.Value, Is.EqualTo(new HclBool(true, new HclPosition("t.hcl", 6, 22))));
    }

    [Test]
    public void RepeatedBlocksKeepTheirOrder()
    {
        var body = Parse("server { a = 1 }\nclient {}\nserver { a = 2 }\n");
        Assert.That(body.BlocksOfType("server").Select(b => ((HclNumber)b.Body.Attribute("a")!.Value).Text), Is.EqualTo(new[] { "1", "2" }));
        Assert.That(body.Items.Select(i => i.Name), Is.EqualTo(new[] { "server", "client", "server" }));
    }

    [Test]
    public void PositionsAreOneBased()
    {
        var body = Parse("# c\n\n  job \"x\" {\n    a = \"v\"\n  }\n");
        var job = body.Blocks.Single();
        Assert.That(job.Position, Is.EqualTo(new HclPosition("t.hcl", 3, 3)));
        var a = job.Body.Attribute("a")!;
        Assert.That(a.Position, Is.EqualTo(new HclPosition("t.hcl", 4, 5)));
        Assert.That(a.Value.Position, Is.EqualTo(new HclPosition("t.hcl", 4, 9)));
        Assert.That(a.Value.Position.ToString(), Is.EqualTo("t.hcl:4:9"));
    }

    [TestCase("a = \"x\\ny\"", "x\ny")]
    [TestCase("a = \"x\\ty\"", "x\ty")]
    [TestCase("a = \"x\\ry\"", "x\ry")]
    [TestCase("a = \"say \\\"hi\\\"\"", "say \"hi\"")]
    [TestCase("a = \"C:\\\\dir\"", "C:\\dir")]
    [TestCase("a = \"caf\\u00e9\"", "café")]
    [TestCase("a = \"\\U0001F600\"", "😀")]
    [TestCase("a = \"\"", "")]
    public void StringEscapes(string src, string expected) => Assert.That(Str(src), Is.EqualTo(expected));

    [TestCase("a = \"${NOMAD_ALLOC_ID}\"", "${NOMAD_ALLOC_ID}")]
    [TestCase("a = \"x ${ foo } y\"", "x ${ foo } y")]
    [TestCase("a = \"${lookup(m, \"}\", \"{\")}\"", "${lookup(m, \"}\", \"{\")}")]
    [TestCase("a = \"${format(\"%s-${x}\", y)}\"", "${format(\"%s-${x}\", y)}")]
    [TestCase("a = \"${ {a = 1}.a }\"", "${ {a = 1}.a }")]
    [TestCase("a = \"%{ if x }\\n%{ endif }\"", "%{ if x }\n%{ endif }")]
    [TestCase("a = \"$${HOME} %%{x}\"", "$${HOME} %%{x}")]
    [TestCase("a = \"$5 100% ${a\nb}\"", "$5 100% ${a\nb}")]
    public void InterpolationsAreKeptVerbatim(string src, string expected) => Assert.That(Str(src), Is.EqualTo(expected));

    [Test]
    public void IsTemplateSeesSequencesButNotEscapes()
    {
        Assert.That(((HclString)Value("a = \"x${y}\"")).IsTemplate, Is.True);
        Assert.That(((HclString)Value("a = \"%{if y}%{endif}\"")).IsTemplate, Is.True);
        Assert.That(((HclString)Value("a = \"$${y}\"")).IsTemplate, Is.False);
        Assert.That(((HclString)Value("a = \"$ {y}\"")).IsTemplate, Is.False);
    }

    [Test]
    public void Heredocs()
    {
        var body = Parse("a = <<EOF\n  x \\n \"q\"\n${y}\nEOF\nb = <<-EOT\n    one\n      two\n\n    EOT\nc = <<E\nE\n");
        Assert.That(((HclString)body.Attribute("a")!.Value).Value, Is.EqualTo("  x \\n \"q\"\n${y}\n"));
        Assert.That(((HclString)body.Attribute("a")!.Value).IsHeredoc, Is.True);
        Assert.That(((HclString)body.Attribute("b")!.Value).Value, Is.EqualTo("one\n  two\n\n"));
        Assert.That(((HclString)body.Attribute("c")!.Value).Value, Is.EqualTo(""));
    }

    [Test]
    public void HeredocClosingMarkerMayBeIndented()
    {
        Assert.That(Str("a = <<EOF\nx\n    EOF\n"), Is.EqualTo("x\n"));
    }

    [TestCase("a = 0", true, 0L, 0.0)]
    [TestCase("a = 42", true, 42L, 42.0)]
    [TestCase("a = -7", true, -7L, -7.0)]
    [TestCase("a = 3.5", false, 0L, 3.5)]
    [TestCase("a = -0.25", false, 0L, -0.25)]
    [TestCase("a = 1e3", false, 0L, 1000.0)]
    [TestCase("a = 2.5E-2", false, 0L, 0.025)]
    [TestCase("a = 1e+2", false, 0L, 100.0)]
    public void Numbers(string src, bool isInteger, long asLong, double asDouble)
    {
        var n = (HclNumber)Value(src);
        Assert.That(n.IsInteger, Is.EqualTo(isInteger));
        if (isInteger) Assert.That(n.AsLong(), Is.EqualTo(asLong));
        Assert.That(n.AsDouble(), Is.EqualTo(asDouble).Within(1e-12));
    }

    [Test]
    public void BoolsAndNull()
    {
        var body = Parse("t = true\nf = false\nn = null\n");
        Assert.That(((HclBool)body.Attribute("t")!.Value).Value, Is.True);
        Assert.That(((HclBool)body.Attribute("f")!.Value).Value, Is.False);
        Assert.That(body.Attribute("n")!.Value, Is.TypeOf<HclNull>());
    }

    [Test]
    public void ListsWithTrailingCommasAndNewlines()
    {
        var list = (HclList)Value("a = [\n  \"x\",\n  1, # c\n  [true],\n  { k = \"v\" },\n]\n");
        Assert.That(list.Items, Has.Count.EqualTo(4));
        Assert.That(((HclList)list.Items[2]).Items.Single(), Is.TypeOf<HclBool>());
        Assert.That(((HclObject)list.Items[3]).Items.Single().Key, Is.EqualTo("k"));
        Assert.That(((HclList)Value("a = []")).Items, Is.Empty);
    }

    [Test]
    public void ObjectsTakeCommasNewlinesColonsAndQuotedKeys()
    {
        var obj = (HclObject)Value("a = { a = 1, \"b\" = 2, c: 3\n  d = 4\n  \"e.f\" = { g = 5 }, }\n");
        Assert.That(obj.Items.Select(i => i.Key), Is.EqualTo(new[] { "a", "b", "c", "d", "e.f" }));
        Assert.That(((HclObject)obj.Items[4].Value).Items.Single().Key, Is.EqualTo("g"));
        Assert.That(((HclObject)Value("a = {}")).Items, Is.Empty);
    }

    [Test]
    public void CommentsOfEveryKind()
    {
        var body = Parse("# a\n// b\n/* c\n d */ x = /* e */ 1 # f\ny = 2 // g\n");
        Assert.That(body.Attributes.Select(a => a.Name), Is.EqualTo(new[] { "x", "y" }));
    }

    [Test]
    public void IdentifiersMayHoldDashesAndDots()
    {
        var body = Parse("with-dash = 1\ndriver.raw_exec.enable = \"1\"\nblock-name \"l\" { }\n");
        Assert.That(body.Items.Select(i => i.Name), Is.EqualTo(new[] { "with-dash", "driver.raw_exec.enable", "block-name" }));
    }

    [Test]
    public void Hcl1QuotedAttributeNamesAndOneLineNestedBlocks()
    {
        // HCL1 habits from real Nomad files that HCL2 rejects.
        var body = Parse("""
            client {
              options {
                "driver.exec.enabled" = "true"
              }
            }
            network { port "db" { static = 6379 } }
            meta = { a = "b" }
            """);
        var options = body.BlocksOfType("client").Single().Body.BlocksOfType("options").Single();
        Assert.That(options.Body.Attribute("driver.exec.enabled"), Is.Not.Null);
        var port = body.BlocksOfType("network").Single().Body.Blocks.Single();
        Assert.That(port.Labels, Is.EqualTo(new[] { "db" }));
        Assert.That(body.Attribute("meta")!.Value, Is.TypeOf<HclObject>());
    }

    [TestCase("a = var.x", "var.x")]
    [TestCase("a = upper(\"x, y\")", "upper(\"x, y\")")]
    [TestCase("a = var.a + 1 # comment", "var.a + 1")]
    [TestCase("a = list(string)", "list(string)")]
    [TestCase("a = f(\n  1,\n  2)", "f(\n  1,\n  2)")]
    public void BareExpressionsAreKeptAsSource(string src, string expected)
    {
        Assert.That(((HclExpression)Value(src)).Source, Is.EqualTo(expected));
    }

    [Test]
    public void ExpressionsEndAtCommasAndClosersInCollections()
    {
        var list = (HclList)Value("a = [var.x, local.y]\nb = 1\n");
        Assert.That(list.Items.Cast<HclExpression>().Select(e => e.Source), Is.EqualTo(new[] { "var.x", "local.y" }));
        var obj = (HclObject)Value("a = { k = var.z }");
        Assert.That(((HclExpression)obj.Items.Single().Value).Source, Is.EqualTo("var.z"));
    }

    [Test]
    public void CrlfAndBomAreAccepted()
    {
        var body = Parse("\uFEFFa = 1\r\nb {\r\n  c = \"d\"\r\n}\r\n");
        Assert.That(body.Items.Select(i => i.Name), Is.EqualTo(new[] { "a", "b" }));
    }

    [Test]
    public void EmptyFileIsAnEmptyBody()
    {
        Assert.That(Parse("").Items, Is.Empty);
        Assert.That(Parse("# nothing\n\n").Items, Is.Empty);
    }
}
