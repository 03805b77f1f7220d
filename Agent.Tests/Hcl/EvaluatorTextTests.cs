using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.X;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// Expressions written as text, parsed and evaluated: HCL2's specification examples end to end (precedence,
/// templates with directives and strip markers, heredocs, for and splat forms), compared as values.
/// </summary>
[TestFixture]
public sealed class EvaluatorTextTests
{
    private static readonly EvalContext Ctx = EvalContext.Create(new Dictionary<string, Value>
    {
        ["var"] = ObjV(
            ("names", TupleV(V("a"), V("b"), V("c"))),
            ("people", TupleV(ObjV(("name", V("x")), ("age", V(30))), ObjV(("name", V("y")), ("age", V(20))))),
            ("on", V(true))),
    }, TestFunctions, keepUnknownReferences: true);

    private static Value Eval(string text) => Evaluator.Evaluate(HclParser.ParseExpression(text, "t.hcl"), Ctx);

    private static readonly object[] Cases =
    [
        new object[] { "1 + 2 * 3", V(7) },
        new object[] { "(1 + 2) * 3", V(9) },
        new object[] { "10 % 4 - 1", V(1) },
        new object[] { "-2 * -3", V(6) },
        new object[] { "1 < 2 && 2 < 3", V(true) },
        new object[] { "!var.on || false", V(false) },
        new object[] { "1 == 1.0", V(true) },
        new object[] { "\"a\" != \"b\"", V(true) },
        new object[] { "var.on ? \"yes\" : \"no\"", V("yes") },
        new object[] { "length_of_nothing == null ? 1 : 2", V(2) },
        new object[] { "\"${1 + 2}\"", V(3) },
        new object[] { "\"n=${1.5}\"", V("n=1.5") },
        new object[] { "\"%{ if var.on }on%{ else }off%{ endif }\"", V("on") },
        new object[] { "\"%{ for n in var.names }${n},%{ endfor }\"", V("a,b,c,") },
        new object[] { "\"%{ for i, n in var.names ~} ${i}=${n} %{~ endfor }\"", V("0=a1=b2=c") },
        new object[] { "\"x $${literal} %%{literal}\"", V("x ${literal} %{literal}") },
        new object[] { "<<EOT\nhello ${var.names[0]}\nEOT\n", V("hello a\n") },
        new object[] { "<<-EOT\n    indented\n      more\n    EOT\n", V("indented\n  more\n") },
        new object[] { "[for n in var.names : upper(n) if n != \"b\"]", TupleV(V("A"), V("C")) },
        new object[] { "{for p in var.people : p.name => p.age}", ObjV(("x", V(30)), ("y", V(20))) },
        new object[] { "{for p in var.people : p.age > 25 ? \"old\" : \"young\" => p.name...}", ObjV(("old", TupleV(V("x"))), ("young", TupleV(V("y")))) },
        new object[] { "var.people[*].name", TupleV(V("x"), V("y")) },
        new object[] { "var.people.*.age", TupleV(V(30), V(20)) },
        new object[] { "var.names[1]", V("b") },
        new object[] { "{ a = 1, \"b c\" = 2 }[\"b c\"]", V(2) },
        new object[] { "add([1, 2]...)", V(3) },
        new object[] { "try(var.people[5].name, \"none\")", V("none") },
        new object[] { "can(var.nope)", V(false) },
        new object[] { "\"${attr.kernel.name}-${NOMAD_ALLOC_INDEX}\"", V("${attr.kernel.name}-${NOMAD_ALLOC_INDEX}") },
        new object[] { "env[\"HOME\"]", V("${env[\"HOME\"]}") },
    ];

    [TestCaseSource(nameof(Cases))]
    public void Evaluates(string text, Value want) => Assert.That(Eval(text), Is.EqualTo(want));

    [Test]
    public void Errors_carry_the_position_of_the_fault() =>
        Assert.That(Assert.Throws<EvaluationException>(() => Eval("1 +\n  var.names[7]"))!.Message,
            Is.EqualTo("t.hcl:2,12: Invalid index; The given key does not identify an element in this collection value."));
}
