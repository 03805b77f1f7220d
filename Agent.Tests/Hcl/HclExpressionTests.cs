using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Expressions;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>HCL2 expressions parse into the tree hclsyntax builds (shapes printed by <see cref="ExprPrinter"/>).</summary>
[TestFixture]
public sealed class HclExpressionTests
{
    private static string Tree(string text) => ExprPrinter.Print(HclParser.ParseExpression(text, "e.hcl"));

    [TestCase("42", "42")]
    [TestCase("1.5e3", "1500")]
    [TestCase("2.5E-2", "0.025")]
    [TestCase("true", "true")]
    [TestCase("null", "null")]
    [TestCase("\"plain\"", "\"plain\"")]
    [TestCase("-5", "(- 5)")]
    [TestCase("!x", "(! x)")]
    [TestCase("- - x", "(- (- x))")]
    public void Literals(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("1 + 2 * 3", "(+ 1 (* 2 3))")]
    [TestCase("1 * 2 + 3", "(+ (* 1 2) 3)")]
    [TestCase("1 - 2 - 3", "(- (- 1 2) 3)")]
    [TestCase("8 / 4 / 2", "(/ (/ 8 4) 2)")]
    [TestCase("7 % 3 * 2", "(* (% 7 3) 2)")]
    [TestCase("a + b > c - d", "(> (+ a b) (- c d))")]
    [TestCase("a < b == c >= d", "(== (< a b) (>= c d))")]
    [TestCase("a == b && c != d", "(&& (== a b) (!= c d))")]
    [TestCase("a || b && c", "(|| a (&& b c))")]
    [TestCase("a && b || c && d", "(|| (&& a b) (&& c d))")]
    [TestCase("!a && b", "(&& (! a) b)")]
    [TestCase("-a.b * 2", "(* (- a.b) 2)")]
    [TestCase("-46+5", "(+ (- 46) 5)")]
    [TestCase("(1 + 2) * 3", "(* (paren (+ 1 2)) 3)")]
    [TestCase("a <= b", "(<= a b)")]
    public void OperatorsFollowHclPrecedenceAndAssociateLeft(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("c ? 1 : 2", "(? c 1 2)")]
    [TestCase("a ? b ? 1 : 2 : 3", "(? a (? b 1 2) 3)")]
    [TestCase("a ? 1 : b ? 2 : 3", "(? a 1 (? b 2 3))")]
    [TestCase("x > 1 || y ? a + 1 : b", "(? (|| (> x 1) y) (+ a 1) b)")]
    public void Conditionals(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("var.x", "var.x")]
    [TestCase("a.b[0][\"k\"].c", "a.b[0][\"k\"].c")]
    [TestCase("var.list.0.id", "var.list[0].id")]
    [TestCase("env[\"HOME\"]", "env[\"HOME\"]")]
    [TestCase("NOMAD_ALLOC_INDEX", "NOMAD_ALLOC_INDEX")]
    [TestCase("attr.kernel.name", "attr.kernel.name")]
    [TestCase("my-var.x", "my-var.x")]
    [TestCase("m[k]", "(index m k)")]
    [TestCase("m[k].x[0]", "(index (. (index m k) x) 0)")]
    [TestCase("f(1).x", "(. (call f 1) x)")]
    [TestCase("f()[0]", "(index (call f) 0)")]
    [TestCase("(a).b", "(. (paren a) b)")]
    [TestCase("[1, 2][0]", "(index [1 2] 0)")]
    public void TraversalsAndIndexes(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [Test]
    public void TraversalKeepsItsSourceText()
    {
        var t = (TraversalExpr)HclParser.ParseExpression("env[ \"X\" ].y", "e.hcl");
        Assert.That(t.Root, Is.EqualTo("env"));
        Assert.That(t.Source, Is.EqualTo("env[ \"X\" ].y"));
        Assert.That(t.Steps, Has.Count.EqualTo(2));
        // A step starts at its dot, as HCL's source range for the step does (errors about it point there).
        Assert.That(t.Steps[1].Position, Is.EqualTo(new HclPosition("e.hcl", 1, 11)));
    }

    [TestCase("a[*].b", "(splat a (. * b))")]
    [TestCase("a[*]", "(splat a *)")]
    [TestCase("a[*].b[0].c", "(splat a (. (index (. * b) 0) c))")]
    [TestCase("a.*.b", "(splat a (. * b))")]
    [TestCase("a.*.b.c", "(splat a (. (. * b) c))")]
    [TestCase("a.*.b[0]", "(index (splat a (. * b)) 0)")]
    [TestCase("a.*.b.0", "(splat a (index (. * b) 0))")]
    [TestCase("a[*].b[*].c", "(splat a (splat (. * b) (. * c)))")]
    [TestCase("f()[*].id", "(splat (call f) (. * id))")]
    public void Splats(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("f()", "(call f)")]
    [TestCase("format(\"%s-%d\", a, 3)", "(call format \"%s-%d\" a 3)")]
    [TestCase("max(xs...)", "(call max xs ...)")]
    [TestCase("concat(a, b...)", "(call concat a b ...)")]
    [TestCase("f(g(1), [2],)", "(call f (call g 1) [2])")]
    public void FunctionCalls(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("[]", "[]")]
    [TestCase("[1, \"a\", [true]]", "[1 \"a\" [true]]")]
    [TestCase("{}", "{}")]
    [TestCase("{ a = 1, \"b\" = 2, c: 3 }", "{\"a\"=1 \"b\"=2 \"c\"=3}")]
    [TestCase("{ (k) = 1, (\"x\") = 2 }", "{(paren k)=1 (paren \"x\")=2}")]
    [TestCase("{ true = 1, null = 2 }", "{\"true\"=1 \"null\"=2}")]
    [TestCase("{ a.b = 1 }", "{a.b=1}")]
    [TestCase("{ \"k-${x}\" = 1 }", "{(tpl \"k-\" ${x})=1}")]
    [TestCase("{ 1 = 2 }", "{1=2}")]
    public void TupleAndObjectConstructors(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("[for s in xs : upper(s)]", "(for _ s xs _ (call upper s) _)")]
    [TestCase("[for i, s in xs : s if i > 0]", "(for i s xs _ s (> i 0))")]
    [TestCase("{for k, v in m : k => v}", "(for k v m k v _)")]
    [TestCase("{for k, v in m : v.g => k... if v.on}", "(for k v m v.g k v.on ...)")]
    [TestCase("[for x in a ? b : c : x]", "(for _ x (? a b c) _ x _)")]
    [TestCase("{\n  for x in xs :\n  x => 1\n}", "(for _ x xs x 1 _)")]
    public void ForExpressions(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("\"${x}\"", "(tpl ${x})")]
    [TestCase("\"a ${x} b\"", "(tpl \"a \" ${x} \" b\")")]
    [TestCase("\"${a}${b}\"", "(tpl ${a} ${b})")]
    [TestCase("\"${ f(\"}\") }\"", "(tpl ${(call f \"}\")})")]
    [TestCase("\"${\"in ${x}\"}\"", "(tpl ${(tpl \"in \" ${x})})")]
    [TestCase("\"x ${~ y ~} z\"", "(tpl \"x\" ${y} \"z\")")]
    [TestCase("\"x \\n ${~ y}\"", "(tpl \"x\" ${y})")]
    [TestCase("\"%{ if c }yes%{ else }no%{ endif }\"", "(tpl (if c [\"yes\"] [\"no\"]))")]
    [TestCase("\"%{ if c }yes%{ endif }!\"", "(tpl (if c [\"yes\"] []) \"!\")")]
    [TestCase("\"%{ for k, v in m }${k}=${v},%{ endfor }\"", "(tpl (for k v m [${k} \"=\" ${v} \",\"]))")]
    [TestCase("\"%{ for v in l }%{ if v }[${v}]%{ endif }%{ endfor }\"", "(tpl (for _ v l [(if v [\"[\" ${v} \"]\"] [])]))")]
    [TestCase("\"a %{~ if c ~} b %{~ endif ~} c\"", "(tpl \"a\" (if c [\"b\"] []) \"c\")")]
    [TestCase("\"${x ~}  \"", "(tpl ${x} \"\")")] // stripped to one interpolation, yet a string (not passed through), as HCL
    [TestCase("\"  ${~ x}\"", "(tpl ${x} \"\")")]
    public void Templates(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("\"tab\\there\"", "\"tab\\there\"")]
    [TestCase("\"nl\\n\"", "\"nl\\n\"")]
    [TestCase("\"q\\\"q\"", "\"q\\\"q\"")]
    [TestCase("\"back\\\\slash\"", "\"back\\\\slash\"")]
    [TestCase("\"caf\\u00e9\"", "\"café\"")]
    [TestCase("\"\\U0001F600\"", "\"😀\"")]
    [TestCase("\"$${HOME}\"", "\"${HOME}\"")]
    [TestCase("\"%%{x}\"", "\"%{x}\"")]
    [TestCase("\"$5 and 100%\"", "\"$5 and 100%\"")]
    [TestCase("\"$${a} ${b}\"", "(tpl \"${a} \" ${b})")]
    [TestCase("\"\"", "\"\"")]
    public void EscapesAreDecodedAndPlainStringsAreLiterals(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("<<EOF\n  x ${y}\n\\n $${z}\nEOF\n", "(tpl \"  x \" ${y} \"\\n\\\\n ${z}\\n\")")]
    [TestCase("<<EOF\nplain\nEOF\n", "\"plain\\n\"")]
    [TestCase("<<EOF\nEOF\n", "\"\"")]
    [TestCase("<<-EOT\n    one\n      two ${x}\n\n    three\n  EOT\n", "(tpl \"one\\n  two \" ${x} \"\\n\\nthree\\n\")")]
    [TestCase("<<-EOT\n    a\n  ${x}\n    b\n  EOT\n", "(tpl \"  a\\n\" ${x} \"\\n  b\\n\")")]
    [TestCase("<<-EOT\n    a\n${x}\n    b\n  EOT\n", "(tpl \"    a\\n\" ${x} \"\\n    b\\n\")")]
    [TestCase("<<EOT\n  hello\n  %{~ if c ~}\n    yes\n  %{~ endif ~}\n  bye\nEOT\n", "(tpl \"  hello\\n\" (if c [\"    yes\\n\"] []) \"  bye\\n\")")]
    [TestCase("<<-EOT\n    %{ for x in l ~}\n    item ${x}\n    %{ endfor ~}\n  EOT\n", "(tpl (for _ x l [\"    item \" ${x} \"\\n\"]))")]
    public void Heredocs(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [TestCase("[\n  1,\n  2 +\n  3,\n]", "[1 (+ 2 3)]")]
    [TestCase("f(\n  a,\n  b\n)", "(call f a b)")]
    [TestCase("(\n  a\n  ? b\n  : c\n)", "(paren (? a b c))")]
    [TestCase("{\n  a = 1\n  b = [\n    2,\n  ]\n}", "{\"a\"=1 \"b\"=[2]}")]
    [TestCase("\"${\n  x +\n  1\n}\"", "(tpl ${(+ x 1)})")]
    [TestCase("a[\n  0\n]", "a[0]")]
    public void NewlinesAreInsignificantInsideBrackets(string text, string tree) => Assert.That(Tree(text), Is.EqualTo(tree));

    [Test]
    public void EveryAttributeOfABodyHasItsExpression()
    {
        var body = HclParser.Parse("""
            job "x" {
              count = 3 * 2
              name  = "web-${var.env}"
              tags  = ["a", var.t]
              group "g" {
                meta = { k = local.v }
              }
            }
            """, "j.hcl");
        var job = body.Blocks.Single();
        Assert.That(ExprPrinter.Print(job.Body.Attribute("count")!.Expression!), Is.EqualTo("(* 3 2)"));
        Assert.That(ExprPrinter.Print(job.Body.Attribute("name")!.Expression!), Is.EqualTo("(tpl \"web-\" ${var.env})"));
        Assert.That(ExprPrinter.Print(job.Body.Attribute("tags")!.Expression!), Is.EqualTo("[\"a\" var.t]"));
        var meta = job.Body.Blocks.Single().Body.Attribute("meta")!;
        Assert.That(ExprPrinter.Print(meta.Expression!), Is.EqualTo("{\"k\"=local.v}"));
        Assert.That(meta.Expression!.Position, Is.EqualTo(new HclPosition("j.hcl", 6, 12)));
    }

    [Test]
    public void LiteralViewIsDerivedFromTheTree()
    {
        var body = HclParser.Parse("a = -7\nb = !true\nc = { x = 1, (k) = 2, y.z = 3 }\nd = [1, var.x + 1]\ne = \"${x}\"\n", "t.hcl");
        Assert.That(((HclNumber)body.Attribute("a")!.Value).AsLong(), Is.EqualTo(-7));
        Assert.That(((HclBool)body.Attribute("b")!.Value).Value, Is.False);
        var c = (HclObject)body.Attribute("c")!.Value;
        Assert.That(c.Items.Select(i => i.Key), Is.EqualTo(new[] { "x", "${(k)}", "y.z" }));
        var d = (HclList)body.Attribute("d")!.Value;
        Assert.That(((HclExpression)d.Items[1]).Source, Is.EqualTo("var.x + 1"));
        Assert.That(((HclString)body.Attribute("e")!.Value).Value, Is.EqualTo("${x}"));
    }

    [Test]
    public void AnHcl1TemplateThatIsNotHcl2KeepsItsTextAndReportsOnlyWhenTheExpressionIsRead()
    {
        // A shell's ${VAR:-default} in an HCL1 heredoc: HCL1 took it, HCL2 wants $${.
        var body = HclParser.Parse("data = <<EOF\necho ${HOME:-/root}\nEOF\nok = \"${x}\"\n", "t.hcl");
        var data = body.Attribute("data")!;
        Assert.That(((HclString)data.Value).Value, Is.EqualTo("echo ${HOME:-/root}\n"));
        var ex = Assert.Throws<HclException>(() => _ = data.Expression)!;
        Assert.That(ex.Message, Is.EqualTo("t.hcl:2:12: expected \"}\" to close the interpolation, found \":\""));
        Assert.That(body.Attribute("ok")!.Expression, Is.Not.Null);
        Assert.That(data.ToString(), Does.Contain("data"));
        Assert.That(Assert.Throws<HclException>(() => HclParser.ParseExpression("\"${a b}\"", "v"))!.Message,
            Is.EqualTo("v:1:6: expected \"}\" to close the interpolation, found \"b\""));
    }

    private static readonly object[] ErrorCases =
    [
        new object[] { "1 +", "e.hcl:1:4: expected a value, found end of file" },
        new object[] { "a b", "e.hcl:1:3: expected the end of the expression, found \"b\"" },
        new object[] { "a ? b", "e.hcl:1:6: expected \":\" in the conditional started by \"?\" at 1:3, found end of file" },
        new object[] { "f(1, 2", "e.hcl:1:1: unclosed bracket in expression" },
        new object[] { "f(1 2)", "e.hcl:1:5: expected \",\" or \")\" in the arguments of f(), found number 2" },
        new object[] { "f(a..., b)", "e.hcl:1:7: expected \")\" after the expanded last argument of f(), found \",\"" },
        new object[] { "(1", "e.hcl:1:1: unclosed bracket in expression" },
        new object[] { "a.", "e.hcl:1:3: expected an attribute name after \".\", found end of file" },
        new object[] { "a.0.1", "e.hcl:1:3: invalid legacy index \".0.1\": use the index syntax instead, like [0][1]" },
        new object[] { "a[*", "e.hcl:1:4: expected \"]\" right after \"[*\", found end of file" },
        new object[] { "a[1", "e.hcl:1:2: unclosed index (missing \"]\")" },
        new object[] { "a.*.b.*", "e.hcl:1:7: a splat (*) cannot be used inside an attribute-only splat (.*)" },
        new object[] { "[for x xs : x]", "e.hcl:1:8: expected \"in\" after the variable names of for, found \"xs\"" },
        new object[] { "[for 1 in xs : x]", "e.hcl:1:6: expected a variable name after \"for\", found number 1" },
        new object[] { "[for x in xs x]", "e.hcl:1:14: expected \":\" after the collection of for, found \"x\"" },
        new object[] { "{for k, v in m : k v}", "e.hcl:1:20: expected \"=>\" after the key of an object for expression, found \"v\"" },
        new object[] { "[for x in xs : x", "e.hcl:1:1: unclosed for expression (missing \"]\")" },
        new object[] { "{ a = 1 b = 2 }", "e.hcl:1:9: expected \",\", a newline or \"}\" in object, found \"b\"" },
        new object[] { "\"%{ if c }x\"", "e.hcl:1:2: unclosed %{ if } (missing %{ endif })" },
        new object[] { "\"x%{ endif }\"", "e.hcl:1:3: unexpected %{ endif } (no %{ if } is open)" },
        new object[] { "\"%{ for x in l }x%{ endif }\"", "e.hcl:1:18: expected %{ endfor } for the %{ for } at line 1, found %{ endif }" },
        new object[] { "\"%{ iff c }\"", "e.hcl:1:5: invalid template directive \"iff\" (want if, else, endif, for or endfor)" },
        new object[] { "\"%{ if c } a %{ else } b %{ else } c %{ endif }\"", "e.hcl:1:26: expected %{ endif } for the %{ if } at line 1, found %{ else }" },
        new object[] { "\"${}\"", "e.hcl:1:4: expected a value, found \"}\"" },
        new object[] { "\"${a b}\" +", "e.hcl:1:6: expected \"}\" to close the interpolation, found \"b\"" },
        new object[] { "-1e999", "e.hcl:1:1: number -1e999 is out of range" },
        new object[] { "1 & 2", "e.hcl:1:3: unexpected character '&'" },
        new object[] { "x\n  + \n  @", "e.hcl:3:3: unexpected character '@'" },
        new object[] { "<<EOF\n${\n  a +\n}\nEOF\n", "e.hcl:4:1: expected a value, found \"}\"" },
        new object[] { "", "e.hcl:1:1: expected a value, found end of file" },
    ];

    [TestCaseSource(nameof(ErrorCases))]
    public void ErrorsNameLineAndColumn(string text, string expected)
    {
        var ex = Assert.Throws<HclException>(() => HclParser.ParseExpression(text, "e.hcl"))!;
        Assert.That(ex.Message, Is.EqualTo(expected));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
    }

    [Test]
    public void ErrorsInsideABodyArePositionedInTheFile()
    {
        var ex = Assert.Throws<HclException>(() => HclParser.Parse("job \"x\" {\n  count = 3 *\n}\n", "j.hcl"))!;
        Assert.That(ex.Message, Is.EqualTo("j.hcl:2:14: expected a value, found newline"));
        ex = Assert.Throws<HclException>(() => HclParser.Parse("a = [for x in y : x\nb = 1\n", "j.hcl"))!;
        Assert.That(ex.Message, Is.EqualTo("j.hcl:2:1: expected \"]\" to end the for expression, found \"b\""));
    }

    [Test]
    public void HostileNestingIsAnErrorNotAStackOverflow()
    {
        foreach (var (text, at) in new[]
                 {
                     (new string('(', 100_000), "e.hcl:1:201"),
                     (string.Concat(Enumerable.Repeat("- ", 100_000)) + "1", "e.hcl:1:401"),
                     (string.Concat(Enumerable.Repeat("a ? b : ", 100_000)) + "c", "e.hcl:1:1603"),
                     ("x" + string.Concat(Enumerable.Repeat("[*]", 100_000)), "e.hcl:1:602"),
                     ("f(" + string.Concat(Enumerable.Repeat("{a = [", 50_000)), "e.hcl:1:"),
                     ("\"" + string.Concat(Enumerable.Repeat("%{ if c }", 100_000)) + "\"", "e.hcl:1:"),
                 })
        {
            var ex = Assert.Throws<HclException>(() => HclParser.ParseExpression(text, "e.hcl"))!;
            Assert.That(ex.Message, Does.StartWith(at).And.EndWith("nesting deeper than 200 levels"), text[..20]);
        }
        // Long chains build deep trees too (later walks recurse through them): they count as nesting.
        foreach (var (text, at) in new[]
                 {
                     (string.Concat(Enumerable.Repeat("1 + ", 100_000)) + "1", "e.hcl:1:803"),
                     ("f()" + string.Concat(Enumerable.Repeat(".a", 100_000)), "e.hcl:1:404"), // a step starts at its dot
                     ("x.*" + string.Concat(Enumerable.Repeat(".a", 100_000)), "e.hcl:1:404"), // a step starts at its dot
                     ("f()" + string.Concat(Enumerable.Repeat("[k]", 100_000)), "e.hcl:1:604"),
                 })
        {
            var ex = Assert.Throws<HclException>(() => HclParser.ParseExpression(text, "e.hcl"))!;
            Assert.That(ex.Message, Is.EqualTo(at + ": nesting deeper than 200 levels"), text[..20]);
        }
        Assert.DoesNotThrow(() => HclParser.ParseExpression(string.Concat(Enumerable.Repeat("1 + ", 150)) + "1", "e.hcl"));
        // A traversal's steps are one flat list, however long (and quick to build).
        var t = (TraversalExpr)HclParser.ParseExpression("a" + string.Concat(Enumerable.Repeat(".b[0]", 50_000)), "e.hcl");
        Assert.That(t.Steps, Has.Count.EqualTo(100_000));
        Assert.That(t.Source, Has.Length.EqualTo(1 + 5 * 50_000));
    }
}
