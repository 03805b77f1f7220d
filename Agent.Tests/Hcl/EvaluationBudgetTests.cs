using Nomad.Agent.Jobspec;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// A job file that would make billions of values (nested loops over large ranges, a huge set product) is refused with
/// one error instead of exhausting the agent's memory: /v1/jobs/parse evaluates files anyone with API access sends.
/// </summary>
public class EvaluationBudgetTests
{
    private static string Error(string locals)
    {
        var source = $"locals {{\n  x = {locals}\n}}\njob \"j\" {{\n  datacenters = [\"dc1\"]\n}}\n";
        var e = Assert.Throws<JobspecException>(() => JobFile.ParseToApiJson(source, "big.nomad", new JobFileOptions(), canonicalize: false))!;
        Assert.That(e.Message, Does.Not.Contain("\n"));
        return e.Message;
    }

    [Test]
    public void Nested_loops_that_would_make_a_billion_values_stop_at_the_budget() =>
        Assert.That(Error("[for a in range(1000) : [for b in range(1000) : [for c in range(1000) : c]]]"),
            Does.StartWith("big.nomad:2,").And.Contains("Too many values"));

    [Test]
    public void A_set_product_too_large_to_hold_is_refused() =>
        Assert.That(Error("setproduct(range(200), range(200), range(200))"),
            Does.StartWith("big.nomad:2,").And.Contains("more than 1000000 elements"));

    // Nine levels of ten aliases each: a few hundred bytes of YAML that expand to 10^9 values.
    private const string BillionLaughs =
        "a: &a [x, x, x, x, x, x, x, x, x, x]\n" +
        "b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a, *a]\n" +
        "c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b, *b]\n" +
        "d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c, *c]\n" +
        "e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d, *d]\n" +
        "f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e, *e]\n" +
        "g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f, *f]\n" +
        "h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g, *g]\n" +
        "i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h, *h]\n";

    [Test]
    public void A_yaml_document_whose_aliases_expand_to_a_billion_values_is_refused()
    {
        var source = $"locals {{\n  x = yamldecode(\"{BillionLaughs.Replace("\n", "\\n")}\")\n}}\njob \"j\" {{}}\n";
        // On a thread of its own: without the limit this expands for hours (or until memory runs out).
        var decode = Task.Run(() =>
        {
            try
            {
                JobFile.ParseToApiJson(source, "big.nomad", new JobFileOptions(), canonicalize: false);
                return "decoded";
            }
            catch (JobspecException e) { return e.Message; }
        });
        Assert.That(decode.Wait(TimeSpan.FromSeconds(60)), Is.True, "still expanding the aliases after 60 s");
        Assert.That(decode.Result, Does.StartWith("big.nomad:2,").And.Contains("expands to more than 1000000 values"));
    }

    [Test]
    public void Yaml_aliases_that_expand_modestly_still_decode()
    {
        var source = "locals {\n  x = yamldecode(\"a: &a [1, 2]\\nb: [*a, *a]\\n\")\n}\njob \"j\" {\n  meta {\n    n = length(flatten(local.x.b))\n  }\n}\n";
        var job = JobFile.ParseToApiJson(source, "ok.nomad", new JobFileOptions(), canonicalize: false);
        Assert.That(job["Meta"]!["n"]!.GetValue<string>(), Is.EqualTo("4"));
    }

    [Test]
    public void Ordinary_loops_are_well_inside_the_budget()
    {
        var source = "locals {\n  x = [for a in range(1000) : [for b in range(100) : b]]\n}\njob \"j\" {\n  meta {\n    n = length(flatten(local.x))\n  }\n}\n";
        var job = JobFile.ParseToApiJson(source, "ok.nomad", new JobFileOptions(), canonicalize: false);
        Assert.That(job["Meta"]!["n"]!.GetValue<string>(), Is.EqualTo("100000"));
    }
}
