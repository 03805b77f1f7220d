using System.Net;
using System.Text.Json.Nodes;

namespace Nomad.Agent.Tests.Http;

/// <summary>
/// Job files over the HTTP API against a real dev server: /v1/jobs/parse (HCL2 or HCLv1, with or without Canonicalize),
/// /v1/validate/job, and registration refusing a stanza this agent cannot run yet instead of dropping it.
/// </summary>
public sealed class JobFileApiTests
{
    private ApiServer _api = null!;

    [SetUp]
    public async Task Start() => _api = await ApiServer.StartAsync();

    [TearDown]
    public async Task Stop() => await _api.DisposeAsync();

    private const string Hcl2Job = """
        locals {
          replicas = 2 * 3
        }
        job "web" {
          datacenters = ["dc1"]
          group "g" {
            count = local.replicas
            task "t" {
              driver = "raw_exec"
              config {
                command = "/bin/echo"
                args    = [upper("x"), "${NOMAD_ALLOC_INDEX}"]
              }
            }
          }
        }
        """;

    [Test]
    public async Task Parse_evaluates_HCL2_and_keeps_runtime_references_for_the_client()
    {
        var job = (await _api.PutAsync("/v1/jobs/parse", new { JobHCL = Hcl2Job, Canonicalize = true }))!;
        var group = job["TaskGroups"]![0]!;
        Assert.That(group["Count"]!.GetValue<int>(), Is.EqualTo(6));
        Assert.That(group["Tasks"]![0]!["Config"]!["args"]!.ToJsonString(), Is.EqualTo("""["X","${NOMAD_ALLOC_INDEX}"]"""));
        Assert.That(job["Priority"]!.GetValue<int>(), Is.EqualTo(50), "canonicalized: Nomad's default priority");
    }

    [Test]
    public async Task Parse_without_canonicalize_leaves_what_the_file_did_not_set_null()
    {
        var job = (await _api.PutAsync("/v1/jobs/parse", new { JobHCL = Hcl2Job }))!.AsObject();
        Assert.That(job.ContainsKey("Priority") && job["Priority"] is null, "Priority is present and null");
        Assert.That(job["TaskGroups"]![0]!["RestartPolicy"], Is.Null);
    }

    [Test]
    public async Task Parse_with_hclv1_reads_literals_only()
    {
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs/parse", new { JobHCL = Hcl2Job, hclv1 = true });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.StartWith("input.hcl:1,1: "), text);
        Assert.That(text, Does.Not.Contain("\n"));

        var job = (await _api.PutAsync("/v1/jobs/parse", new { JobHCL = "job \"a\" {\n  meta {\n    x = \"${var.y}\"\n  }\n}\n", hclv1 = true }))!;
        Assert.That(job["Meta"]!["x"]!.GetValue<string>(), Is.EqualTo("${var.y}"), "HCL1 keeps ${...} as written");
    }

    [Test]
    public async Task Parse_refuses_filesystem_functions_and_reports_unset_variables()
    {
        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs/parse",
            new { JobHCL = "job \"a\" {\n  meta {\n    x = file(\"/etc/hostname\")\n  }\n}\n" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("input.hcl:3,").And.Contain("disabled"));

        (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs/parse",
            new { JobHCL = "variable \"n\" {\n  type = number\n}\njob \"a\" {\n  priority = var.n\n}\n" });
        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("\"n\""), text);
    }

    [Test]
    public async Task Registering_a_stanza_that_cannot_run_yet_is_refused_and_nothing_is_registered()
    {
        var job = JobApiTests.JobJson("svc");
        job["TaskGroups"]![0]!["Services"] = new JsonArray(new JsonObject { ["Name"] = "web", ["PortLabel"] = "http" });

        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = job }.ToJsonString());

        Assert.That(status, Is.EqualTo(HttpStatusCode.BadRequest));
        Assert.That(text, Does.Contain("group \"web\" service is not supported yet"));
        Assert.That(text, Does.Not.Contain("\n"));
        var (lookup, _) = await _api.SendAsync(HttpMethod.Get, "/v1/job/svc");
        Assert.That(lookup, Is.EqualTo(HttpStatusCode.NotFound), "nothing was registered");

        (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/job/svc/plan", new JsonObject { ["Job"] = job.DeepClone() }.ToJsonString());
        Assert.That((status, text.Contains("service is not supported yet")), Is.EqualTo((HttpStatusCode.BadRequest, true)), text);
    }

    /// <summary>
    /// Nomad's CLI copies VAULT_TOKEN / CONSUL_HTTP_TOKEN into every job it sends, and other tools send explicit nulls:
    /// neither is a stanza, and neither may turn a plain job away (or into a 500).
    /// </summary>
    [Test]
    public async Task Tokens_from_the_environment_and_explicit_nulls_do_not_refuse_a_plain_job()
    {
        var job = JobApiTests.JobJson("plain");
        job["VaultToken"] = "s.token";
        job["ConsulToken"] = "c-token";
        job["TaskGroups"]![0]!["Tasks"]![0]!["Kind"] = null;
        job["TaskGroups"]![0]!["Networks"] = new JsonArray(new JsonObject { ["Hostname"] = null, ["DynamicPorts"] = new JsonArray(new JsonObject { ["Label"] = "http", ["HostNetwork"] = null }) });

        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/jobs", new JsonObject { ["Job"] = job }.ToJsonString());

        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
    }

    [Test]
    public async Task What_parse_returns_registers_as_it_is()
    {
        var job = (await _api.PutAsync("/v1/jobs/parse", new { JobHCL = Hcl2Job, Canonicalize = true }))!;
        var reg = (await _api.PutAsync("/v1/jobs", new JsonObject { ["Job"] = job.DeepClone() }.ToJsonString()))!;
        Assert.That(reg["EvalID"]!.GetValue<string>(), Is.Not.Empty);
        var stored = (await _api.GetAsync("/v1/job/web"))!;
        Assert.That(stored["TaskGroups"]![0]!["Count"]!.GetValue<int>(), Is.EqualTo(6));
    }

    [Test]
    public async Task Validate_job_reports_problems_without_registering()
    {
        var bad = JobApiTests.JobJson("bad");
        bad["TaskGroups"]![0]!["Count"] = -1;
        var report = (await _api.PutAsync("/v1/validate/job", new JsonObject { ["Job"] = bad }.ToJsonString()))!;
        var errors = report["ValidationErrors"]!.AsArray().Select(e => e!.GetValue<string>()).ToList();
        Assert.That(errors, Has.Some.Contains("count"));
        Assert.That(report["Error"]!.GetValue<string>(), Does.StartWith($"{errors.Count} error(s) occurred:"));
        var (lookup, _) = await _api.SendAsync(HttpMethod.Get, "/v1/job/bad");
        Assert.That(lookup, Is.EqualTo(HttpStatusCode.NotFound));

        var good = (await _api.PutAsync("/v1/validate/job", new JsonObject { ["Job"] = JobApiTests.JobJson("good") }.ToJsonString()))!;
        Assert.That(good["ValidationErrors"]!.AsArray(), Is.Empty);
        Assert.That(good["Error"]!.GetValue<string>(), Is.Empty);
        Assert.That(good["DriverConfigValidated"]!.GetValue<bool>(), Is.True);

        var (status, text) = await _api.SendAsync(HttpMethod.Put, "/v1/validate/job", new JsonObject().ToJsonString());
        Assert.That((status, text), Is.EqualTo((HttpStatusCode.BadRequest, "Job must be specified")));
    }
}
