using System.Net;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json.Nodes;
using Nomad.IntegrationTests.Harness;

namespace Nomad.IntegrationTests;

/// <summary>
/// Parameterized jobs on a real `nomad agent -dev` with raw_exec: a dispatch's payload reaches the task as
/// local/input.txt and its meta as NOMAD_META_*, through the API and through `nomad job dispatch` (file and stdin);
/// each refused dispatch is a one-line 400 that registers nothing.
/// </summary>
[TestFixture]
public sealed class DispatchTests
{
    private static readonly TimeSpan Timeout = TimeSpan.FromSeconds(60);
    private AgentProcess _agent = null!;
    private string _dir = "";

    private const string JobFile = """
        job "dispatcher" {
          datacenters = ["dc1"]
          type        = "batch"

          parameterized {
            payload       = "optional"
            meta_required = ["x"]
            meta_optional = ["y"]
          }

          meta {
            owner = "ops"
          }

          group "work" {
            task "work" {
              driver = "raw_exec"
              config {
                command = "/bin/sh"
                args    = ["-c", "cat \"$NOMAD_TASK_DIR/input.txt\"; echo \"|x=$NOMAD_META_x X=$NOMAD_META_X owner=$NOMAD_META_owner\""]
              }
              dispatch_payload {
                file = "input.txt"
              }
              resources {
                cpu    = 50
                memory = 32
              }
            }
          }
        }
        """;

    [OneTimeSetUp]
    public async Task StartAgentAndRegister()
    {
        _agent = AgentProcess.Start(["-dev"]);
        await _agent.WaitForReadyNodeAsync();
        _dir = Directory.CreateTempSubdirectory("nomad-it-dispatch-").FullName;
        File.WriteAllText(Path.Combine(_dir, "param.nomad"), JobFile);
        var run = await Nomad("job", "run", "param.nomad");
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        Assert.That(run.Stdout.Trim(), Is.EqualTo("Job registration successful"));
    }

    [OneTimeTearDown]
    public async Task Stop()
    {
        await _agent.DisposeAsync();
        Directory.Delete(_dir, recursive: true);
    }

    private Task<CliResult> Nomad(params string[] args) => CliRun.RunInAsync(_dir, _agent.Address, args);

    private async Task<(HttpStatusCode Status, string Body)> PutAsync(string path, string body)
    {
        using var response = await _agent.Http.PutAsync(path, new StringContent(body, Encoding.UTF8, "application/json"));
        return (response.StatusCode, await response.Content.ReadAsStringAsync());
    }

    /// <summary>Waits for the dispatched job's one allocation to complete and returns what its task printed.</summary>
    private async Task<string> OutputOfAsync(string childId)
    {
        var allocId = await Eventually.WaitAsync(async () =>
        {
            var allocs = JsonNode.Parse(await _agent.Http.GetStringAsync($"/v1/job/{Uri.EscapeDataString(childId)}/allocations"))!.AsArray();
            return allocs.Count == 1 && allocs[0]!["ClientStatus"]!.GetValue<string>() == "complete" ? allocs[0]!["ID"]!.GetValue<string>() : null;
        }, Timeout, $"{childId}'s allocation to complete");
        var logs = await Nomad("alloc", "logs", allocId, "work");
        Assert.That(logs.ExitCode, Is.Zero, logs.Stderr);
        return logs.Stdout;
    }

    [Test]
    public async Task A_dispatch_through_the_api_gives_the_task_its_payload_file_and_meta()
    {
        var body = new JsonObject
        {
            ["Payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("hello payload")),
            ["Meta"] = new JsonObject { ["x"] = "1" },
        }.ToJsonString();
        var (status, text) = await PutAsync("/v1/job/dispatcher/dispatch", body);
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        var reply = JsonNode.Parse(text)!;
        var childId = reply["DispatchedJobID"]!.GetValue<string>();
        Assert.That(childId, Does.Match("^dispatcher/dispatch-[0-9]+-[0-9a-f]{8}$"));
        Assert.That(reply["EvalID"]!.GetValue<string>(), Has.Length.EqualTo(36));

        Assert.That(await OutputOfAsync(childId), Is.EqualTo("hello payload|x=1 X=1 owner=ops\n"));

        var status2 = await Nomad("job", "status", "dispatcher");
        Assert.That(status2.ExitCode, Is.Zero, status2.Stderr);
        Assert.That(status2.Stdout, Does.Contain("Parameterized = true\n"));
        Assert.That(status2.Stdout, Does.Contain("\nParameterized Job\nPayload           = optional\nRequired Metadata = x\nOptional Metadata = y\n"));
        Assert.That(status2.Stdout, Does.Contain("\nParameterized Job Summary\nPending  Running  Dead\n"));
        Assert.That(status2.Stdout, Does.Match($"\nDispatched Jobs\nID +Status\n(.*\n)*{childId} +dead\n"));
    }

    [DllImport("libc")] private static extern uint geteuid();

    [Test]
    public async Task An_exec_task_reads_its_payload_inside_its_chroot_as_nobody()
    {
        if (geteuid() != 0) Assert.Ignore("the exec driver needs root (not root here)");
        var nodes = JsonNode.Parse(await _agent.Http.GetStringAsync("/v1/nodes"))!.AsArray();
        var node = JsonNode.Parse(await _agent.Http.GetStringAsync("/v1/node/" + nodes[0]!["ID"]!.GetValue<string>()))!;
        if (node["Drivers"]?["exec"]?["Healthy"]?.GetValue<bool>() != true)
            Assert.Ignore($"the exec driver is not healthy here: {node["Drivers"]?["exec"]?["HealthDescription"]}");
        File.WriteAllText(Path.Combine(_dir, "exec.nomad"), JobFile.Replace("job \"dispatcher\"", "job \"dispatcher-exec\"")
            .Replace("driver = \"raw_exec\"", "driver = \"exec\"").Replace("cat \\\"$NOMAD_TASK_DIR/input.txt\\\"", "cat /local/input.txt; id -un"));
        var run = await Nomad("job", "run", "exec.nomad");
        Assert.That(run.ExitCode, Is.Zero, run.Stderr);

        var body = new JsonObject { ["Payload"] = Convert.ToBase64String(Encoding.UTF8.GetBytes("in a chroot\n")), ["Meta"] = new JsonObject { ["x"] = "5" } };
        var (status, text) = await PutAsync("/v1/job/dispatcher-exec/dispatch", body.ToJsonString());
        Assert.That(status, Is.EqualTo(HttpStatusCode.OK), text);
        Assert.That(await OutputOfAsync(JsonNode.Parse(text)!["DispatchedJobID"]!.GetValue<string>()), Is.EqualTo("in a chroot\nnobody\n|x=5 X=5 owner=ops\n"));
    }

    [Test]
    public async Task Job_dispatch_reads_the_payload_from_a_file_and_monitors_the_evaluation()
    {
        File.WriteAllText(Path.Combine(_dir, "payload.txt"), "from a file");
        var r = await Nomad("job", "dispatch", "-meta", "x=2", "-meta", "y=3", "dispatcher", "payload.txt");
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var lines = r.Stdout.Split('\n');
        Assert.That(lines[0], Does.Match("^Dispatched Job ID = dispatcher/dispatch-[0-9]+-[0-9a-f]{8}$"));
        Assert.That(lines[1], Does.Match("^Evaluation ID     = [0-9a-f]{8}$"));
        Assert.That(lines[2], Is.Empty);
        Assert.That(lines[3], Does.StartWith("==> Monitoring evaluation"));
        Assert.That(r.Stdout, Does.Contain("finished with status \"complete\""));

        var childId = lines[0]["Dispatched Job ID = ".Length..];
        Assert.That(await OutputOfAsync(childId), Is.EqualTo("from a file|x=2 X=2 owner=ops\n"));
    }

    [Test]
    public async Task Job_dispatch_reads_the_payload_from_standard_input_with_an_id_prefix_template()
    {
        // sh feeds the CLI's standard input: "$0" is the nomad executable, "$@" its arguments.
        var r = await CliRun.RunUnderAsync(["/bin/sh", "-c", "printf 'from stdin' | \"$0\" \"$@\""], _agent.Address, new Dictionary<string, string>(),
            ["job", "dispatch", "-detach", "-id-prefix-template", "piped", "-meta", "x=3", "dispatcher", "-"], _dir);
        Assert.That(r.ExitCode, Is.Zero, r.Stderr);
        var first = r.Stdout.Split('\n')[0];
        Assert.That(first, Does.Match("^Dispatched Job ID = dispatcher/dispatch-piped-[0-9]+-[0-9a-f]{8}$"));
        Assert.That(await OutputOfAsync(first["Dispatched Job ID = ".Length..]), Is.EqualTo("from stdin|x=3 X=3 owner=ops\n"));
    }

    [Test]
    public async Task Each_refused_dispatch_is_a_one_line_400_and_registers_nothing()
    {
        async Task Register(string id, string payloadRule)
        {
            var file = Path.Combine(_dir, id + ".nomad");
            File.WriteAllText(file, JobFile.Replace("job \"dispatcher\"", $"job \"{id}\"").Replace("payload       = \"optional\"", $"payload = \"{payloadRule}\""));
            var run = await Nomad("job", "run", file);
            Assert.That(run.ExitCode, Is.Zero, run.Stderr);
        }
        await Register("forbids", "forbidden");
        await Register("requires", "required");
        await Register("stopped", "optional");
        Assert.That((await Nomad("job", "stop", "stopped")).ExitCode, Is.Zero);
        File.WriteAllText(Path.Combine(_dir, "plain.nomad"), """
            job "plain" {
              datacenters = ["dc1"]
              type        = "batch"
              group "work" {
                task "work" {
                  driver = "raw_exec"
                  config {
                    command = "/bin/true"
                  }
                }
              }
            }
            """);
        Assert.That((await Nomad("job", "run", "-detach", "plain.nomad")).ExitCode, Is.Zero);

        static string Body(string? payload, string meta) =>
            $$"""{"Meta":{{meta}}{{(payload is null ? "" : $",\"Payload\":\"{Convert.ToBase64String(Encoding.UTF8.GetBytes(payload))}\"")}}}""";
        var cases = new (string Job, string Body, string Error)[]
        {
            ("dispatcher", Body(null, "{}"), "Dispatch did not provide required meta keys: [x]"),
            ("dispatcher", Body(null, """{"x":"1","zz":"2"}"""), "Dispatch request included unpermitted metadata keys: [zz]"),
            ("forbids", Body("data", """{"x":"1"}"""), "Payload provided but forbidden by parameterized job"),
            ("requires", Body(null, """{"x":"1"}"""), "Payload is not provided but required by parameterized job"),
            ("dispatcher", Body(new string('a', 16 * 1024 + 1), """{"x":"1"}"""), "Payload exceeds maximum size; 16385 > 16384"),
            ("plain", Body(null, "{}"), "Specified job \"plain\" is not a parameterized job"),
            ("stopped", Body(null, """{"x":"1"}"""), "Specified job \"stopped\" is stopped"),
        };
        var jobsBefore = JsonNode.Parse(await _agent.Http.GetStringAsync("/v1/jobs"))!.AsArray().Count;
        var evalsBefore = JsonNode.Parse(await _agent.Http.GetStringAsync("/v1/evaluations"))!.AsArray().Count;
        foreach (var (job, body, error) in cases)
            Assert.That(await PutAsync($"/v1/job/{job}/dispatch", body), Is.EqualTo((HttpStatusCode.BadRequest, error)), job);
        Assert.That(JsonNode.Parse(await _agent.Http.GetStringAsync("/v1/jobs"))!.AsArray(), Has.Count.EqualTo(jobsBefore));
        Assert.That(JsonNode.Parse(await _agent.Http.GetStringAsync("/v1/evaluations"))!.AsArray(), Has.Count.EqualTo(evalsBefore));

        var cli = await Nomad("job", "dispatch", "dispatcher");
        Assert.That(cli.ExitCode, Is.EqualTo(1));
        Assert.That(cli.Stderr, Is.EqualTo("Failed to dispatch job: Unexpected response code: 400 (Dispatch did not provide required meta keys: [x])\n"));
    }
}
