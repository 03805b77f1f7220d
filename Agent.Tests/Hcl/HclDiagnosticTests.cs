using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>Evaluation problems print as Nomad prints HCL diagnostics, one line each.</summary>
[TestFixture]
public sealed class HclDiagnosticTests
{
    [Test]
    public void A_diagnostic_is_one_line_with_its_place()
    {
        Assert.That(new HclDiagnostic(new HclPosition("job.hcl", 3, 7), "Unsupported attribute", "No \"x\".").ToString(),
            Is.EqualTo("job.hcl:3,7: Unsupported attribute; No \"x\"."));
        Assert.That(new HclDiagnostic(new HclPosition("job.hcl", 0, 0), "Missing job block", "A job block is required").ToString(),
            Is.EqualTo("job.hcl: Missing job block; A job block is required"));
        Assert.That(new HclDiagnostic(null, "Undefined -var variable", "A \"x\" variable...").ToString(),
            Is.EqualTo("Undefined -var variable; A \"x\" variable..."));
        Assert.That(new HclDiagnostic(new HclPosition("f", 1, 1), "unterminated string", "").ToString(), Is.EqualTo("f:1,1: unterminated string"));
    }

    [Test]
    public void Line_breaks_in_a_detail_do_not_split_the_line() =>
        Assert.That(new HclDiagnostic(new HclPosition("f", 1, 1), "Invalid value", "Must be short.\n\nChecked here.\r\nok").ToString(),
            Is.EqualTo("f:1,1: Invalid value; Must be short. Checked here. ok"));

    [Test]
    public void An_exception_lists_its_diagnostics_one_per_line()
    {
        var e = new EvaluationException([
            new HclDiagnostic(new HclPosition("f", 1, 1), "A", "a."),
            new HclDiagnostic(new HclPosition("f", 2, 3), "B", "b."),
        ]);
        Assert.That(e.Message, Is.EqualTo("f:1,1: A; a.\nf:2,3: B; b."));
        Assert.That(e.Diagnostics, Has.Count.EqualTo(2));
    }
}
