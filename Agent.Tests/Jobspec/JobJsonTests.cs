using System.Text.Json;
using Nomad.Agent.Jobspec;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Jobspec;

[TestFixture]
public sealed class JobJsonTests
{
    private static readonly JsonSerializerOptions Plain = new() { PropertyNamingPolicy = null };

    private static string Canon(Job job) => JsonSerializer.Serialize(job, Plain);

    private const string RawEchoHcl = """
        job "rawecho" {
          datacenters = ["dc1"]
          type = "batch"
          group "g" {
            task "t" {
              driver = "raw_exec"
              config {
                command = "/bin/echo"
                args = ["hello from raw_exec"]
              }
              resources {
                cpu = 100
                memory = 32
              }
            }
          }
        }
        """;

    // The same job in the API shape Nomad 0.11's CLI sends (trimmed; unknown fields such as Affinities are ignored).
    private const string RawEchoJson = """
        {"Job": {
          "ID": "rawecho", "Name": "rawecho", "Type": "batch", "Datacenters": ["dc1"],
          "Affinities": null, "Spreads": null,
          "TaskGroups": [{
            "Name": "g", "Count": 1,
            "Tasks": [{
              "Name": "t", "Driver": "raw_exec",
              "Config": {"args": ["hello from raw_exec"], "command": "/bin/echo"},
              "Resources": {"CPU": 100, "MemoryMB": 32, "IOPS": 0},
              "Services": null
            }]
          }]
        }}
        """;

    [Test]
    public void HclAndJsonFormsAreEqual()
    {
        var fromHcl = JobspecParser.Parse(RawEchoHcl, "rawecho.nomad");
        var fromJson = JobJson.Read(RawEchoJson, "rawecho.json");
        Assert.That(Canon(fromJson), Is.EqualTo(Canon(fromHcl)));
        Assert.That(fromJson.TaskGroups[0].RestartPolicy, Is.EqualTo(RestartPolicy.BatchDefault));
        Assert.That(fromJson.TaskGroups[0].Tasks[0].Config!["args"], Is.EqualTo(new List<object?> { "hello from raw_exec" }));
    }

    [Test]
    public void FullJobHclMatchesItsJsonRoundTrip()
    {
        var job = JobspecParser.Parse(JobspecParserTests.Full, "full.nomad");
        var json = JsonSerializer.Serialize(job, Plain);
        var back = JsonSerializer.Deserialize<Job>(json, Plain)!;
        Assert.That(Canon(back), Is.EqualTo(json));
        // Plain values, not JsonElement, so code reading the config sees the same types either way.
        Assert.That(((List<object?>)back.TaskGroups[0].Tasks[0].Config!["limits"]!)[0], Is.InstanceOf<Dictionary<string, object?>>());
        Assert.That(back.TaskGroups[0].Tasks[0].Config!["args"], Is.EqualTo(new List<object?> { "--port", 6379L }));
        Assert.That(Canon(JobJson.Read(json, "full.json")), Is.EqualTo(json));
    }

    [Test]
    public void JsonUsesNomadFieldNamesAndNanoseconds()
    {
        var json = JobJson.Write(JobspecParser.Parse(RawEchoHcl, "rawecho.nomad"));
        using var doc = JsonDocument.Parse(json);
        var root = doc.RootElement;
        Assert.That(root.GetProperty("ID").GetString(), Is.EqualTo("rawecho"));
        Assert.That(root.GetProperty("Priority").GetInt32(), Is.EqualTo(50));
        var g = root.GetProperty("TaskGroups")[0];
        Assert.That(g.GetProperty("RestartPolicy").GetProperty("Interval").GetInt64(), Is.EqualTo(86_400_000_000_000));
        Assert.That(g.GetProperty("EphemeralDisk").GetProperty("SizeMB").GetInt32(), Is.EqualTo(300));
        var t = g.GetProperty("Tasks")[0];
        Assert.That(t.GetProperty("KillTimeout").GetInt64(), Is.EqualTo(5_000_000_000));
        Assert.That(t.GetProperty("Resources").GetProperty("MemoryMB").GetInt32(), Is.EqualTo(32));
        Assert.That(t.GetProperty("LogConfig").GetProperty("MaxFileSizeMB").GetInt32(), Is.EqualTo(10));
    }

    [Test]
    public void BareJobObjectAndCaseInsensitiveNames()
    {
        var job = JobJson.Read("""{"id": "a", "datacenters": ["dc1"], "taskgroups": [{"name": "g", "tasks": [{"name": "t", "driver": "raw_exec"}]}]}""", "a.json");
        Assert.That(job.ID, Is.EqualTo("a"));
        Assert.That(job.Name, Is.EqualTo("a"));
        Assert.That(job.TaskGroups[0].Tasks[0].Resources, Is.EqualTo(new Resources()));
        Assert.That(JobValidator.Validate(job), Is.Empty);
    }

    [Test]
    public void PartialPoliciesAreCompletedFromTheJobTypesDefaults()
    {
        var job = JobJson.Read("""
            {"ID": "a", "Type": "batch", "Datacenters": ["dc1"], "TaskGroups": [{"Name": "g",
              "RestartPolicy": {"Attempts": 7}, "ReschedulePolicy": {"unlimited": true},
              "Tasks": [{"Name": "t", "Driver": "raw_exec"}]}]}
            """, "a.json");
        Assert.That(job.TaskGroups[0].RestartPolicy, Is.EqualTo(RestartPolicy.BatchDefault with { Attempts = 7 }));
        Assert.That(job.TaskGroups[0].ReschedulePolicy, Is.EqualTo(ReschedulePolicy.BatchDefault with { Unlimited = true }));
    }

    [Test]
    public void NullCollectionsBecomeEmpty()
    {
        var job = JobJson.Read("""{"ID": "a", "Datacenters": null, "TaskGroups": [{"Name": "g", "Tasks": null, "EphemeralDisk": null}]}""", "a.json");
        Assert.That(job.Datacenters, Is.Empty);
        Assert.That(job.TaskGroups[0].EphemeralDisk, Is.EqualTo(new EphemeralDisk()));
        Assert.That(JobValidator.Validate(job), Is.EqualTo(new[]
        {
            "job \"a\": datacenters: at least one required",
            "group \"g\": at least one task required",
        }));
    }

    [Test]
    public void NullFieldsAsNomadsCliSendsThemTakeTheDefaults()
    {
        var job = JobJson.Read("""
            {"Job": {"ID": "a", "Name": null, "Region": null, "Priority": null, "Type": null, "Datacenters": ["dc1"],
              "TaskGroups": [{"Name": "g", "Count": null, "RestartPolicy": null, "ReschedulePolicy": {"Attempts": null, "Delay": 1},
                "Tasks": [{"Name": "t", "Driver": "raw_exec", "KillTimeout": null, "Config": {"x": null},
                  "Resources": {"CPU": null, "MemoryMB": 64, "DiskMB": null, "Networks": null}, "LogConfig": null}]}]}}
            """, "a.json");
        Assert.That((job.Name, job.Region, job.Priority, job.Type), Is.EqualTo(("a", "global", 50, "service")));
        var g = job.TaskGroups[0];
        Assert.That(g.Count, Is.EqualTo(1));
        Assert.That(g.RestartPolicy, Is.EqualTo(RestartPolicy.ServiceDefault));
        Assert.That(g.ReschedulePolicy, Is.EqualTo(ReschedulePolicy.ServiceDefault with { Delay = 1 }));
        var t = g.Tasks[0];
        Assert.That(t.KillTimeout, Is.EqualTo(5_000_000_000));
        Assert.That(t.Resources, Is.EqualTo(new Resources { CPU = 100, MemoryMB = 64 }));
        Assert.That(t.LogConfig, Is.EqualTo(new LogConfig()));
        Assert.That(t.Config, Is.EqualTo(new Dictionary<string, object?> { ["x"] = null }));
    }

    [TestCase("{\"ID\": \"a\",\n \"Priority\": }", "a.json:2:14: invalid JSON:")]
    [TestCase("[1]", "a.json: a job must be a JSON object")]
    [TestCase("{\"ID\": \"a\", \"Priority\": \"high\"}", "a.json: $.Priority: The JSON value could not be converted")]
    [TestCase("{\"ID\": \"a\", \"TaskGroups\": [{\"Count\": true}]}", "a.json: $.TaskGroups[0].Count: The JSON value could not be converted")]
    public void JsonErrorsAreOneLine(string json, string expectedStart)
    {
        var e = Assert.Throws<JobspecException>(() => JobJson.Read(json, "a.json"))!;
        Assert.That(e.Message, Does.StartWith(expectedStart));
        Assert.That(e.Message, Does.Not.Contain("\n").And.Not.Contain("LineNumber"));
    }

    [Test]
    public void AllocationAndEvaluationRoundTrip()
    {
        var alloc = new Allocation
        {
            ID = "a1", EvalID = "e1", Name = Allocation.MakeName("rawecho", "g", 0), JobID = "rawecho", TaskGroup = "g",
            AllocatedResources = new AllocatedResources
            {
                Tasks = { ["t"] = new AllocatedTaskResources { Cpu = new() { CpuShares = 100 }, Memory = new() { MemoryMB = 32 } } },
                Shared = new AllocatedSharedResources { DiskMB = 300 },
            },
            ClientStatus = AllocClientStatus.Complete,
            TaskStates = new() { ["t"] = new TaskState { State = TaskStateName.Dead, Events = [new TaskEvent { Type = TaskEventType.Terminated, Time = 1795422713624384362, DisplayMessage = "Exit Code: 0" }] } },
        };
        string json = JsonSerializer.Serialize(alloc, Plain);
        Assert.That(json, Does.Contain("\"Name\":\"rawecho.g[0]\"").And.Contain("\"AllocatedResources\":{\"Tasks\":{\"t\":{\"Cpu\":{\"CpuShares\":100,\"ReservedCores\":null}"));
        Assert.That(JsonSerializer.Serialize(JsonSerializer.Deserialize<Allocation>(json, Plain), Plain), Is.EqualTo(json));
        Assert.That(alloc.IsTerminal, Is.True);

        var eval = new Evaluation { ID = "e1", Priority = 50, Type = "batch", TriggeredBy = EvalTrigger.JobRegister, JobID = "rawecho", QueuedAllocations = new() { ["g"] = 0 } };
        string ej = JsonSerializer.Serialize(eval, Plain);
        Assert.That(ej, Does.Contain("\"Status\":\"pending\"").And.Contain("\"TriggeredBy\":\"job-register\""));
        Assert.That(JsonSerializer.Serialize(JsonSerializer.Deserialize<Evaluation>(ej, Plain), Plain), Is.EqualTo(ej));
    }

    [Test]
    public void A_job_level_migrate_block_is_the_base_of_every_groups_own()
    {
        var job = JobJson.Read("""
            {"Job": {"ID": "web", "Type": "service", "Datacenters": ["dc1"],
              "Migrate": {"MaxParallel": 2, "MinHealthyTime": 1000000000},
              "TaskGroups": [
                {"Name": "a", "Tasks": [{"Name": "t", "Driver": "raw_exec"}]},
                {"Name": "b", "Migrate": {"maxparallel": 3}, "Tasks": [{"Name": "t", "Driver": "raw_exec"}]}]}}
            """, "job.json");
        Assert.That((job.TaskGroups[0].Migrate!.MaxParallel, job.TaskGroups[0].Migrate!.MinHealthyTime), Is.EqualTo((2, 1_000_000_000L)));
        Assert.That((job.TaskGroups[1].Migrate!.MaxParallel, job.TaskGroups[1].Migrate!.MinHealthyTime, job.TaskGroups[1].Migrate!.HealthyDeadline),
            Is.EqualTo((3, 1_000_000_000L, 300_000_000_000L)));
    }
}
