using Nomad.Agent.Config;
using Nomad.Agent.Hcl;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// Mangled input must only ever give HclException / ConfigException (one line), never another exception
/// whose stack trace would reach a user. Deterministic: a fixed seed over mutations of the corpus.
/// </summary>
[TestFixture]
public sealed class HclRobustnessTests
{
    private const string Interesting = "{}[]()=,:\"$%<-\\\n#/*~.e0 \tx\u00e9";

    [Test]
    public void MutatedCorpusFailsOnlyWithHclException()
    {
        var files = Directory.GetFiles(Path.Combine(TestPaths.TestsDir, "Hcl", "corpus"), "*.hcl").Order().Select(File.ReadAllText).ToList();
        var rng = new Random(20240611);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < 3000; i++)
        {
            string src = Mutate(files[rng.Next(files.Count)], rng);
            try
            {
                var body = HclParser.Parse(src, "m.hcl");
                HclJson.ToJsonString(body);
                parsed++;
            }
            catch (HclException e)
            {
                Assert.That(e.Message, Does.StartWith("m.hcl:").And.Not.Contain('\n'));
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message}\n--- input ---\n{src}");
            }
        }
        Assert.That(parsed, Is.GreaterThan(0));
        Assert.That(rejected, Is.GreaterThan(0));
    }

    private static readonly string[] ExpressionTokens =
    [
        "a", "1", "0.1", "1e5", "\"s\"", "\"${", "}", "%{ if x }", "%{ else }", "%{ endif }", "%{ for a in b }", "%{ endfor }",
        "[", "]", "{", "(", ")", ",", ".", "*", "[*]", ".*", "?", ":", "=", "=>", "...", "for", "in", "if", "\n", "+", "-", "!",
        "==", "&&", "<<EOF\n", "\nEOF\n", "<<-X\n", "  X\n", "~", "${~", "~}",
    ];

    [Test]
    public void RandomExpressionTokensFailOnlyWithHclException()
    {
        var rng = new Random(1);
        int parsed = 0, rejected = 0;
        for (int i = 0; i < 5000; i++)
        {
            string src = "a = " + string.Concat(Enumerable.Range(0, rng.Next(1, 15)).Select(_ => ExpressionTokens[rng.Next(ExpressionTokens.Length)] + " "));
            try
            {
                var attr = HclParser.Parse(src, "m.hcl").Attributes.Single();
                HclJson.ToJson(attr.Value);
                try { _ = attr.Expression; } catch (HclException) { } // a template that is not HCL2 reports when read
                parsed++;
            }
            catch (HclException e)
            {
                Assert.That(e.Message, Does.StartWith("m.hcl:").And.Not.Contain('\n'));
                rejected++;
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message}\n--- input ---\n{src}");
            }
        }
        Assert.That(parsed, Is.GreaterThan(0));
        Assert.That(rejected, Is.GreaterThan(0));
    }

    [Test]
    public void MutatedAgentConfigsFailOnlyWithConfigException()
    {
        string hcl = File.ReadAllText(Path.Combine(TestPaths.TestsDir, "Config", "testdata", "full.hcl"));
        var rng = new Random(7);
        for (int i = 0; i < 2000; i++)
        {
            string src = Mutate(hcl, rng);
            try
            {
                ConfigLoader.ParseHcl(src, "m.hcl");
            }
            catch (ConfigException e)
            {
                Assert.That(e.Message, Does.StartWith("m.hcl").And.Not.Contain('\n'));
            }
            catch (Exception e)
            {
                Assert.Fail($"{e.GetType().Name}: {e.Message}\n--- input ---\n{src}");
            }
        }
    }

    private static string Mutate(string src, Random rng)
    {
        var chars = src.ToList();
        int edits = rng.Next(1, 4);
        for (int e = 0; e < edits && chars.Count > 0; e++)
        {
            int at = rng.Next(chars.Count);
            switch (rng.Next(3))
            {
                case 0: chars.RemoveRange(at, Math.Min(rng.Next(1, 6), chars.Count - at)); break;
                case 1: chars.Insert(at, Interesting[rng.Next(Interesting.Length)]); break;
                default: chars[at] = Interesting[rng.Next(Interesting.Length)]; break;
            }
        }
        return new string(chars.ToArray());
    }
}
