using Nomad.Agent.Scheduler.Feasibility;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Scheduler;

public sealed class ConstraintCheckerTests
{
    private static readonly Node Node = SchedulerHarness.NewNode(4);   // nomad.version 1.4.0, rack r1, tags ssd,gpu, zone z0

    private static bool Sat(string l, string op, string r = "") =>
        ConstraintChecker.Satisfied(new Constraint { LTarget = l, Operand = op, RTarget = r }, Node);

    [Test]
    public void Interpolates_attributes_meta_and_node_fields()
    {
        Assert.That(Sat("${attr.kernel.name}", "=", "linux"), Is.True);
        Assert.That(Sat("${attr.kernel.name}", "==", "windows"), Is.False);
        Assert.That(Sat("${meta.zone}", "is", "z0"), Is.True);
        Assert.That(Sat("${node.unique.id}", "=", Node.ID), Is.True);
        Assert.That(Sat("${node.unique.name}", "=", "node-4"), Is.True);
        Assert.That(Sat("${node.datacenter}", "=", "dc1"), Is.True);
        Assert.That(Sat("${node.class}", "=", "even"), Is.True);
        Assert.That(Sat("${attr.missing}", "=", "x"), Is.False, "an unknown attribute never equals");
    }

    [Test]
    public void Not_equal_holds_for_a_missing_attribute()
    {
        Assert.That(Sat("${attr.kernel.name}", "!=", "windows"), Is.True);
        Assert.That(Sat("${attr.kernel.name}", "not", "linux"), Is.False);
        Assert.That(Sat("${attr.missing}", "!=", "x"), Is.True);
    }

    [Test]
    public void Orders_numerically_when_both_sides_are_numbers_else_lexically()
    {
        Assert.That(ConstraintChecker.Check("<", "9", true, "10", true), Is.True, "9 < 10 as numbers");
        Assert.That(ConstraintChecker.Check("<", "b9", true, "b10", true), Is.False, "b9 > b10 as strings");
        Assert.That(ConstraintChecker.Check(">=", "10", true, "10.0", true), Is.True);
        Assert.That(ConstraintChecker.Check(">", "abc", true, "abd", true), Is.False);
        Assert.That(ConstraintChecker.Check("<=", null, false, "1", true), Is.False);
    }

    [Test]
    public void Regexp_matches_and_a_bad_pattern_never_does()
    {
        Assert.That(Sat("${attr.unique.hostname}", "regexp", "^host-[0-9]+$"), Is.True);
        Assert.That(Sat("${attr.unique.hostname}", "regexp", "^web"), Is.False);
        Assert.That(Sat("${attr.unique.hostname}", "regexp", "(unclosed"), Is.False);
    }

    [Test]
    public void Version_and_semver_take_comma_separated_comparisons()
    {
        Assert.That(Sat("${attr.nomad.version}", "version", ">= 1.2, < 2.0"), Is.True);
        Assert.That(Sat("${attr.nomad.version}", "version", "> 1.4"), Is.False);
        Assert.That(Sat("${attr.nomad.version}", "semver", "~> 1.3"), Is.True);
        Assert.That(Sat("${attr.nomad.version}", "semver", "= 1.4.0"), Is.True);
        Assert.That(ConstraintChecker.Check("version", "1.2.0-beta1", true, "< 1.2.0", true), Is.True, "a pre-release sorts before its release");
        Assert.That(Sat("${attr.nomad.version}", "version", "garbage"), Is.False);
    }

    [Test]
    public void Set_operands_compare_comma_separated_members()
    {
        Assert.That(Sat("${attr.tags}", "set_contains", "ssd"), Is.True);
        Assert.That(Sat("${attr.tags}", "set_contains_all", "ssd, gpu"), Is.True);
        Assert.That(Sat("${attr.tags}", "set_contains_all", "ssd,hdd"), Is.False);
        Assert.That(Sat("${attr.tags}", "set_contains_any", "hdd,gpu"), Is.True);
        Assert.That(Sat("${attr.tags}", "set_contains_any", "hdd,nvme"), Is.False);
    }

    [Test]
    public void Is_set_and_is_not_set_look_only_at_presence()
    {
        Assert.That(Sat("${attr.rack}", "is_set"), Is.True);
        Assert.That(Sat("${attr.nope}", "is_set"), Is.False);
        Assert.That(Sat("${attr.nope}", "is_not_set"), Is.True);
        Assert.That(Sat("${meta.zone}", "is_not_set"), Is.False);
    }
}
