using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Structs;

/// <summary>Which jobs the leader launches on schedule (Nomad's IsPeriodicActive).</summary>
public sealed class PeriodicLaunchTests
{
    private static Job Periodic() => new() { ID = "p", Periodic = new PeriodicConfig { Spec = "@hourly" } };

    [Test]
    public void An_enabled_running_periodic_job_is_launched() => Assert.That(PeriodicLaunch.IsActive(Periodic()), Is.True);

    [Test]
    public void A_stopped_or_disabled_one_is_not()
    {
        Assert.That(PeriodicLaunch.IsActive(Periodic() with { Stop = true }), Is.False);
        Assert.That(PeriodicLaunch.IsActive(Periodic() with { Periodic = new PeriodicConfig { Spec = "@hourly", Enabled = false } }), Is.False);
    }

    [Test]
    public void A_parameterized_template_is_not_but_its_dispatched_child_is()
    {
        var template = Periodic() with { ParameterizedJob = new ParameterizedJobConfig() };
        Assert.That(PeriodicLaunch.IsActive(template), Is.False, "the template itself is only dispatched");
        Assert.That(PeriodicLaunch.IsActive(template with { ID = "p/dispatch-1-abcd1234", ParentID = "p", Dispatched = true }), Is.True,
            "a dispatched child keeps the periodic block and is launched on it");
    }
}
