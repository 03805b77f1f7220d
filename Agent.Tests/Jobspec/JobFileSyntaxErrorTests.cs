using Nomad.Agent.Jobspec;

namespace Nomad.Agent.Tests.Jobspec;

/// <summary>
/// A job file's syntax and call errors read as Nomad's HCL2 diagnostics: <c>file:line,col: Summary; Detail</c>, at the
/// place HCL's native syntax parser puts them, with its summary (hclsyntax's parser.go, parser_template.go, token.go).
/// </summary>
[TestFixture]
public sealed class JobFileSyntaxErrorTests
{
    private static string Fail(string body) =>
        Assert.Throws<JobspecException>(() =>
            JobFile.ParseToApiJson("job \"j\" {\n" + body, "bad.nomad", new JobFileOptions(), canonicalize: false))!.Problems.Single();

    // Every body follows the line `job "j" {`, so it starts on line 2.
    [TestCase("  priority = = 1\n}\n", "2,14", "Invalid expression")]
    [TestCase("  priority =", "2,13", "Missing expression")]
    [TestCase("  group \"g\" {\n    count = 1\n", "2,13", "Unclosed configuration block")]
    [TestCase("  priority = 1 type = \"batch\"\n}\n", "2,16", "Missing newline after argument")]
    [TestCase("  priority = 1,\n}\n", "2,15", "Unexpected comma after argument")]
    [TestCase("  meta {} priority = 1\n}\n", "2,11", "Missing newline after block definition")]
    [TestCase("  = 1\n}\n", "2,3", "Argument or block definition required")]
    [TestCase("  priority 1\n}\n", "2,3", "Argument or block definition required")]
    [TestCase("  meta { a = \"1\", b = \"2\" }\n}\n", "2,17", "Invalid single-argument block definition")]
    [TestCase("  meta { a = \"1\" b = \"2\" }\n}\n", "2,18", "Invalid single-argument block definition")]
    [TestCase("  group \"g\" = {\n  }\n}\n", "2,13", "Invalid block definition")]
    [TestCase("  region \"global\"\n}\n", "2,18", "Invalid block definition")]
    [TestCase("  priority = 1;\n}\n", "2,15", "Invalid character")]
    [TestCase("  priority = 1 @\n}\n", "2,16", "Invalid character")]
    [TestCase("  priority = 1 & 2\n}\n", "2,16", "Unsupported operator")]
    [TestCase("  name = \"abc", "2,14", "Unterminated template string")]
    [TestCase("  name = \"abc\n  type = \"batch\"\n}\n", "2,14", "Invalid multi-line string")]
    [TestCase("  name = \"a\\q\"\n}\n", "2,12", "Invalid escape sequence")]
    [TestCase("  name = \"a${b", "2,12", "Unclosed template interpolation sequence")]
    [TestCase("  name = \"${a b}\"\n}\n", "2,15", "Extra characters after interpolation expression")]
    [TestCase("  name = \"${a:-b}\"\n}\n", "2,14", "Extra characters after interpolation expression")]
    [TestCase("  name = \"%{ iff true }x%{ endif }\"\n}\n", "2,14", "Invalid template control keyword")]
    [TestCase("  name = \"%{ if true }x\"\n}\n", "2,24", "Unexpected end of template")]
    [TestCase("  name = \"x%{ endif }\"\n}\n", "2,12", "Unexpected endif directive")]
    [TestCase("  meta = { a 1 }\n}\n", "2,14", "Missing key/value separator")]
    [TestCase("  meta = { a = \"1\" b = \"2\" }\n}\n", "2,20", "Missing attribute separator")]
    [TestCase("  meta = { a = \"1\"", "2,10", "Unterminated object constructor expression")]
    [TestCase("  datacenters = [\"a\" \"b\"]\n}\n", "2,22", "Missing item separator")]
    [TestCase("  datacenters = [\"a\",", "2,17", "Unterminated tuple constructor expression")]
    [TestCase("  priority = 1\n  priority = 2\n}\n", "3,3", "Attribute redefined")]
    [TestCase("  priority = (1 2)\n}\n", "2,17", "Unbalanced parentheses")]
    [TestCase("  priority = 1 ? 2\n}\n", "2,19", "Missing false expression in conditional")]
    [TestCase("  name = upper(\"a\" \"b\")\n}\n", "2,20", "Missing argument separator")]
    [TestCase("  name = upper(\"a\"", "2,10", "Unterminated function call")]
    [TestCase("  datacenters = [for x in [] x]\n}\n", "2,30", "Invalid 'for' expression")]
    [TestCase("  name = \"a\".\n}\n", "2,14", "Invalid attribute name")]
    public void SyntaxErrorReadsAsHcl2(string body, string lineCol, string summary)
    {
        Assert.That(Fail(body), Does.StartWith($"bad.nomad:{lineCol}: {summary}; "));
    }

    [Test]
    public void AnElseInAForDirectiveIsUnexpected()
    {
        Assert.That(Fail("  name = \"%{ for x in [] }x%{ else }y%{ endfor }\"\n}\n"),
            Is.EqualTo("bad.nomad:2,28: Unexpected else directive; An else clause is not expected for a for directive."));
    }

    [Test]
    public void UnclosedBlockHasHclsDetail()
    {
        Assert.That(Fail("  group \"g\" {\n"), Is.EqualTo("bad.nomad:2,13: Unclosed configuration block; There is no closing brace for this " +
            "block before the end of the file. This may be caused by incorrect brace nesting elsewhere in this file."));
    }

    [TestCase("  name = upper(\"a\", \"b\")\n}\n", "2,21", "Too many function arguments; Function \"upper\" expects only 1 argument(s).")]
    [TestCase("  name = upper()\n}\n", "2,16", "Not enough function arguments; Function \"upper\" expects 1 argument(s). Missing value for \"str\".")]
    [TestCase("  name = format()\n}\n", "2,17", "Not enough function arguments; Function \"format\" expects 1 argument(s). Missing value for \"format\".")]
    [TestCase("  name = can(1, 2)\n}\n", "2,17", "Too many function arguments; Function \"can\" expects only 1 argument(s).")]
    [TestCase("  name = can()\n}\n", "2,14", "Not enough function arguments; Function \"can\" expects 1 argument(s). Missing value for \"expression\".")]
    public void FunctionArityErrorsArePlacedAsHcls(string body, string lineCol, string problem)
    {
        Assert.That(Fail(body), Is.EqualTo($"bad.nomad:{lineCol}: {problem}"));
    }

    [Test]
    public void AVarValueThatIsNotAnExpressionReadsAsHcl2()
    {
        var options = new JobFileOptions { Vars = new Dictionary<string, string> { ["v"] = "[\"a\" \"b\"]" } };
        var e = Assert.Throws<JobspecException>(() => JobFile.ParseToApiJson(
            "variable \"v\" {\n  type = list(string)\n}\njob \"j\" {\n  datacenters = var.v\n}\n", "bad.nomad", options, canonicalize: false))!;
        Assert.That(e.Problems[0], Does.StartWith("<value for var.v from arguments>:1,6: Missing item separator; "), string.Join("\n", e.Problems));
    }

    [Test]
    public void TheAgentConfigurationKeepsItsOwnWording()
    {
        var e = Assert.Throws<Nomad.Agent.Hcl.HclException>(() => Nomad.Agent.Hcl.HclParser.Parse("a = = 1\n", "agent.hcl"))!;
        Assert.That(e.Message, Is.EqualTo("agent.hcl:1:5: expected a value, found \"=\""));
        Assert.That(e.Hcl2Message, Does.StartWith("agent.hcl:1,5: Invalid expression; "));
    }
}
