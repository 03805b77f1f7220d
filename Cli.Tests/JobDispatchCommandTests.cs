using System.Text;
using System.Text.Json;

namespace Nomad.Cli.Tests;

/// <summary>`nomad job dispatch` and `job status` of a parameterized job against a scripted API over a real socket.</summary>
public class JobDispatchCommandTests
{
    private const string EvalId = "6432e0a0-1f2b-4c3d-9e8f-0a1b2c3d4e5f";
    private const string ChildId = "dispatcher/dispatch-1796658494-8feee844";
    private const string Stubs = """[{"ID":"dispatcher","ParentID":"","Type":"batch","ParameterizedJob":true,"Status":"running"},{"ID":"dispatcher/dispatch-1796658494-8feee844","ParentID":"dispatcher","Type":"batch","ParameterizedJob":false,"Status":"running"}]""";

    private string _dir = "";

    [SetUp]
    public void CreateDir() => _dir = Directory.CreateTempSubdirectory("nomad-cli-dispatch-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> NomadAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await NomadCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    private static ScriptedApi Api()
    {
        var api = new ScriptedApi();
        // As the server: only the jobs whose ID starts with ?prefix=.
        api.On("GET /v1/jobs", (request, _) =>
        {
            var prefix = request.QueryString["prefix"] ?? "";
            var listed = JsonDocument.Parse(Stubs).RootElement.EnumerateArray()
                .Where(j => j.GetProperty("ID").GetString()!.StartsWith(prefix, StringComparison.Ordinal)).Select(j => j.GetRawText());
            return (200, "[" + string.Join(",", listed) + "]", 1UL);
        });
        api.On("PUT /v1/job/dispatcher/dispatch",
            $$"""{"DispatchedJobID":"{{ChildId}}","EvalID":"{{EvalId}}","EvalCreateIndex":20,"JobCreateIndex":20,"Index":20}""");
        return api;
    }

    [Test]
    public async Task Dispatches_with_meta_and_a_payload_file_and_prints_the_child_and_its_evaluation()
    {
        using var api = Api();
        var payload = Path.Combine(_dir, "payload.txt");
        File.WriteAllText(payload, "hello payload\n");

        var (code, stdout, stderr) = await NomadAsync("job", "dispatch", "-address", api.Address, "-detach", "-meta", "x=1", "-meta", "y=a=b", "dispatcher", payload);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo(
            "Dispatched Job ID = dispatcher/dispatch-1796658494-8feee844\n" +
            "Evaluation ID     = 6432e0a0\n"));
        var body = JsonDocument.Parse(api.Requests.Single(r => r.Request.StartsWith("PUT ", StringComparison.Ordinal)).Body).RootElement;
        Assert.That(Encoding.UTF8.GetString(Convert.FromBase64String(body.GetProperty("Payload").GetString()!)), Is.EqualTo("hello payload\n"));
        Assert.That(body.GetProperty("Meta").GetRawText(), Is.EqualTo("""{"x":"1","y":"a=b"}"""));
        Assert.That(body.TryGetProperty("IdPrefixTemplate", out _), Is.False);
    }

    [Test]
    public async Task An_idempotency_token_goes_in_the_query_and_an_answer_without_evaluation_prints_only_the_job()
    {
        using var api = Api();
        api.On("PUT /v1/job/dispatcher/dispatch", $$"""{"DispatchedJobID":"{{ChildId}}","EvalID":"","JobCreateIndex":20,"Index":21}""");
        var (code, stdout, stderr) = await NomadAsync("job", "dispatch", "-address", api.Address, "-idempotency-token", "once", "-meta", "x=1", "dispatcher");
        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo("Dispatched Job ID = dispatcher/dispatch-1796658494-8feee844\n"));
        Assert.That(api.Requests.Select(r => r.Request), Has.Some.EqualTo("PUT /v1/job/dispatcher/dispatch?idempotency_token=once"));
    }

    [Test]
    public async Task A_refused_dispatch_prints_the_servers_reason_and_exits_1()
    {
        using var api = Api();
        api.On("PUT /v1/job/dispatcher/dispatch", (_, _) => (400, "Dispatch did not provide required meta keys: [x]", 0UL));
        var (code, stdout, stderr) = await NomadAsync("job", "dispatch", "-address", api.Address, "dispatcher");
        Assert.That((code, stdout), Is.EqualTo((1, "")));
        Assert.That(stderr, Is.EqualTo("Failed to dispatch job: Unexpected response code: 400 (Dispatch did not provide required meta keys: [x])\n"));
    }

    [Test]
    public async Task Bad_arguments_are_one_line_errors_before_anything_is_sent()
    {
        using var api = Api();
        var (code, _, stderr) = await NomadAsync("job", "dispatch", "-address", api.Address, "-meta", "novalue", "dispatcher");
        Assert.That((code, stderr), Is.EqualTo((1, "Error parsing meta value: novalue\n")));
        (code, _, stderr) = await NomadAsync("job", "dispatch", "-address", api.Address, "dispatcher", Path.Combine(_dir, "missing"));
        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.StartWith("Error reading input data: "));
        Assert.That(api.Requests, Is.Empty);
        (code, _, stderr) = await NomadAsync("job", "dispatch", "-address", api.Address, "dispatcher/dispatch");
        Assert.That((code, stderr), Is.EqualTo((1, "No job(s) with prefix or id \"dispatcher/dispatch\" found\n")), "only parameterized jobs are candidates");
    }

    [Test]
    public async Task Status_of_a_parameterized_job_shows_its_rules_children_summary_and_dispatched_jobs()
    {
        using var api = Api();
        api.On("GET /v1/job/dispatcher", """
            {"ID":"dispatcher","Name":"dispatcher","Type":"batch","Priority":50,"Datacenters":["dc1"],"Namespace":"default","Status":"running",
             "ParameterizedJob":{"Payload":"optional","MetaRequired":["x"],"MetaOptional":null},"SubmitTime":1796658494000000000}
            """);
        api.On("GET /v1/job/dispatcher/summary", """{"JobID":"dispatcher","Summary":{"work":{}},"Children":{"Pending":0,"Running":1,"Dead":0}}""");

        var (code, stdout, stderr) = await NomadAsync("job", "status", "-address", api.Address, "dispatcher");

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("Periodic      = false\nParameterized = true\n"));
        Assert.That(stdout[stdout.IndexOf("\n\nParameterized Job\n", StringComparison.Ordinal)..], Is.EqualTo(
            "\n\nParameterized Job\n" +
            "Payload           = optional\n" +
            "Required Metadata = x\n" +
            "Optional Metadata = <none>\n" +
            "\n" +
            "Parameterized Job Summary\n" +
            "Pending  Running  Dead\n" +
            "0        1        0\n" +
            "\n" +
            "Dispatched Jobs\n" +
            "ID                                       Status\n" +
            "dispatcher/dispatch-1796658494-8feee844  running\n"));
        Assert.That(api.Requests.Select(r => r.Request), Has.Some.EqualTo("GET /v1/jobs?prefix=dispatcher%2Fdispatch-"));
    }

    [Test]
    public async Task Status_of_a_dispatched_job_reads_as_an_ordinary_job_that_is_not_parameterized()
    {
        using var api = Api();
        const string escaped = "dispatcher%2Fdispatch-1796658494-8feee844";
        api.On($"GET /v1/job/{escaped}", $$"""
            {"ID":"{{ChildId}}","Name":"{{ChildId}}","Type":"batch","Priority":50,"Datacenters":["dc1"],"Namespace":"default","Status":"running",
             "ParentID":"dispatcher","Dispatched":true,"ParameterizedJob":{"Payload":"optional","MetaRequired":["x"]},"SubmitTime":1796658494000000000}
            """);
        api.On($"GET /v1/job/{escaped}/summary", """{"JobID":"x","Summary":{"work":{"Running":1}},"Children":{"Pending":0,"Running":0,"Dead":0}}""");
        api.On($"GET /v1/job/{escaped}/allocations", "[]");
        api.On($"GET /v1/job/{escaped}/evaluations", "[]");

        var (code, stdout, stderr) = await NomadAsync("job", "status", "-address", api.Address, ChildId);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Does.Contain("Periodic      = false\nParameterized = false\n\nSummary\nTask Group  Queued  Starting  Running"));
        Assert.That(stdout, Does.Not.Contain("Dispatched Jobs"));
    }
}
