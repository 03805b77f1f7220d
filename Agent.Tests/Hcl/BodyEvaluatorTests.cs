using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.X;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// Bodies evaluated from text: attributes and nested blocks, and dynamic blocks expanded as HCL's dynblock
/// extension does (iterator, labels, nested dynamic blocks, errors).
/// </summary>
[TestFixture]
public sealed class BodyEvaluatorTests
{
    private static EvalContext Ctx(params (string, Value)[] vars) =>
        EvalContext.Create(new Dictionary<string, Value> { ["var"] = ObjV(vars), ["local"] = ObjV() }, TestFunctions, keepUnknownReferences: true);

    private static EvaluatedBody Eval(string hcl, EvalContext? ctx = null) =>
        BodyEvaluator.Evaluate(HclParser.Parse(hcl, "t.hcl"), ctx ?? Ctx());

    private static string Error(string hcl, EvalContext? ctx = null) =>
        Assert.Throws<EvaluationException>(() => Eval(hcl, ctx))!.Message;

    [Test]
    public void Attributes_and_blocks_keep_their_order_and_positions()
    {
        var body = Eval("a = 1 + 2\nb \"x\" {\n  c = upper(\"q\")\n}\nd = \"${a}\"\n");
        Assert.That(body.Attributes.Select(a => a.Name), Is.EqualTo(new[] { "a", "d" }));
        Assert.That(body.Attribute("a")!.Value, Is.EqualTo(V(3)));
        Assert.That(body.Attribute("d")!.Value, Is.EqualTo(V("${a}")), "an attribute name is not a variable: it stays for the client");
        var b = body.BlocksOfType("b").Single();
        Assert.That(b.Labels, Is.EqualTo(new[] { "x" }));
        Assert.That(b.Body.Attribute("c")!.Value, Is.EqualTo(V("Q")));
        Assert.That(b.Position, Is.EqualTo(new HclPosition("t.hcl", 2, 1)));
        Assert.That(b.Body.Attribute("c")!.ValuePosition, Is.EqualTo(new HclPosition("t.hcl", 3, 7)));
    }

    [Test]
    public void Errors_of_several_attributes_are_all_reported()
    {
        var message = Error("a = var.nope\nb {\n  c = 1 + \"x\"\n}\n");
        Assert.That(message.Split('\n'), Is.EqualTo(new[]
        {
            "t.hcl:1,9: Unsupported attribute; This object does not have an attribute named \"nope\".",
            "t.hcl:3,11: Invalid operand; Unsuitable value for right operand: a number is required.",
        }));
    }

    [Test]
    public void Dynamic_block_generates_one_block_per_element_in_place()
    {
        var body = Eval("""
            before {}
            dynamic "group" {
              for_each = [{ name = "a", n = 1 }, { name = "b", n = 2 }]
              labels   = [group.value.name]
              content {
                count = group.value.n
                index = group.key
                rack  = "${meta.rack}"
              }
            }
            after {}
            """);
        Assert.That(body.Blocks.Select(b => b.Type), Is.EqualTo(new[] { "before", "group", "group", "after" }));
        var groups = body.BlocksOfType("group").ToList();
        Assert.That(groups.Select(g => g.Labels.Single()), Is.EqualTo(new[] { "a", "b" }));
        Assert.That(groups.Select(g => g.Body.Attribute("count")!.Value), Is.EqualTo(new[] { V(1), V(2) }));
        Assert.That(groups.Select(g => g.Body.Attribute("index")!.Value), Is.EqualTo(new[] { V(0), V(1) }));
        Assert.That(groups[0].Body.Attribute("rack")!.Value, Is.EqualTo(V("${meta.rack}")));
    }

    [Test]
    public void Dynamic_block_over_a_map_with_a_named_iterator_and_nested_dynamic()
    {
        var body = Eval("""
            dynamic "task" {
              for_each = var.tasks
              iterator = t
              labels   = [t.key]
              content {
                driver = "raw_exec"
                dynamic "env" {
                  for_each = t.value
                  content {
                    name  = env.key
                    value = "${t.key}-${env.value}"
                  }
                }
              }
            }
            """, Ctx(("tasks", ObjV(("web", ObjV(("A", V("1")), ("B", V("2")))), ("db", ObjV())))));
        var tasks = body.BlocksOfType("task").ToList();
        Assert.That(tasks.Select(t => t.Labels.Single()), Is.EqualTo(new[] { "db", "web" }), "map keys in cty's order");
        Assert.That(tasks[0].Body.Blocks, Is.Empty);
        var envs = tasks[1].Body.BlocksOfType("env").ToList();
        Assert.That(envs.Select(e => e.Body.Attribute("value")!.Value), Is.EqualTo(new[] { V("web-1"), V("web-2") }));
        Assert.That(envs[0].Labels, Is.Empty);
    }

    [Test]
    public void Dynamic_block_over_a_set_uses_the_element_as_key() =>
        Assert.That(Eval("""
            dynamic "port" {
              for_each = var.ports
              labels   = [port.key]
              content { to = port.value }
            }
            """, Ctx(("ports", SetValue.Create(HclType.String, [V("http"), V("db")])))).Blocks.Select(b => b.Labels.Single()),
            Is.EqualTo(new[] { "db", "http" }));

    private static readonly object[] DynamicErrors =
    [
        new object[] { "dynamic \"g\" {\n  for_each = null\n  content {}\n}\n", "t.hcl:2,14: Invalid dynamic for_each value; Cannot use a null value in for_each." },
        new object[] { "dynamic \"g\" {\n  for_each = \"x\"\n  content {}\n}\n", "t.hcl:2,14: Invalid dynamic for_each value; Cannot use a string value in for_each. An iterable collection is required." },
        new object[] { "dynamic \"g\" {\n  content {}\n}\n", "t.hcl:1,13: Missing required argument; The argument \"for_each\" is required, but no definition was found." },
        new object[] { "dynamic \"g\" {\n  for_each = [1]\n}\n", "t.hcl:1,13: Missing content block; A dynamic block must have a nested block of type \"content\" to describe the body of each generated block." },
        new object[] { "dynamic \"g\" {\n  for_each = [1]\n  iterator = \"x\"\n  content {}\n}\n", "t.hcl:3,14: Invalid dynamic iterator name; Dynamic iterator must be a single variable name." },
        new object[] { "dynamic \"g\" {\n  for_each = [1]\n  labels = [null]\n  content {}\n}\n", "t.hcl:3,13: Invalid dynamic block label; Cannot use a null value as a dynamic block label." },
        new object[] { "dynamic \"g\" {\n  for_each = [1]\n  foreach = 1\n  content {}\n}\n", "t.hcl:3,3: Unsupported argument; An argument named \"foreach\" is not expected here. Did you mean \"for_each\"?" },
        new object[] { "dynamic {\n  for_each = [1]\n  content {}\n}\n", "t.hcl:1,1: Missing type for dynamic; All dynamic blocks must have 1 labels (type)." },
    ];

    [TestCaseSource(nameof(DynamicErrors))]
    public void Dynamic_block_errors(string hcl, string want) => Assert.That(Error(hcl), Is.EqualTo(want));
}
