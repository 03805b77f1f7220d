using System.Text.Json;
using Nomad.Agent.Jobspec;

namespace Nomad.Cli.Tests;

/// <summary>`nomad job run` against a scripted API over a real socket: what it sends, what it prints, how it exits.</summary>
public class JobRunCommandTests
{
    private const string EvalId = "5a6c5f3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f";
    private const string Alloc = """[{"ID":"8ba85cef-6b4a-4a4b-8f3c-1e2d3c4b5a69","NodeID":"171a583b-4e52-7b1b-88ad-7c1c7a3c8b2e","TaskGroup":"example","DesiredStatus":"run","ClientStatus":"pending","CreateIndex":12}]""";

    private string _dir = "";
    private string JobPath => Path.Combine(_dir, "example.nomad");

    [SetUp]
    public void WriteJob()
    {
        _dir = Directory.CreateTempSubdirectory("nomad-cli-run-").FullName;
        File.WriteAllText(JobPath, JobspecExamples.Init);
    }

    [TearDown]
    public void RemoveJob() => Directory.Delete(_dir, recursive: true);

    private static async Task<(int Code, string Out, string Err)> NomadAsync(params string[] args)
    {
        var stdout = new StringWriter { NewLine = "\n" };
        var stderr = new StringWriter { NewLine = "\n" };
        var code = await NomadCli.RunAsync(args, stdout, stderr);
        return (code, stdout.ToString(), stderr.ToString());
    }

    /// <summary>The evaluation is pending on the first look and complete with one allocation on the second.</summary>
    private static void ScriptEvaluation(ScriptedApi api, string completeEval)
    {
        var looks = 0;
        api.On($"GET /v1/evaluation/{EvalId}", (_, _) => Interlocked.Increment(ref looks) == 1
            ? (200, $$"""{"ID":"{{EvalId}}","JobID":"example","Status":"pending","CreateIndex":10}""", 10UL)
            : (200, completeEval, 13UL));
        api.On($"GET /v1/evaluation/{EvalId}/allocations", (_, _) => looks <= 1 ? (200, "[]", 10UL) : (200, Alloc, 13UL));
    }

    [Test]
    public async Task Registers_the_job_and_monitors_its_evaluation_to_completion()
    {
        using var api = new ScriptedApi();
        api.On("PUT /v1/jobs", $$"""{"EvalID":"{{EvalId}}","EvalCreateIndex":10,"JobModifyIndex":10,"Warnings":""}""");
        ScriptEvaluation(api, $$"""{"ID":"{{EvalId}}","JobID":"example","Status":"complete","CreateIndex":10}""");

        var (code, stdout, stderr) = await NomadAsync("job", "run", "-address", api.Address, JobPath);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo(
            "==> Monitoring evaluation \"5a6c5f3e\"\n" +
            "    Evaluation triggered by job \"example\"\n" +
            "    Allocation \"8ba85cef\" created: node \"171a583b\", group \"example\"\n" +
            "    Evaluation status changed: \"pending\" -> \"complete\"\n" +
            "==> Evaluation \"5a6c5f3e\" finished with status \"complete\"\n"));

        var register = api.Requests.First(r => r.Request.StartsWith("PUT /v1/jobs", StringComparison.Ordinal));
        using var body = JsonDocument.Parse(register.Body);
        var job = body.RootElement.GetProperty("Job");
        Assert.That(job.GetProperty("ID").GetString(), Is.EqualTo("example"));
        Assert.That(job.GetProperty("TaskGroups")[0].GetProperty("Tasks")[0].GetProperty("Driver").GetString(), Is.EqualTo("raw_exec"));
        Assert.That(body.RootElement.TryGetProperty("EnforceIndex", out _), Is.False);
        Assert.That(api.Requests.Any(r => r.Request.Contains("index=10", StringComparison.Ordinal)), "the monitor waits with a blocking query");
    }

    [Test]
    public async Task Failed_placements_are_explained_and_exit_2()
    {
        using var api = new ScriptedApi();
        api.On("PUT /v1/jobs", $$"""{"EvalID":"{{EvalId}}"}""");
        ScriptEvaluation(api, """
            {"ID":"5a6c5f3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f","JobID":"example","Status":"complete","CreateIndex":10,
             "BlockedEval":"c6a6d4f9-0000-0000-0000-000000000000",
             "FailedTGAllocs":{"example":{"NodesEvaluated":1,"NodesExhausted":1,"DimensionExhausted":{"memory":1},"CoalescedFailures":0}}}
            """);

        var (code, stdout, _) = await NomadAsync("run", "-address", api.Address, JobPath);

        Assert.That(code, Is.EqualTo(2));
        Assert.That(stdout, Does.EndWith(
            "==> Evaluation \"5a6c5f3e\" finished with status \"complete\" but failed to place all allocations:\n" +
            "    Task Group \"example\" (failed to place 1 allocation):\n" +
            "      * Resources exhausted on 1 nodes\n" +
            "      * Dimension \"memory\" exhausted on 1 nodes\n" +
            "    Evaluation \"c6a6d4f9\" waiting for additional capacity to place remainder\n"));
    }

    [Test]
    public async Task Detach_prints_the_evaluation_and_check_index_is_enforced()
    {
        using var api = new ScriptedApi();
        api.On("PUT /v1/jobs", $$"""{"EvalID":"{{EvalId}}"}""");

        var (code, stdout, stderr) = await NomadAsync("job", "run", "-detach", "-check-index", "7", "-address", api.Address, JobPath);

        Assert.That(code, Is.Zero, stderr);
        Assert.That(stdout, Is.EqualTo($"Job registration successful\nEvaluation ID: {EvalId}\n"));
        using var body = JsonDocument.Parse(api.Requests.Single().Body);
        Assert.That(body.RootElement.GetProperty("EnforceIndex").GetBoolean(), Is.True);
        Assert.That(body.RootElement.GetProperty("JobModifyIndex").GetUInt64(), Is.EqualTo(7));
    }

    [Test]
    public async Task A_stale_check_index_says_the_job_was_not_updated()
    {
        using var api = new ScriptedApi();
        api.On("PUT /v1/jobs", (_, _) => (500, "Enforcing job modify index 7: job exists with conflicting job modify index: 9", 0UL));

        var (code, _, stderr) = await NomadAsync("job", "run", "-check-index", "7", "-address", api.Address, JobPath);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Is.EqualTo("Enforcing job modify index 7: job exists with conflicting job modify index: 9\nJob not updated\n"));
    }

    [Test]
    public async Task An_unreachable_agent_is_one_line_and_exit_1()
    {
        var (code, _, stderr) = await NomadAsync("job", "run", "-address", "http://127.0.0.1:1", JobPath);

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Is.EqualTo("Error submitting job: Put \"http://127.0.0.1:1/v1/jobs\": dial tcp 127.0.0.1:1: connect: connection refused\n"));
    }

    [Test]
    public async Task Status_lists_no_jobs_and_stop_resolves_a_prefix_only_with_confirmation()
    {
        using var api = new ScriptedApi();
        api.On("GET /v1/jobs", "[]");
        var (code, stdout, _) = await NomadAsync("status", "-address", api.Address);
        Assert.That(code, Is.Zero);
        Assert.That(stdout, Is.EqualTo("No running jobs\n"));

        var (missing, _, err) = await NomadAsync("job", "stop", "-address", api.Address, "nope");
        Assert.That(missing, Is.EqualTo(1));
        Assert.That(err, Is.EqualTo("No job(s) with prefix or id \"nope\" found\n"));
    }

    [Test]
    public async Task Ambiguous_alloc_prefix_lists_the_candidates()
    {
        using var api = new ScriptedApi();
        api.On("GET /v1/allocations", """
            [{"ID":"8ba85cef-0000-0000-0000-000000000001","NodeID":"171a583b-0000","TaskGroup":"cache","DesiredStatus":"run","ClientStatus":"running"},
             {"ID":"8ba85cef-0000-0000-0000-000000000002","NodeID":"171a583b-0000","TaskGroup":"cache","DesiredStatus":"run","ClientStatus":"running"}]
            """);

        var (code, _, stderr) = await NomadAsync("alloc", "status", "-address", api.Address, "8ba");

        Assert.That(code, Is.EqualTo(1));
        Assert.That(stderr, Does.StartWith("Prefix matched multiple allocations\n\nID        Node ID   Task Group"));
        Assert.That(api.Requests.Single().Request, Is.EqualTo("GET /v1/allocations?prefix=8b"), "an odd hex digit is dropped, as Nomad does");

        var (short1, _, tooShort) = await NomadAsync("alloc", "status", "-address", api.Address, "8");
        Assert.That(short1, Is.EqualTo(1));
        Assert.That(tooShort, Is.EqualTo("Identifier must contain at least two characters.\n"));
    }
}
