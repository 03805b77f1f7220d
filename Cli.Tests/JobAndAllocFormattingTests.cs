using Nomad.Agent.Server;
using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Commands.Alloc;
using Nomad.Cli.Output;

namespace Nomad.Cli.Tests;

/// <summary>job status, alloc status, eval status and plan output laid out as Nomad lays them out.</summary>
public class JobAndAllocFormattingTests
{
    private static readonly DateTime Now = new(2024, 5, 1, 12, 0, 0, DateTimeKind.Utc);
    private static long Nanos(DateTime t) => UnixNanos.From(t);

    private static Job ExampleJob => new()
    {
        ID = "example", Name = "example", Type = "service", Priority = 50, Datacenters = ["dc1"], Status = "running",
        SubmitTime = Nanos(Now.AddSeconds(-20)),
        TaskGroups = [new TaskGroup { Name = "cache", Tasks = [new JobTask { Name = "redis", Driver = "raw_exec" }] }],
    };

    private static AllocListStub Stub => new()
    {
        ID = "8ba85cef-6b4a-4a4b-8f3c-1e2d3c4b5a69", EvalID = "5a6c5f3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f",
        NodeID = "171a583b-4e52-7b1b-88ad-7c1c7a3c8b2e", NodeName = "node1", TaskGroup = "cache", JobVersion = 0,
        DesiredStatus = "run", ClientStatus = "running", CreateTime = Nanos(Now.AddSeconds(-10)), ModifyTime = Nanos(Now.AddSeconds(-5)),
    };

    [Test]
    public void Job_list_has_nomads_columns_and_marks_stopped_jobs()
    {
        var jobs = new List<JobListStub>
        {
            new() { ID = "example", Type = "service", Priority = 50, Status = "running", SubmitTime = Nanos(Now) },
            new() { ID = "nightly", Type = "batch", Priority = 70, Status = "running", Stop = true, Periodic = true, SubmitTime = Nanos(Now) },
        };

        Assert.That(JobStatusFormatter.List(jobs, TimeZoneInfo.Utc), Is.EqualTo(
            "ID       Type            Priority  Status          Submit Date\n" +
            "example  service         50        running         2024-05-01T12:00:00Z\n" +
            "nightly  batch/periodic  70        dead (stopped)  2024-05-01T12:00:00Z"));
    }

    [Test]
    public void Job_detail_shows_summary_and_allocations_with_relative_times()
    {
        var summary = new JobSummary { JobID = "example", Summary = new() { ["cache"] = new TaskGroupSummary { Running = 1 } } };
        var view = new JobStatusFormatter.JobView(ExampleJob, false, false, summary, [], [Stub]);

        Assert.That(JobStatusFormatter.Detail(view, verbose: false, Now, TimeZoneInfo.Utc), Is.EqualTo(
            """
            ID            = example
            Name          = example
            Submit Date   = 2024-05-01T11:59:40Z
            Type          = service
            Priority      = 50
            Datacenters   = dc1
            Namespace     = default
            Status        = running
            Periodic      = false
            Parameterized = false

            Summary
            Task Group  Queued  Starting  Running  Failed  Complete  Lost
            cache       0       0         1        0       0         0

            Allocations
            ID        Node ID   Task Group  Version  Desired  Status   Created  Modified
            8ba85cef  171a583b  cache       0        run      running  10s ago  5s ago

            """.Replace("\r\n", "\n")));
    }

    [Test]
    public void Job_detail_without_allocations_says_so_and_verbose_lists_evaluations()
    {
        var eval = new Evaluation { ID = "5a6c5f3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f", Priority = 50, TriggeredBy = "job-register", Status = "complete" };
        var view = new JobStatusFormatter.JobView(ExampleJob, false, false, new JobSummary(), [eval], []);

        var text = JobStatusFormatter.Detail(view, verbose: true, Now, TimeZoneInfo.Utc);

        Assert.That(text, Does.Contain(
            "\nEvaluations\nID                                    Priority  Triggered By  Status    Placement Failures\n" +
            "5a6c5f3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f  50        job-register  complete  false\n"));
        Assert.That(text, Does.EndWith("\nAllocations\nNo allocations placed\n"));
    }

    [Test]
    public void Alloc_status_shows_the_task_with_live_usage_and_events_newest_first()
    {
        var alloc = new Allocation
        {
            ID = Stub.ID, EvalID = Stub.EvalID, Name = "example.cache[0]", NodeID = Stub.NodeID, NodeName = "node1",
            JobID = "example", Job = ExampleJob, TaskGroup = "cache", ClientStatus = "running", DesiredStatus = "run",
            CreateTime = Stub.CreateTime, ModifyTime = Stub.ModifyTime,
            AllocatedResources = new AllocatedResources
            {
                Tasks = new() { ["redis"] = new AllocatedTaskResources { Cpu = new() { CpuShares = 100 }, Memory = new() { MemoryMB = 64 } } },
                Shared = new AllocatedSharedResources { DiskMB = 300 },
            },
            TaskStates = new()
            {
                ["redis"] = new TaskState
                {
                    State = "running", StartedAt = Now.AddSeconds(-9),
                    Events =
                    [
                        new TaskEvent { Type = "Received", Time = Nanos(Now.AddSeconds(-10)) },
                        new TaskEvent { Type = "Task Setup", Time = Nanos(Now.AddSeconds(-10)), Message = "Building Task Directory" },
                        new TaskEvent { Type = "Started", Time = Nanos(Now.AddSeconds(-9)) },
                    ],
                },
            },
        };
        var stats = new AllocResourceUsage
        {
            Tasks = new() { ["redis"] = new TaskResourceUsage { ResourceUsage = new ResourceUsage { CpuStats = new() { TotalTicks = 3.7 }, MemoryStats = new() { RSS = 2 * 1024 * 1024 } } } },
        };

        Assert.That(AllocStatusFormatter.Format(alloc, stats, verbose: false, Now, TimeZoneInfo.Utc), Is.EqualTo(
            """
            ID                  = 8ba85cef-6b4a-4a4b-8f3c-1e2d3c4b5a69
            Eval ID             = 5a6c5f3e
            Name                = example.cache[0]
            Node ID             = 171a583b
            Node Name           = node1
            Job ID              = example
            Job Version         = 0
            Client Status       = running
            Client Description  = <none>
            Desired Status      = run
            Desired Description = <none>
            Created             = 10s ago
            Modified            = 5s ago

            Task "redis" is "running"
            Task Resources
            CPU        Memory          Disk     Addresses
            3/100 MHz  2.0 MiB/64 MiB  300 MiB  

            Task Events:
            Started At     = 2024-05-01T11:59:51Z
            Finished At    = N/A
            Total Restarts = 0
            Last Restart   = N/A

            Recent Events:
            Time                  Type        Description
            2024-05-01T11:59:51Z  Started     Task started by client
            2024-05-01T11:59:50Z  Task Setup  Building Task Directory
            2024-05-01T11:59:50Z  Received    Task received by client

            """.Replace("\r\n", "\n")));

        var withoutStats = AllocStatusFormatter.TaskResources(alloc, "redis", null);
        Assert.That(withoutStats, Does.EndWith("100 MHz  64 MiB  300 MiB  "), "the allocated values alone when the client cannot be asked");
    }

    [Test]
    public void Alloc_status_names_lifecycle_tasks_and_lists_them_before_the_main_tasks()
    {
        static JobTask Task(string name, string hook = "", bool sidecar = false) =>
            new() { Name = name, Driver = "raw_exec", Lifecycle = hook.Length > 0 ? new Agent.Structs.TaskLifecycle { Hook = hook, Sidecar = sidecar } : null };
        var job = ExampleJob with
        {
            TaskGroups = [new TaskGroup { Name = "cache", Tasks = [Task("app"), Task("proxy", "prestart", true), Task("init", "prestart"), Task("cleanup", "poststop")] }],
        };
        var alloc = new Allocation
        {
            ID = Stub.ID, EvalID = Stub.EvalID, Name = "example.cache[0]", JobID = "example", Job = job, TaskGroup = "cache",
            TaskStates = new() { ["app"] = new TaskState(), ["proxy"] = new TaskState(), ["init"] = new TaskState(), ["cleanup"] = new TaskState() },
        };
        var headers = AllocStatusFormatter.Format(alloc, null, verbose: false, Now, TimeZoneInfo.Utc).Split('\n').Where(l => l.StartsWith("Task \"")).ToList();
        Assert.That(headers, Is.EqualTo(new[]
        {
            "Task \"cleanup\" (poststop) is \"pending\"",
            "Task \"init\" (prestart) is \"pending\"",
            "Task \"proxy\" (prestart sidecar) is \"pending\"",
            "Task \"app\" is \"pending\"",
        }));
    }

    [Test]
    public void Alloc_status_verbose_prints_the_placement_scores_as_nomad_1x()
    {
        var metrics = new AllocMetric
        {
            NodesEvaluated = 3,
            ScoreMetaData =
            [
                new NodeScoreMeta
                {
                    NodeID = "203fa61b-120a-b6bf-3196-d49e1b29948d", NormScore = 0.515708,
                    Scores = new() { ["binpack"] = 0.0314161, ["job-anti-affinity"] = 0, ["node-reschedule-penalty"] = 0, ["node-affinity"] = 1 },
                },
                new NodeScoreMeta
                {
                    NodeID = "0e4f1a2b-0000-4000-8000-000000000002", NormScore = -0.2,
                    Scores = new() { ["binpack"] = 0.00001, ["job-anti-affinity"] = -0.4, ["allocation-spread"] = -0.2 },
                },
            ],
        };
        var text = AllocStatusFormatter.Format(new Allocation { ID = Stub.ID, Metrics = metrics, CreateTime = Stub.CreateTime, ModifyTime = Stub.ModifyTime },
            null, verbose: true, Now, TimeZoneInfo.Utc);
        // Columns: every scorer any node recorded, alphabetical; values as Go's %.3g.
        Assert.That(text, Does.EndWith(
            """
            Placement Metrics
            Node                                  allocation-spread  binpack  job-anti-affinity  node-affinity  node-reschedule-penalty  final score
            203fa61b-120a-b6bf-3196-d49e1b29948d  0                  0.0314   0                  1              0                        0.516
            0e4f1a2b-0000-4000-8000-000000000002  -0.2               1e-05    -0.4               0              0                        -0.2

            """.Replace("\r\n", "\n")));
    }

    [Test]
    public void Eval_status_names_the_job_and_explains_failures()
    {
        var eval = new Evaluation
        {
            ID = "5a6c5f3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f", Status = "complete", Type = "service", TriggeredBy = "job-register",
            JobID = "example", Priority = 50, CreateTime = Nanos(Now.AddMinutes(-2)), ModifyTime = Nanos(Now.AddMinutes(-2)),
            BlockedEval = "c6a6d4f9-0000-0000-0000-000000000000",
            FailedTGAllocs = new() { ["cache"] = new AllocMetric { NodesEvaluated = 1, NodesExhausted = 1 } },
        };

        Assert.That(EvalFormatter.Status(eval, verbose: false, Now, TimeZoneInfo.Utc), Is.EqualTo(
            """
            ID                 = 5a6c5f3e
            Create Time        = 2m ago
            Modify Time        = 2m ago
            Status             = complete
            Status Description = complete
            Type               = service
            TriggeredBy        = job-register
            Job ID             = example
            Priority           = 50
            Placement Failures = true

            Failed Placements
            Task Group "cache" (failed to place 1 allocation):
              * Resources exhausted on 1 nodes

            Evaluation "c6a6d4f9" waiting for additional capacity to place remainder

            """.Replace("\r\n", "\n")));
    }

    [Test]
    public void Plan_of_a_new_job_reads_as_nomads_and_exits_1()
    {
        var plan = new JobPlanResponse
        {
            JobModifyIndex = 0,
            Diff = new JobDiff
            {
                Type = "Added", ID = "example",
                TaskGroups = [new TaskGroupDiff
                {
                    Type = "Added", Name = "cache", Updates = new() { ["create"] = 1 },
                    Tasks = [new TaskDiff { Type = "Added", Name = "redis", Annotations = ["forces create"] }],
                }],
            },
            Annotations = new PlanAnnotations { DesiredTGUpdates = new() { ["cache"] = new DesiredUpdates { Place = 1 } } },
        };

        var text = PlanFormatter.Format(plan, "service", "example.nomad", verbose: false);

        Assert.That(text, Does.StartWith(
            """
            + Job: "example"
            + Task Group: "cache" (1 create)
              + Task: "redis" (forces create)

            Scheduler dry-run:
            - All tasks successfully allocated.

            Job Modify Index: 0
            To submit the job with version verification run:

            nomad job run -check-index 0 example.nomad

            """.Replace("\r\n", "\n")));
        Assert.That(PlanFormatter.ExitCode(plan), Is.EqualTo(1));
        Assert.That(PlanFormatter.ExitCode(plan with { Annotations = new() { DesiredTGUpdates = new() { ["cache"] = new DesiredUpdates { Ignore = 1 } } } }), Is.Zero);
    }

    [Test]
    public void Plan_of_an_edited_job_shows_field_changes()
    {
        var diff = new JobDiff
        {
            Type = "Edited", ID = "example",
            TaskGroups = [new TaskGroupDiff
            {
                Type = "Edited", Name = "cache", Updates = new() { ["create/destroy update"] = 1 },
                Fields = [new FieldDiff { Type = "Edited", Name = "Count", Old = "1", New = "2" }],
                Tasks = [new TaskDiff { Type = "None", Name = "redis" }],
            }],
        };

        Assert.That(PlanFormatter.JobDiff(diff, verbose: false).Trim(), Is.EqualTo(
            "+/- Job: \"example\"\n" +
            "+/- Task Group: \"cache\" (1 create/destroy update)\n" +
            "  +/- Count: \"1\" => \"2\"\n" +
            "      Task: \"redis\""));
    }

    [TestCase("a\nb\nc\n", 2, "b\nc\n")]
    [TestCase("a\nb\nc", 2, "b\nc")]
    [TestCase("a\nb\n", 5, "a\nb\n")]
    [TestCase("a\nb\n", 0, "")]
    public void Tail_keeps_the_last_lines(string text, int lines, string expected) =>
        Assert.That(System.Text.Encoding.UTF8.GetString(AllocLogsCommand.LastLines(System.Text.Encoding.UTF8.GetBytes(text), lines)), Is.EqualTo(expected));

    [Test]
    public void Logs_need_the_task_when_the_group_has_several()
    {
        var job = ExampleJob with { TaskGroups = [new TaskGroup { Name = "cache", Tasks = [new JobTask { Name = "redis" }, new JobTask { Name = "sidecar" }] }] };
        var (task, error) = AllocLogsCommand.LookupTask(new Allocation { ID = Stub.ID, TaskGroup = "cache", Job = job });

        Assert.That(task, Is.Null);
        Assert.That(error, Is.EqualTo("Allocation \"8ba85cef\" is running the following tasks:\n  * redis\n  * sidecar\n\nPlease specify the task."));
        Assert.That(AllocLogsCommand.LookupTask(new Allocation { TaskGroup = "cache", Job = ExampleJob }).Task, Is.EqualTo("redis"));
    }
}
