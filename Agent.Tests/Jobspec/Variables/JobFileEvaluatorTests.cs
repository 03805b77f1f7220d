using Nomad.Agent.Hcl;
using Nomad.Agent.Hcl.Evaluation;
using Nomad.Agent.Hcl.Values;
using Nomad.Agent.Jobspec;
using Nomad.Agent.Jobspec.Variables;
using Nomad.Agent.Tests.Hcl;
using static Nomad.Agent.Tests.Hcl.X;

namespace Nomad.Agent.Tests.Jobspec.Variables;

/// <summary>
/// jobspec2's front end from text: variable declarations, types and validation, values by precedence (default,
/// NOMAD_VAR_, var files, -var), locals in dependency order, the top-level schema, dynamic blocks and runtime
/// references in the job block, and the error texts of each.
/// </summary>
[TestFixture]
public sealed class JobFileEvaluatorTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("jobspec-vars-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private static EvaluatedBlock Job(string hcl, JobFileOptions? options = null) =>
        JobFileEvaluator.EvaluateJob(HclParser.Parse(hcl, "t.hcl"), "t.hcl", options ?? new JobFileOptions(), TestFunctions);

    private static Value Attr(string hcl, string name, JobFileOptions? options = null) =>
        Job(hcl, options).Body.Attribute(name)?.Value ?? throw new AssertionException($"no attribute {name}");

    private static string Error(string hcl, JobFileOptions? options = null) =>
        Assert.Throws<EvaluationException>(() => Job(hcl, options))!.Message;

    private string VarFile(string name, string content)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, content);
        return path;
    }

    private const string RegionJob = """
        variable "region" {
          default = "from-default"
        }
        job "example" {
          region = var.region
        }
        """;

    // ---- values and precedence ----

    [Test]
    public void Defaults_from_variable_and_variables_blocks()
    {
        var job = Job("""
            variables {
              dc = "dc1"
            }
            variable "count" {
              type    = number
              default = "3"
            }
            job "example" {
              datacenters = [var.dc]
              count       = var.count
            }
            """);
        Assert.That(job.Type, Is.EqualTo("job"));
        Assert.That(job.Labels, Is.EqualTo(new[] { "example" }));
        Assert.That(job.Body.Attribute("datacenters")!.Value, Is.EqualTo(TupleV(V("dc1"))));
        Assert.That(job.Body.Attribute("count")!.Value, Is.EqualTo(V(3)), "the default is converted to the declared type");
    }

    [Test]
    public void Each_source_overrides_the_one_before()
    {
        var env = new Dictionary<string, string> { ["NOMAD_VAR_region"] = "from-env", ["NOMAD_VAR_undeclared"] = "ignored", ["HOME"] = "/root" };
        var file = VarFile("vars.hcl", "region = \"from-file\"\n");
        Assert.That(Attr(RegionJob, "region"), Is.EqualTo(V("from-default")));
        Assert.That(Attr(RegionJob, "region", new JobFileOptions { Environment = env }), Is.EqualTo(V("from-env")));
        Assert.That(Attr(RegionJob, "region", new JobFileOptions { Environment = env, VarFiles = [file] }), Is.EqualTo(V("from-file")));
        Assert.That(Attr(RegionJob, "region", new JobFileOptions
        {
            Environment = env, VarFiles = [file], Vars = new Dictionary<string, string> { ["region"] = "from-arg" },
        }), Is.EqualTo(V("from-arg")));
    }

    [Test]
    public void Later_var_files_override_earlier_ones_and_json_files_are_read()
    {
        var hcl = VarFile("a.hcl", "region = \"from-a\"\n");
        var json = VarFile("b.json", "{\"region\": \"from-json ${x}\"}");
        Assert.That(Attr(RegionJob, "region", new JobFileOptions { VarFiles = [hcl, json] }), Is.EqualTo(V("from-json ${x}")));
        Assert.That(Attr(RegionJob, "region", new JobFileOptions { VarFiles = [json, hcl] }), Is.EqualTo(V("from-a")));
    }

    private static readonly object[] TypedValues =
    [
        new object[] { "number", "5", V(5) },
        new object[] { "string", "5", V("5") },
        new object[] { "bool", "true", V(true) },
        new object[] { "list(number)", "[80, \"443\"]", ListV(HclType.Number, V(80), V(443)) },
        new object[] { "set(string)", "[\"b\", \"a\", \"b\"]", SetValue.Create(HclType.String, [V("a"), V("b")]) },
        new object[] { "map(string)", "{ a = 1 }", MapV(HclType.String, ("a", V("1"))) },
        new object[] { "object({ name = string, n = number })", "{ name = \"x\", n = \"2\" }", ObjV(("n", V(2)), ("name", V("x"))) },
        new object[] { "tuple([string, bool])", "[1, \"false\"]", TupleV(V("1"), V(false)) },
        new object[] { "any", "[1, \"a\"]", TupleV(V(1), V("a")) },
    ];

    [TestCaseSource(nameof(TypedValues))]
    public void A_var_value_is_text_for_strings_and_numbers_and_an_expression_otherwise(string type, string text, Value want)
    {
        var hcl = $"variable \"v\" {{\n  type = {type}\n}}\njob \"j\" {{\n  x = var.v\n}}\n";
        Assert.That(Attr(hcl, "x", new JobFileOptions { Vars = new Dictionary<string, string> { ["v"] = text } }), Is.EqualTo(want));
        Assert.That(Attr(hcl, "x", new JobFileOptions { Environment = new Dictionary<string, string> { ["NOMAD_VAR_v"] = text } }), Is.EqualTo(want));
    }

    [Test]
    public void An_untyped_variable_takes_var_text_as_a_string() =>
        Assert.That(Attr("variable \"v\" {}\njob \"j\" {\n  x = var.v\n}\n", "x",
            new JobFileOptions { Vars = new Dictionary<string, string> { ["v"] = "[1, 2]" } }), Is.EqualTo(V("[1, 2]")));

    [Test]
    public void A_variable_typed_by_its_default_converts_what_it_is_given() =>
        Assert.That(Attr("variables {\n  n = 1\n}\njob \"j\" {\n  x = var.n\n}\n", "x",
            new JobFileOptions { Vars = new Dictionary<string, string> { ["n"] = "7" } }), Is.EqualTo(V(7)));

    [Test]
    public void Var_file_values_are_converted_to_the_declared_type()
    {
        var file = VarFile("vars.hcl", "ports = [80, 443]\nlabels = { a = 1 }\n");
        var job = Job("""
            variable "ports" { type = list(string) }
            variable "labels" { type = map(string) }
            job "j" {
              ports  = var.ports
              labels = var.labels
            }
            """, new JobFileOptions { VarFiles = [file] });
        Assert.That(job.Body.Attribute("ports")!.Value, Is.EqualTo(ListV(HclType.String, V("80"), V("443"))));
        Assert.That(job.Body.Attribute("labels")!.Value, Is.EqualTo(MapV(HclType.String, ("a", V("1")))));
    }

    // ---- variable errors ----

    [Test]
    public void Unset_variable_without_default_is_named() =>
        Assert.That(Error("variable \"image\" {\n  type = string\n}\njob \"j\" {\n  x = var.image\n}\n"),
            Is.EqualTo("t.hcl:1,1: Unset variable \"image\"; A used variable must be set or have a default value; see https://www.nomadproject.io/docs/job-specification/hcl2/variables for details."));

    [Test]
    public void Undeclared_var_is_an_error() =>
        Assert.That(Error(RegionJob, new JobFileOptions { Vars = new Dictionary<string, string> { ["nope"] = "1" } }),
            Is.EqualTo("Undefined -var variable; A \"nope\" variable was passed in the command line but was not found in known variables. To declare variable \"nope\", place this block in your job file"));

    [Test]
    public void Undeclared_variable_in_a_var_file_is_an_error()
    {
        var file = VarFile("vars.hcl", "region = \"x\"\nnope = 1\n");
        Assert.That(Error(RegionJob, new JobFileOptions { VarFiles = [file] }),
            Is.EqualTo($"{file}:2,1: Undefined variable; A \"nope\" variable was set but was not found in known variables. To declare variable \"nope\", place this block in your job files"));
    }

    [Test]
    public void Var_file_errors()
    {
        var declaring = VarFile("decl.hcl", "variable \"region\" {}\n");
        Assert.That(Error(RegionJob, new JobFileOptions { VarFiles = [declaring] }),
            Does.StartWith($"{declaring}:1,1: Variable declaration in a .var file; A .var file is used to assign values"));
        Assert.That(Error(RegionJob, new JobFileOptions { VarFiles = [Path.Combine(_dir, "missing.hcl")] }),
            Does.Contain("Failed to read file; failed to read ").And.Contain("missing.hcl\": no such file or directory"));
        var broken = VarFile("broken.json", "{\"region\": ");
        Assert.That(Error(RegionJob, new JobFileOptions { VarFiles = [broken] }), Does.StartWith($"{broken}:1,").And.Contain("unable to parse var file"));
        var calling = VarFile("call.hcl", "region = upper(\"x\")\n");
        Assert.That(Error(RegionJob, new JobFileOptions { VarFiles = [calling] }),
            Is.EqualTo($"{calling}:1,10: Function calls not allowed; Functions may not be called here."));
    }

    [Test]
    public void Value_that_does_not_fit_the_type_names_the_variable_and_the_source()
    {
        const string hcl = "variable \"n\" {\n  type = number\n}\njob \"j\" {\n  x = var.n\n}\n";
        Assert.That(Error(hcl, new JobFileOptions { Vars = new Dictionary<string, string> { ["n"] = "abc" } }),
            Is.EqualTo("<value for var.n from arguments>:1,1: Invalid argument value for -var variable; The received arg value for n is not compatible with the variable's type constraint: a number is required."));
        Assert.That(Error(hcl, new JobFileOptions { Environment = new Dictionary<string, string> { ["NOMAD_VAR_n"] = "abc" } }),
            Is.EqualTo("<value for var.n from env>:1,1: Invalid value for variable; The value for n is not compatible with the variable's type constraint: a number is required."));
        Assert.That(Error("variable \"n\" {\n  type    = number\n  default = \"x\"\n}\njob \"j\" {}\n"),
            Is.EqualTo("t.hcl:3,13: Invalid default value for variable; This default value is not compatible with the variable's type constraint: a number is required."));
    }

    private static readonly object[] TypeErrors =
    [
        new object[] { "strin", "t.hcl:2,10: Invalid type specification; The keyword \"strin\" is not a valid type specification." },
        new object[] { "list", "t.hcl:2,10: Invalid type specification; The list type constructor requires one argument specifying the element type." },
        new object[] { "\"string\"", "t.hcl:2,10: Invalid type specification; A type specification is either a primitive type keyword (bool, number, string) or a complex type constructor call, like list(string)." },
        new object[] { "string(1)", "t.hcl:2,10: Invalid type specification; Primitive type keyword \"string\" does not expect arguments." },
        new object[] { "lisst(string)", "t.hcl:2,10: Invalid type specification; Keyword \"lisst\" is not a valid type constructor." },
        new object[] { "object(string)", "t.hcl:2,17: Invalid type specification; Object type constructor requires a map whose keys are attribute names and whose values are the corresponding attribute types." },
    ];

    [TestCaseSource(nameof(TypeErrors))]
    public void Type_constraint_errors(string type, string want) =>
        Assert.That(Error($"variable \"v\" {{\n  type = {type}\n  default = null\n}}\njob \"j\" {{}}\n"), Is.EqualTo(want));

    [Test]
    public void Variable_block_schema_errors()
    {
        Assert.That(Error("variable \"v\" {\n  defualt = 1\n}\njob \"j\" {}\n"),
            Does.StartWith("t.hcl:2,3: Unsupported argument; An argument named \"defualt\" is not expected here. Did you mean \"default\"?"));
        Assert.That(Error("variable \"1v\" {\n  default = 1\n}\njob \"j\" {}\n"),
            Is.EqualTo("t.hcl:1,1: Invalid variable name; A name must start with a letter or underscore and may contain only letters, digits, underscores, and dashes."));
        Assert.That(Error("variable \"v\" {\n  default = 1\n}\nvariables {\n  v = 2\n}\njob \"j\" {}\n"),
            Is.EqualTo("t.hcl:5,3: Duplicate variable; Duplicate v variable definition found."));
        Assert.That(Error("variable \"v\" {\n  default = upper(\"a\")\n}\njob \"j\" {}\n"),
            Is.EqualTo("t.hcl:2,13: Function calls not allowed; Functions may not be called here."));
        // A null where text is wanted is a one-line problem, not a crash.
        Assert.That(Error("variable \"v\" {\n  description = null\n  default = 1\n}\njob \"j\" {}\n"), Does.StartWith("t.hcl:2,"));
        Assert.That(Error("variable \"v\" {\n  default = 1\n  validation {\n    condition = var.v > 0\n    error_message = null\n  }\n}\njob \"j\" {}\n"),
            Does.StartWith("t.hcl:5,"));
    }

    // ---- validation ----

    private const string SimpleValidatedJob = """
        variable "count" {
          type    = number
          default = 1
          validation {
            condition     = var.count > 0 && var.count < 10
            error_message = "The count must be between 1 and 9."
          }
        }
        job "j" {
          count = var.count
        }
        """;

    [Test]
    public void Validation_passes_or_reports_its_error_message()
    {
        Assert.That(Attr(SimpleValidatedJob, "count"), Is.EqualTo(V(1)));
        Assert.That(Error(SimpleValidatedJob, new JobFileOptions { Vars = new Dictionary<string, string> { ["count"] = "12" } }),
            Is.EqualTo("<value for var.count from arguments>:1,1: Invalid value for cmd variable; The count must be between 1 and 9. This was checked by the validation rule at t.hcl:4,3."));
        Assert.That(Error(SimpleValidatedJob.Replace("default = 1", "default = 0")),
            Is.EqualTo("t.hcl:3,13: Invalid value for default variable; The count must be between 1 and 9. This was checked by the validation rule at t.hcl:4,3."));
    }

    [Test]
    public void Validation_condition_must_refer_only_to_its_variable()
    {
        Assert.That(Error(SimpleValidatedJob.Replace("var.count > 0 && var.count < 10", "var.count > 0 && local.max > 1")),
            Is.EqualTo("t.hcl:5,38: Invalid reference in variable validation; The condition for variable \"count\" can only refer to the variable itself, using var.count."));
        Assert.That(Error(SimpleValidatedJob.Replace("var.count > 0 && var.count < 10", "true")),
            Is.EqualTo("t.hcl:5,21: Invalid variable validation condition; The condition for variable \"count\" must refer to var.count in order to test incoming values."));
    }

    [Test]
    public void Validation_error_message_must_be_a_sentence()
    {
        Assert.That(Error(SimpleValidatedJob.Replace("\"The count must be between 1 and 9.\"", "\"bad count\"")),
            Does.StartWith("t.hcl:6,21: Invalid validation error message; Validation error message must be at least one full sentence"));
        Assert.That(Error(SimpleValidatedJob.Replace("    error_message = \"The count must be between 1 and 9.\"\n", "")),
            Does.Contain("Missing required argument; The argument \"error_message\" is required, but no definition was found."));
    }

    [Test]
    public void Validation_may_iterate_over_its_variable_and_call_functions()
    {
        const string hcl = """
            variable "ports" {
              type = list(number)
              validation {
                condition     = [for p in var.ports : p if p <= 0] == [] && can(upper(var.ports[0]))
                error_message = "Every port must be positive."
              }
            }
            job "j" {
              ports = var.ports
            }
            """;
        Assert.That(Attr(hcl, "ports", new JobFileOptions { Vars = new Dictionary<string, string> { ["ports"] = "[80, 443]" } }),
            Is.EqualTo(ListV(HclType.Number, V(80), V(443))));
        Assert.That(Error(hcl, new JobFileOptions { Vars = new Dictionary<string, string> { ["ports"] = "[80, 0]" } }),
            Does.Contain("Invalid value for cmd variable; Every port must be positive."));
    }

    [Test]
    public void Nested_type_constraints_convert_deeply() =>
        Assert.That(Attr("""
            variable "services" {
              type = list(object({ name = string, port = number, tags = set(string) }))
              default = [{ name = "web", port = "80", tags = ["b", "a"], extra = true }]
            }
            job "j" {
              x = var.services[0]
            }
            """, "x"), Is.EqualTo(ObjV(("name", V("web")), ("port", V(80)), ("tags", SetValue.Create(HclType.String, [V("a"), V("b")])))));

    [Test]
    public void Validation_result_must_be_a_bool() =>
        Assert.That(Error(SimpleValidatedJob.Replace("var.count > 0 && var.count < 10", "var.count == 1 ? null : true")),
            Is.EqualTo("t.hcl:5,21: Invalid variable validation result; Validation condition expression must return either true or false, not null."));

    // ---- locals ----

    [Test]
    public void Locals_are_evaluated_in_dependency_order_whatever_the_order_written()
    {
        var job = Job("""
            locals {
              fqdn = "${local.name}.${var.domain}"
            }
            variable "domain" {
              default = "example.com"
            }
            locals {
              name  = upper(local.short)
              short = "web"
              rack  = "${meta.rack}"
            }
            job "j" {
              name = local.fqdn
              rack = local.rack
            }
            """);
        Assert.That(job.Body.Attribute("name")!.Value, Is.EqualTo(V("WEB.example.com")));
        Assert.That(job.Body.Attribute("rack")!.Value, Is.EqualTo(V("${meta.rack}")));
    }

    [Test]
    public void A_local_sees_the_locals_evaluated_before_it_in_the_same_pass()
    {
        // jobspec2 stores each local as soon as it has a value, so try() finds `a` rather than falling back;
        // `c` comes first and finds nothing yet, as in Nomad.
        var job = Job("""
            locals {
              c = try(local.a, "fallback")
              a = "x"
              b = try(local.a, "fallback")
            }
            job "j" {
              b = local.b
              c = local.c
            }
            """);
        Assert.That(job.Body.Attribute("b")!.Value, Is.EqualTo(V("x")));
        Assert.That(job.Body.Attribute("c")!.Value, Is.EqualTo(V("fallback")));
    }

    [Test]
    public void Locals_may_hold_collections_built_from_variables()
    {
        var job = Job("""
            variable "regions" {
              default = ["eu", "us"]
            }
            locals {
              by_region = { for i, r in var.regions : r => "dc${i + 1}" }
              primary   = local.by_region[var.regions[0]]
              enabled   = length_known != null ? true : false
            }
            job "j" {
              datacenters = [for r, dc in local.by_region : dc]
              region      = local.primary
            }
            """);
        Assert.That(job.Body.Attribute("datacenters")!.Value, Is.EqualTo(TupleV(V("dc1"), V("dc2"))));
        Assert.That(job.Body.Attribute("region")!.Value, Is.EqualTo(V("dc1")));
    }

    [Test]
    public void Locals_that_refer_to_each_other_are_reported_as_a_cycle()
    {
        var message = Error("locals {\n  a = local.b\n  b = \"${local.a}x\"\n  c = 1\n}\njob \"j\" {}\n");
        Assert.That(message.Split('\n'), Is.EqualTo(new[]
        {
            "t.hcl:2,12: Unsupported attribute; This object does not have an attribute named \"b\".",
            "t.hcl:2,7: Circular reference in locals; The locals local.a, local.b refer to each other, so none of them can be evaluated.",
        }));
    }

    [Test]
    public void Local_errors()
    {
        Assert.That(Error("locals {\n  a = 1\n}\nlocals {\n  a = 2\n}\njob \"j\" {}\n"),
            Is.EqualTo("t.hcl:5,3: Duplicate value in locals; Duplicate a definition found."));
        Assert.That(Error("locals {\n  a = local.nope\n}\njob \"j\" {}\n"),
            Is.EqualTo("t.hcl:2,12: Unsupported attribute; This object does not have an attribute named \"nope\"."));
        Assert.That(Error("locals {\n  x {}\n}\njob \"j\" {}\n"), Is.EqualTo("t.hcl:2,3: Unexpected \"x\" block; Blocks are not allowed here."));
    }

    // ---- the top level ----

    [Test]
    public void Top_level_schema_errors()
    {
        Assert.That(Error("jobs \"j\" {}\n"), Is.EqualTo("t.hcl:1,1: Unsupported block type; Blocks of type \"jobs\" are not expected here. Did you mean \"job\"?"));
        Assert.That(Error("region = \"x\"\njob \"j\" {}\n"), Is.EqualTo("t.hcl:1,1: Unsupported argument; An argument named \"region\" is not expected here."));
        Assert.That(Error("job {}\n"), Is.EqualTo("t.hcl:1,5: Missing name for job; All job blocks must have 1 labels (name)."));
        Assert.That(Error("job \"a\" \"b\" {}\n"), Is.EqualTo("t.hcl:1,1: Extraneous label for job; Only 1 labels (name) are expected for job blocks."));
        Assert.That(Error("locals \"x\" {}\njob \"j\" {}\n"), Is.EqualTo("t.hcl:1,1: Extraneous label for locals; No labels are expected for locals blocks."));
        Assert.That(Error("variables {}\n"), Is.EqualTo("t.hcl: Missing job block; A job block is required"));
        Assert.That(Error("job \"a\" {}\njob \"b\" {}\n"), Is.EqualTo("t.hcl:2,1: Duplicate job block; Only one block of type \"job\" is allowed. Previous definition was at t.hcl:1,1."));
    }

    // ---- the job block ----

    [Test]
    public void Job_block_expressions_functions_and_errors()
    {
        var job = Job("""
            job "example" {
              datacenters = [for s in ["dc1", "dc2"] : upper(s)]
              group "g" {
                count = 3 * 2
              }
            }
            """);
        Assert.That(job.Body.Attribute("datacenters")!.Value, Is.EqualTo(TupleV(V("DC1"), V("DC2"))));
        Assert.That(job.Body.BlocksOfType("group").Single().Body.Attribute("count")!.Value, Is.EqualTo(V(6)));
        Assert.That(Error("job \"j\" {\n  group \"g\" {\n    count = var.nope\n  }\n}\n"),
            Is.EqualTo("t.hcl:3,16: Unsupported attribute; This object does not have an attribute named \"nope\"."));
    }

    private static readonly object[] RuntimeReferences =
    [
        new object[] { "plain" },
        new object[] { "foo-${BAR}" },
        new object[] { "foo-${attr.network.dev-us-east1-relay-vpc.external-ip.0}" },
        new object[] { "${env[\"BLAH\"]}" },
        new object[] { "${mixed-indexing.0[3][\"FOO\"].5}" },
        new object[] { "${NOMAD_ALLOC_INDEX}" },
        new object[] { "http://${NOMAD_ADDR_http}/x" },
        new object[] { "${node.unique.id}" },
        new object[] { "$${literal}" },
    ];

    [TestCaseSource(nameof(RuntimeReferences))]
    public void Runtime_references_are_left_for_the_client_as_written(string written)
    {
        var want = written.Replace("$${", "${");
        Assert.That(Attr($"job \"example\" {{\n  region = \"{written}\"\n}}\n", "region"), Is.EqualTo(V(want)));
    }

    [Test]
    public void An_unquoted_runtime_reference_becomes_its_interpolation() =>
        Assert.That(Attr("job \"example\" {\n  region = meta.mytest\n}\n", "region"), Is.EqualTo(V("${meta.mytest}")));

    [Test]
    public void Dynamic_groups_as_in_nomads_own_test()
    {
        var job = Job("""
            job "example" {
              dynamic "group" {
                for_each = [
                  { name = "groupA", idx = 1 },
                  { name = "groupB", idx = 2 },
                ]
                labels = [group.value.name]
                content {
                  count = group.value.idx
                  task "simple" {
                    driver = "raw_exec"
                    env {
                      ID   = "id:${group.value.idx}"
                      HOST = "${attr.unique.hostname}"
                    }
                  }
                }
              }
            }
            """);
        var groups = job.Body.BlocksOfType("group").ToList();
        Assert.That(groups.Select(g => g.Labels.Single()), Is.EqualTo(new[] { "groupA", "groupB" }));
        Assert.That(groups.Select(g => g.Body.Attribute("count")!.Value), Is.EqualTo(new[] { V(1), V(2) }));
        var env = groups[1].Body.BlocksOfType("task").Single().Body.BlocksOfType("env").Single().Body;
        Assert.That(env.Attribute("ID")!.Value, Is.EqualTo(V("id:2")));
        Assert.That(env.Attribute("HOST")!.Value, Is.EqualTo(V("${attr.unique.hostname}")));
    }
}
