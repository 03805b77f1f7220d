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

    [Test]
    public void Ordinary_loops_are_well_inside_the_budget()
    {
        var source = "locals {\n  x = [for a in range(1000) : [for b in range(100) : b]]\n}\njob \"j\" {\n  meta {\n    n = length(flatten(local.x))\n  }\n}\n";
        var job = JobFile.ParseToApiJson(source, "ok.nomad", new JobFileOptions(), canonicalize: false);
        Assert.That(job["Meta"]!["n"]!.GetValue<string>(), Is.EqualTo("100000"));
    }
}
