using Nomad.Agent.Hcl;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>Every syntax error is an HclException with one line: FILE:LINE:COL: problem.</summary>
[TestFixture]
public sealed class HclErrorTests
{
    private static readonly object[] Cases =
    [
        new object[] { "a = \"abc\nb = 1\n", "t.hcl:1:5: unterminated string" },
        new object[] { "x = 1\n  a = \"abc", "t.hcl:2:7: unterminated string" },
        new object[] { "a = \"abc\\", "t.hcl:1:9: unterminated string" },
        new object[] { "x = 1\na = @\n", "t.hcl:2:5: unexpected character '@'" },
        new object[] { "a = 1;\n", "t.hcl:1:6: unexpected character ';'" },
        new object[] { "region \"global\"\n", "t.hcl:1:8: missing \"=\" after \"region\"" },
        new object[] { "server {\n  bogus 5\n}\n", "t.hcl:2:9: missing \"=\" after \"bogus\"" },
        new object[] { "job \"a\" \"b\" = 1\n", "t.hcl:1:13: expected \"{\" to open block \"job\", found \"=\"" },
        new object[] { "job \"x\" {\n  a = 1\n", "t.hcl:1:9: unclosed block \"job\" \"x\" (missing \"}\")" },
        new object[] { "a {\n  b {\n  }\n", "t.hcl:1:3: unclosed block \"a\" (missing \"}\")" },
        new object[] { "}\n", "t.hcl:1:1: unexpected \"}\" (no block is open)" },
        new object[] { "a = <<EOF\nabc\n", "t.hcl:1:5: unterminated heredoc (missing closing \"EOF\")" },
        new object[] { "a = <<EOF abc\nEOF\n", "t.hcl:1:5: invalid heredoc: expected a newline after \"<<EOF\"" },
        new object[] { "a = <<-EOT x\nEOT\n", "t.hcl:1:5: invalid heredoc: expected a newline after \"<<-EOT\"" },
        new object[] { "a = << EOF\nEOF\n", "t.hcl:1:5: invalid heredoc: expected a marker name after \"<<\", as in <<EOF" },
        new object[] { "a = \"\\q\"\n", "t.hcl:1:6: invalid escape sequence \"\\q\" (want \\n \\r \\t \\\" \\\\ \\uXXXX or \\UXXXXXXXX)" },
        new object[] { "a = \"\\u12\"\n", "t.hcl:1:6: invalid unicode escape (want \\u and 4 hex digits)" },
        new object[] { "a = \"\\UFFFFFFFF\"\n", "t.hcl:1:6: invalid unicode escape (want \\U and 8 hex digits)" },
        new object[] { "a = \"${foo\"\n", "t.hcl:1:6: unterminated template sequence \"${\" (missing \"}\")" },
        new object[] { "a = [1, 2\n", "t.hcl:1:5: unclosed list (missing \"]\")" },
        new object[] { "a = [1 2]\n", "t.hcl:1:8: expected \",\" or \"]\" in list, found number 2" },
        new object[] { "a = { b = 1\n", "t.hcl:1:5: unclosed object (missing \"}\")" },
        new object[] { "a = { b 1 }\n", "t.hcl:1:9: missing \"=\" after \"b\"" },
        new object[] { "a = { b = 1 c = 2 }\n", "t.hcl:1:13: expected \",\", a newline or \"}\" in object, found \"c\"" },
        new object[] { "a = { [1] = 2 }\n", "t.hcl:1:7: expected an object key, found \"[\"" },
        new object[] { "a = 1 b = 2\n", "t.hcl:1:7: expected a newline after the value of \"a\", found \"b\"" },
        new object[] { "a = 1\na = 2\n", "t.hcl:2:1: attribute \"a\" is already set at line 1" },
        new object[] { "a = 10s\n", "t.hcl:1:5: invalid number \"10s\" (quote it if it is a string)" },
        new object[] { "a = [1, -1e999]\n", "t.hcl:1:9: number -1e999 is out of range" },
        new object[] { "a = 1\n/* open\n", "t.hcl:2:1: unterminated comment (missing \"*/\")" },
        new object[] { "a =\nb = 1\n", "t.hcl:1:4: expected a value, found newline" },
        new object[] { "a = ]\n", "t.hcl:1:5: expected a value, found \"]\"" },
        new object[] { "= 1\n", "t.hcl:1:1: expected an attribute or block name, found \"=\"" },
        new object[] { "a = upper(\"x\"\n", "t.hcl:1:5: unclosed bracket in expression" },
        new object[] { "a = 1\n\u00e9t\u00e9 = @\n", "t.hcl:2:7: unexpected character '@'" },
        new object[] { "a = 1 \"x\\ny\"\n", "t.hcl:1:7: expected a newline after the value of \"a\", found string \"x\\ny\"" },
        new object[] { "a = 1\n\u0001\n", "t.hcl:2:1: unexpected character '\\u0001'" },
    ];

    [TestCaseSource(nameof(Cases))]
    public void ReportsFileLineColumn(string source, string expected)
    {
        var ex = Assert.Throws<HclException>(() => HclParser.Parse(source, "t.hcl"))!;
        Assert.That(ex.Message, Is.EqualTo(expected));
        Assert.That(ex.Message, Does.Not.Contain('\n'));
        Assert.That(ex.Message, Does.StartWith($"{ex.Position}: "));
    }

    [Test]
    public void DeepNestingIsAnErrorNotAStackOverflow()
    {
        string deep = "a = " + new string('[', 100_000);
        var ex = Assert.Throws<HclException>(() => HclParser.Parse(deep, "t.hcl"))!;
        Assert.That(ex.Message, Is.EqualTo("t.hcl:1:205: nesting deeper than 200 levels"));
        string blocks = string.Concat(Enumerable.Repeat("b {\n", 300));
        Assert.That(Assert.Throws<HclException>(() => HclParser.Parse(blocks, "t.hcl"))!.Message, Is.EqualTo("t.hcl:201:3: nesting deeper than 200 levels"));
        Assert.DoesNotThrow(() => HclParser.Parse("a = " + new string('[', 150) + new string(']', 150), "t.hcl"));
        string strings = "a = \"" + string.Concat(Enumerable.Repeat("${\"", 50_000));
        Assert.That(Assert.Throws<HclException>(() => HclParser.Parse(strings, "t.hcl"))!.Message, Is.EqualTo("t.hcl:1:6: template strings nested too deeply"));
    }

    [Test]
    public void ParseFileNamesThePathAsGiven()
    {
        string dir = Directory.CreateTempSubdirectory("hcl").FullName;
        try
        {
            string path = Path.Combine(dir, "agent.hcl");
            File.WriteAllText(path, "data_dir = \"/x\"\nlog_level = \"DEBUG\n");
            var ex = Assert.Throws<HclException>(() => HclParser.ParseFile(path))!;
            Assert.That(ex.Message, Is.EqualTo($"{path}:2:13: unterminated string"));
        }
        finally
        {
            Directory.Delete(dir, recursive: true);
        }
    }
}
