using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Expressions;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.X;

namespace Nomad.Agent.Tests.Hcl;

/// <summary>
/// The expression evaluator against HCL2's specification (hclsyntax's semantics and error texts): operators with
/// their conversions, conditionals, templates and directives, constructors, indexing, splats, for expressions,
/// calls, try/can, and Nomad's rule that a reference to an unknown root stays "${...}" for the client.
/// </summary>
[TestFixture]
public sealed class EvaluatorTests
{
    private static readonly EvalContext Ctx = EvalContext.Create(new Dictionary<string, Value>
    {
        ["var"] = ObjV(
            ("region", V("eu")),
            ("n", V(3)),
            ("list", ListV(HclType.String, V("a"), V("b"))),
            ("people", TupleV(ObjV(("name", V("x"))), ObjV(("name", V("y"))))),
            ("m", MapV(HclType.String, ("a", V("1")))),
            ("nothing", Value.Null(HclType.String)),
            ("set", SetValue.Create(HclType.String, [V("b"), V("a"), V("b")]))),
        ["local"] = ObjV(("dc", V("dc1"))),
    }, TestFunctions, keepUnknownReferences: true);

    private static Value Eval(Expr e) => Evaluator.Evaluate(e, Ctx);

    private static string Error(Expr e, EvalContext? ctx = null) =>
        Assert.Throws<EvaluationException>(() => Evaluator.Evaluate(e, ctx ?? Ctx))!.Message;

    // ---- operators ----

    private static readonly object[] Arithmetic =
    [
        new object[] { "+", 1.0, 2.0, 3.0 },
        new object[] { "-", 1.0, 2.0, -1.0 },
        new object[] { "*", 2.5, 4.0, 10.0 },
        new object[] { "/", 1.0, 2.0, 0.5 },
        new object[] { "/", 7.0, 2.0, 3.5 },
        new object[] { "%", 7.0, 3.0, 1.0 },
        new object[] { "%", -7.0, 3.0, -1.0 },
        new object[] { "%", 7.5, 2.0, 1.5 },
        new object[] { "%", 5.0, 0.0, 5.0 },
    ];

    [TestCaseSource(nameof(Arithmetic))]
    public void Arithmetic_on_numbers(string op, double a, double b, double want) =>
        Assert.That(Eval(Bin(op, Num(a), Num(b))), Is.EqualTo(V(want)));

    [Test]
    public void Arithmetic_converts_strings_to_numbers() =>
        Assert.That(Eval(Bin("*", Str("3"), Str("2"))), Is.EqualTo(V(6)));

    [Test]
    public void Division_by_zero_is_infinity_but_zero_by_zero_fails()
    {
        Assert.That(Eval(Bin("/", Num(1), Num(0))), Is.EqualTo(V(double.PositiveInfinity)));
        Assert.That(Error(Bin("/", Num(0), Num(0))),
            Is.EqualTo("t.hcl:1,1: Operation failed; Error during operation: can't divide zero by zero or infinity by infinity."));
    }

    [Test]
    public void Arithmetic_operand_that_is_not_a_number_names_its_side()
    {
        Assert.That(Error(Bin("+", Str("a", col: 5), Num(1, col: 9))),
            Is.EqualTo("t.hcl:1,5: Invalid operand; Unsuitable value for left operand: a number is required."));
        Assert.That(Error(Bin("+", Num(1, col: 5), Bool(true))),
            Does.StartWith("t.hcl:1,1: Invalid operand; Unsuitable value for right operand:"));
    }

    [Test]
    public void Both_bad_operands_are_reported() =>
        Assert.That(Error(Bin("-", Str("a", 3), Str("b", 9))).Split('\n'), Has.Length.EqualTo(2));

    [Test]
    public void Null_operand_fails_the_operation() =>
        Assert.That(Error(Bin("+", Num(1), Null())), Does.Contain("Operation failed; Error during operation: argument must not be null."));

    private static readonly object[] Comparisons =
    [
        new object[] { "<", 1.0, 2.0, true },
        new object[] { ">", 1.0, 2.0, false },
        new object[] { "<=", 2.0, 2.0, true },
        new object[] { ">=", 1.0, 2.0, false },
    ];

    [TestCaseSource(nameof(Comparisons))]
    public void Comparison(string op, double a, double b, bool want) =>
        Assert.That(Eval(Bin(op, Num(a), Num(b))), Is.EqualTo(V(want)));

    [Test]
    public void Comparison_converts_strings() => Assert.That(Eval(Bin(">", Str("10"), Num(9))), Is.EqualTo(V(true)));

    [Test]
    public void Equality_is_by_value_and_type_without_conversion()
    {
        Assert.That(Eval(Bin("==", Num(1), Str("1"))), Is.EqualTo(V(false)));
        Assert.That(Eval(Bin("!=", Num(1), Str("1"))), Is.EqualTo(V(true)));
        Assert.That(Eval(Bin("==", Tuple(Num(1), Str("a")), Tuple(Num(1), Str("a")))), Is.EqualTo(V(true)));
        Assert.That(Eval(Bin("==", Obj(("a", Num(1))), Obj(("a", Num(1))))), Is.EqualTo(V(true)));
        Assert.That(Eval(Bin("==", Obj(("a", Num(1))), Obj(("a", Num(2))))), Is.EqualTo(V(false)));
        Assert.That(Eval(Bin("==", Null(), Ref("var.nothing"))), Is.EqualTo(V(true)), "nulls are equal whatever their type");
        Assert.That(Eval(Bin("==", Ref("var.list"), Tuple(Str("a"), Str("b")))), Is.EqualTo(V(false)), "a list is not a tuple");
        Assert.That(Eval(Bin("==", Ref("var.region"), Str("eu"))), Is.EqualTo(V(true)));
    }

    [Test]
    public void Logic_on_bools_with_conversion_from_strings()
    {
        Assert.That(Eval(Bin("&&", Bool(true), Bool(false))), Is.EqualTo(V(false)));
        Assert.That(Eval(Bin("||", Str("true"), Bool(false))), Is.EqualTo(V(true)));
        Assert.That(Eval(Not(Bool(true))), Is.EqualTo(V(false)));
        Assert.That(Error(Bin("&&", Str("yes", col: 4), Bool(true))),
            Is.EqualTo("t.hcl:1,4: Invalid operand; Unsuitable value for left operand: a bool is required."));
    }

    [Test]
    public void Logic_evaluates_both_sides_as_hcl_does() =>
        Assert.That(Error(Bin("&&", Bool(false), Ref("var.missing"))), Does.Contain("Unsupported attribute"));

    [Test]
    public void Unary_minus_and_not()
    {
        Assert.That(Eval(Neg(Str("2"))), Is.EqualTo(V(-2)));
        Assert.That(Error(Neg(Str("x"))), Does.Contain("Invalid operand; Unsuitable value for unary operand: a number is required."));
    }

    // ---- conditionals ----

    [Test]
    public void Conditional_unifies_the_result_types()
    {
        Assert.That(Eval(Cond(Bool(true), Num(1), Str("a"))), Is.EqualTo(V("1")));
        Assert.That(Eval(Cond(Bool(false), Null(), Num(2))), Is.EqualTo(V(2)));
        Assert.That(Eval(Cond(Bool(true), Null(), Num(2))), Is.EqualTo(Value.Null(HclType.Number)));
        Assert.That(Eval(Cond(Bool(true), Tuple(Num(1)), Tuple(Str("a"), Str("b")))), Is.EqualTo(ListV(HclType.String, V("1"))));
    }

    [Test]
    public void Conditional_converts_its_condition() => Assert.That(Eval(Cond(Str("false"), Num(1), Num(2))), Is.EqualTo(V(2)));

    [Test]
    public void Conditional_ignores_errors_of_the_branch_not_taken()
    {
        Assert.That(Eval(Cond(Bin("==", Ref("var.nothing"), Null()), Str("none"), Ref("var.nothing.name"))), Is.EqualTo(V("none")));
        Assert.That(Error(Cond(Bool(false), Str("none"), Ref("var.nothing.name", col: 7))),
            Is.EqualTo("t.hcl:1,19: Attempt to get attribute from null value; This value is null, so it does not have any attributes."));
    }

    [Test]
    public void Conditional_errors()
    {
        Assert.That(Error(Cond(Null(), Num(1), Num(2))), Is.EqualTo("t.hcl:1,1: Null condition; The condition value is null. Conditions must either be true or false."));
        Assert.That(Error(Cond(Str("yes"), Num(1), Num(2))), Is.EqualTo("t.hcl:1,1: Incorrect condition type; The condition expression must be of type bool."));
        Assert.That(Error(Cond(Bool(true), Tuple(Num(1)), Obj(("a", Num(1))))),
            Does.Contain("Inconsistent conditional result types; The true and false result expressions must have consistent types. The given expressions are tuple and object, respectively."));
    }

    // ---- templates ----

    [Test]
    public void Template_converts_each_interpolation_to_a_string() =>
        Assert.That(Eval(Tpl(Text("n="), Interp(Ref("var.n")), Text(" "), Interp(Bool(true)))), Is.EqualTo(V("n=3 true")));

    [Test]
    public void Template_of_one_interpolation_is_the_value_itself()
    {
        Assert.That(Eval(Tpl(Interp(Ref("var.n")))), Is.EqualTo(V(3)));
        Assert.That(Eval(Tpl(Interp(Ref("var.list")))), Is.EqualTo(ListV(HclType.String, V("a"), V("b"))));
        Assert.That(Eval(Tpl(Interp(Null()))).IsNull, Is.True);
    }

    [Test]
    public void Template_interpolation_errors_are_all_reported()
    {
        var message = Error(Tpl(Text("a"), Interp(Null()), Text("b"), Interp(Ref("var.list", col: 9))));
        Assert.That(message.Split('\n'), Is.EqualTo(new[]
        {
            "t.hcl:1,1: Invalid template interpolation value; The expression result is null. Cannot include a null value in a string template.",
            "t.hcl:1,9: Invalid template interpolation value; Cannot include the given value in a string template: string required.",
        }));
    }

    [Test]
    public void Template_if_directive()
    {
        var t = Tpl(Text("["), If(Bin("==", Ref("var.region"), Str("eu")), [Text("europe")], [Text("elsewhere")]), Text("]"));
        Assert.That(Eval(t), Is.EqualTo(V("[europe]")));
        var f = Tpl(If(Bool(false), [Text("x")]));
        Assert.That(Eval(f), Is.EqualTo(V("")));
        Assert.That(Error(Tpl(If(Num(1), [Text("x")]))), Does.Contain("Incorrect condition type"));
    }

    [Test]
    public void Template_for_directive_over_lists_and_maps()
    {
        Assert.That(Eval(Tpl(For(null, "x", Ref("var.list"), Text("<"), Interp(Ref("x")), Text(">")))), Is.EqualTo(V("<a><b>")));
        Assert.That(Eval(Tpl(For("k", "v", Obj(("b", Num(2)), ("a", Num(1))), Interp(Ref("k")), Text("="), Interp(Ref("v")), Text(";")))),
            Is.EqualTo(V("a=1;b=2;")));
        Assert.That(Eval(Tpl(For("i", "v", Ref("var.list"), Interp(Ref("i"))))), Is.EqualTo(V("01")));
    }

    [Test]
    public void Template_for_over_null_fails() =>
        Assert.That(Error(Tpl(For(null, "x", Null(), Text("a")))),
            Is.EqualTo("t.hcl:1,1: Iteration over null value; A null value cannot be used as the collection in a 'for' expression."));

    // ---- constructors ----

    [Test]
    public void Object_constructor_converts_keys_and_keeps_the_last_duplicate()
    {
        Assert.That(Eval(ObjE((Num(1), Str("a")), (Bool(true), Str("b")), (Str("1"), Str("c")))),
            Is.EqualTo(ObjV(("1", V("c")), ("true", V("b")))));
        Assert.That(Error(ObjE((Null(), Str("a")))), Does.Contain("Null value as key; Can't use a null value as a key."));
        Assert.That(Error(ObjE((Tuple(), Str("a")))), Does.Contain("Incorrect key type; Can't use this value as a key: string required."));
    }

    [Test]
    public void Tuple_constructor_keeps_types() =>
        Assert.That(Eval(Tuple(Num(1), Str("a"), Null())).Type, Is.EqualTo(new TupleType([HclType.Number, HclType.String, HclType.Dynamic])));

    // ---- indexing and attributes ----

    [Test]
    public void Index_into_sequences_maps_and_objects()
    {
        Assert.That(Eval(Ref("var.list[1]")), Is.EqualTo(V("b")));
        Assert.That(Eval(Index(Ref("var.list"), Str("0"))), Is.EqualTo(V("a")));
        Assert.That(Eval(Ref("var.list.0")), Is.EqualTo(V("a")), "legacy index");
        Assert.That(Eval(Ref("var.m[\"a\"]")), Is.EqualTo(V("1")));
        Assert.That(Eval(Ref("var.m.a")), Is.EqualTo(V("1")));
        Assert.That(Eval(Index(Ref("var"), Str("region"))), Is.EqualTo(V("eu")));
        Assert.That(Eval(Ref("var.people[1].name")), Is.EqualTo(V("y")));
    }

    private static readonly object[] IndexErrors =
    [
        new object[] { Ref("var.list[5]"), "t.hcl:1,9: Invalid index; The given key does not identify an element in this collection value." },
        new object[] { Index(Ref("var.list"), Num(-1, col: 10)), "t.hcl:1,10: Invalid index; The given key does not identify an element in this collection value." },
        new object[] { Index(Ref("var.list"), Num(0.5, col: 10)), "t.hcl:1,10: Invalid index; The given key does not identify an element in this collection value: indexing a sequence requires a whole number, but the given index (0.5) has a fractional part." },
        new object[] { Index(Ref("var.list"), Str("x", col: 10)), "t.hcl:1,10: Invalid index; The given key does not identify an element in this collection value: a number is required." },
        new object[] { Ref("var.m[\"b\"]"), "t.hcl:1,6: Invalid index; The given key does not identify an element in this collection value." },
        new object[] { Ref("var.m.b"), "t.hcl:1,7: Missing map element; This map does not have an element with the key \"b\"." },
        new object[] { Ref("var.missing"), "t.hcl:1,5: Unsupported attribute; This object does not have an attribute named \"missing\"." },
        new object[] { Ref("var.region.x"), "t.hcl:1,12: Unsupported attribute; This value does not have any attributes." },
        new object[] { Ref("var.region[0]"), "t.hcl:1,11: Invalid index; This value does not have any indices." },
        new object[] { Ref("var.nothing.x"), "t.hcl:1,13: Attempt to get attribute from null value; This value is null, so it does not have any attributes." },
        new object[] { Ref("var.nothing[0]"), "t.hcl:1,12: Attempt to index null value; This value is null, so it does not have any indices." },
        new object[] { Index(Ref("var.list"), Null()), "t.hcl:1,1: Invalid index; Can't use a null value as an indexing key." },
        new object[] { Ref("var.set[0]"), "t.hcl:1,8: Invalid index; Elements of a set are identified only by their value and don't have any separate index or key to select with, so it's only possible to perform operations across all elements of the set." },
        new object[] { Index(Obj(("a", Num(1))), Num(0, col: 5)), "t.hcl:1,5: Invalid index; The given key does not identify an element in this collection value. An object only supports looking up attributes by name, not by numeric index." },
    ];

    [TestCaseSource(nameof(IndexErrors))]
    public void Index_and_attribute_errors(Expr e, string want) => Assert.That(Error(e), Is.EqualTo(want));

    [Test]
    public void Attribute_of_a_computed_value() =>
        Assert.That(Eval(Attr(Obj(("a", Str("b"))), "a")), Is.EqualTo(V("b")));

    // ---- splats ----

    [Test]
    public void Splat_over_a_tuple_applies_to_each_element() =>
        Assert.That(Eval(Splat(Ref("var.people"), Attr(Item(), "name"))), Is.EqualTo(TupleV(V("x"), V("y"))));

    [Test]
    public void Splat_over_a_list_gives_a_list() =>
        Assert.That(Eval(Splat(Ref("var.list"), Item())), Is.EqualTo(ListV(HclType.String, V("a"), V("b"))));

    [Test]
    public void Splat_of_null_is_an_empty_tuple() =>
        Assert.That(Eval(Splat(Ref("var.nothing"), Item())), Is.EqualTo(TupleV()));

    [Test]
    public void Splat_of_a_single_value_is_a_one_element_tuple()
    {
        Assert.That(Eval(Splat(Ref("var.region"), Item())), Is.EqualTo(TupleV(V("eu"))));
        Assert.That(Eval(Splat(Obj(("name", Str("z"))), Attr(Item(), "name"))), Is.EqualTo(TupleV(V("z"))));
    }

    // ---- for expressions ----

    [Test]
    public void For_tuple_form_with_filter()
    {
        var e = ForTuple(null, "s", Tuple(Str("a"), Str("bb"), Str("c")), Call("upper", Ref("s")), Bin("!=", Ref("s"), Str("bb")));
        Assert.That(Eval(e), Is.EqualTo(TupleV(V("A"), V("C"))));
        Assert.That(Eval(ForTuple("i", "s", Ref("var.list"), Ref("i"))), Is.EqualTo(TupleV(V(0), V(1))));
    }

    [Test]
    public void For_object_form_over_a_map_and_a_set()
    {
        Assert.That(Eval(ForObject("k", "v", Ref("var.m"), Ref("v"), Ref("k"))), Is.EqualTo(ObjV(("1", V("a")))));
        Assert.That(Eval(ForObject("k", "v", Ref("var.set"), Ref("k"), Ref("v"))), Is.EqualTo(ObjV(("a", V("a")), ("b", V("b")))));
    }

    [Test]
    public void For_object_with_duplicate_keys_fails_unless_grouped()
    {
        var coll = Tuple(Str("ab"), Str("ac"));
        Assert.That(Error(ForObject(null, "s", coll, Call("upper", Str("k")), Ref("s"))),
            Is.EqualTo("t.hcl:1,1: Duplicate object key; Two different items produced the key \"K\" in this 'for' expression. If duplicates are expected, use the ellipsis (...) after the value expression to enable grouping by key."));
        var grouped = ForObject(null, "s", Tuple(Str("x"), Str("y"), Str("x")), Ref("s"), Ref("s"), group: true);
        Assert.That(Eval(grouped), Is.EqualTo(ObjV(("x", TupleV(V("x"), V("x"))), ("y", TupleV(V("y"))))));
    }

    [Test]
    public void For_errors()
    {
        Assert.That(Error(ForTuple(null, "x", Ref("var.region"), Ref("x"))),
            Is.EqualTo("t.hcl:1,1: Iteration over non-iterable value; A value of type string cannot be used as the collection in a 'for' expression."));
        Assert.That(Error(ForTuple(null, "x", Ref("var.list"), Ref("x"), Null())),
            Does.Contain("Invalid 'for' condition; The value of the 'if' clause must not be null."));
        Assert.That(Error(ForTuple(null, "x", Ref("var.list"), Ref("x"), Str("maybe"))),
            Does.Contain("Invalid 'for' condition; The 'if' clause value is invalid: a bool is required."));
        Assert.That(Error(ForObject(null, "x", Ref("var.list"), Null(), Ref("x"))),
            Does.Contain("Invalid object key; Key expression in 'for' expression must not produce a null value."));
        Assert.That(Error(ForObject(null, "x", Ref("var.list"), Tuple(), Ref("x"))),
            Does.Contain("Invalid object key; The key expression produced an invalid result: string required."));
    }

    [Test]
    public void For_variables_shadow_outer_names_only_inside() =>
        Assert.That(Eval(Tuple(ForTuple(null, "var", Tuple(Num(1)), Ref("var")), Ref("var.region"))),
            Is.EqualTo(TupleV(TupleV(V(1)), V("eu"))));

    // ---- function calls ----

    [Test]
    public void Function_call_and_final_argument_expansion()
    {
        Assert.That(Eval(Call("upper", Ref("var.region"))), Is.EqualTo(V("EU")));
        Assert.That(Eval(CallExpand("add", Num(1), Tuple(Num(2), Num(3)))), Is.EqualTo(V(6)));
        Assert.That(Error(CallExpand("add", Num(1), Str("x", col: 9))),
            Is.EqualTo("t.hcl:1,9: Invalid expanding argument value; The expanding argument (indicated by ...) must be of a tuple, list, or set type."));
    }

    [Test]
    public void Unknown_function_is_named_with_a_suggestion()
    {
        Assert.That(Error(Call("uper", Str("a"))), Is.EqualTo("t.hcl:1,1: Call to unknown function; There is no function named \"uper\". Did you mean \"upper\"?"));
        Assert.That(Error(Call("nosuch")), Is.EqualTo("t.hcl:1,1: Call to unknown function; There is no function named \"nosuch\"."));
    }

    [Test]
    public void Function_argument_error_points_at_the_argument() =>
        Assert.That(Error(Call("upper", Tuple())), Is.EqualTo("t.hcl:1,1: Invalid function argument; Invalid value for \"str\" parameter: string required."));

    [Test]
    public void Function_failing_outside_its_contract_is_still_one_line() =>
        Assert.That(Error(Call("broken")), Is.EqualTo("t.hcl:1,1: Error in function call; Call to function \"broken\" failed: it broke."));

    [Test]
    public void Functions_are_refused_where_not_allowed() =>
        Assert.That(Error(Call("upper", Str("a")), EvalContext.Empty), Is.EqualTo("t.hcl:1,1: Function calls not allowed; Functions may not be called here."));

    // ---- try and can ----

    [Test]
    public void Try_returns_the_first_argument_that_succeeds_and_evaluates_lazily()
    {
        Assert.That(Eval(Call("try", Ref("var.missing"), Ref("var.people[5].name"), Str("fallback"))), Is.EqualTo(V("fallback")));
        Assert.That(Eval(Call("try", Ref("var.region"), Ref("var.missing"))), Is.EqualTo(V("eu")));
    }

    [Test]
    public void Try_fails_when_no_argument_succeeds()
    {
        var message = Error(Call("try", Ref("var.missing", col: 5)));
        Assert.That(message, Does.StartWith("t.hcl:1,1: Error in function call; Call to function \"try\" failed: no expression succeeded: - Unsupported attribute (at t.hcl:1,9) This object does not have an attribute named \"missing\"."));
        Assert.That(message, Does.EndWith("At least one expression must produce a successful result."));
        Assert.That(message, Does.Not.Contain("\n"));
    }

    [Test]
    public void Can_says_whether_its_argument_evaluates()
    {
        Assert.That(Eval(Call("can", Ref("var.missing"))), Is.EqualTo(V(false)));
        Assert.That(Eval(Call("can", Ref("var.list[1]"))), Is.EqualTo(V(true)));
        Assert.That(Eval(Call("can", Call("upper", Tuple()))), Is.EqualTo(V(false)));
        Assert.That(Error(Call("can")), Does.Contain("Not enough function arguments; Function \"can\" expects 1 argument(s). Missing value for \"expression\"."));
    }

    // ---- Nomad's runtime references ----

    private static readonly object[] RuntimeReferences =
    [
        new object[] { "NOMAD_ALLOC_INDEX" },
        new object[] { "attr.kernel.name" },
        new object[] { "node.unique.id" },
        new object[] { "meta.rack" },
        new object[] { "env[\"HOME\"]" },
        new object[] { "NOMAD_PORT_http" },
        new object[] { "attr.network.dev-us-east1-relay-vpc.external-ip.0" },
    ];

    [TestCaseSource(nameof(RuntimeReferences))]
    public void Reference_to_an_unknown_root_stays_for_the_client(string source)
    {
        Assert.That(Eval(Ref(source)), Is.EqualTo(V("${" + source + "}")));
        Assert.That(Eval(Tpl(Interp(Ref(source)))), Is.EqualTo(V("${" + source + "}")));
    }

    [Test]
    public void Runtime_reference_inside_a_larger_template_and_a_call()
    {
        Assert.That(Eval(Tpl(Interp(Ref("meta.rack")), Text("-x"))), Is.EqualTo(V("${meta.rack}-x")));
        Assert.That(Eval(Tpl(Text("foo-"), Interp(Ref("BAR")))), Is.EqualTo(V("foo-${BAR}")));
        Assert.That(Eval(Call("upper", Ref("node.class"))), Is.EqualTo(V("${NODE.CLASS}")));
    }

    [Test]
    public void Known_roots_and_iterators_are_evaluated_not_kept()
    {
        Assert.That(Error(Ref("local.nope")), Does.Contain("This object does not have an attribute named \"nope\"."));
        Assert.That(Eval(ForTuple(null, "meta", Tuple(Str("m")), Tpl(Interp(Ref("meta")), Interp(Ref("attr.x"))))),
            Is.EqualTo(TupleV(V("m${attr.x}"))));
    }

    [Test]
    public void Without_the_runtime_rule_an_unknown_root_is_an_error()
    {
        var strict = EvalContext.Create(new Dictionary<string, Value> { ["var"] = ObjV(("region", V("eu"))) }, null);
        Assert.That(Error(Ref("vars.region"), strict),
            Is.EqualTo("t.hcl:1,1: Unknown variable; There is no variable named \"vars\". Did you mean \"var\"?"));
        Assert.That(Error(Ref("NOMAD_X"), EvalContext.Empty), Is.EqualTo("t.hcl:1,1: Variables not allowed; Variables may not be used here."));
    }
}
