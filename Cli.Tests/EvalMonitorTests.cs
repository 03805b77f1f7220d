using Nomad.Agent.Structs;
using Nomad.Cli.Api;
using Nomad.Cli.Output;

namespace Nomad.Cli.Tests;

/// <summary>The lines Nomad's evaluation monitor prints as an evaluation moves from pending to complete.</summary>
public class EvalMonitorTests
{
    private const string EvalId = "5a6c5f3e-1f2b-4c3d-9e8f-0a1b2c3d4e5f";
    private const string AllocId = "8ba85cef-6b4a-4a4b-8f3c-1e2d3c4b5a69";
    private const string NodeId = "171a583b-4e52-7b1b-88ad-7c1c7a3c8b2e";

    private static Evaluation Eval(string status) => new()
    {
        ID = EvalId, JobID = "example", Status = status, TriggeredBy = "job-register", CreateIndex = 10,
    };

    private static AllocListStub Alloc(string clientStatus = "pending") => new()
    {
        ID = AllocId, NodeID = NodeId, TaskGroup = "cache", DesiredStatus = "run", ClientStatus = clientStatus, CreateIndex = 12,
    };

    [Test]
    public void Pending_then_complete_prints_trigger_allocation_and_status_change()
    {
        var first = EvalMonitorState.From(Eval("pending"), []);
        var second = EvalMonitorState.From(Eval("complete"), [Alloc()]);

        Assert.That(EvalMonitorState.Changes(EvalMonitorState.Empty, first, verbose: false),
            Is.EqualTo(new[] { "Evaluation triggered by job \"example\"" }));
        Assert.That(EvalMonitorState.Changes(first, second, verbose: false), Is.EqualTo(new[]
        {
            "Allocation \"8ba85cef\" created: node \"171a583b\", group \"cache\"",
            "Evaluation status changed: \"pending\" -> \"complete\"",
        }));
        Assert.That(EvalMonitorState.Finished(Eval("complete"), verbose: false),
            Is.EqualTo(new[] { "==> Evaluation \"5a6c5f3e\" finished with status \"complete\"" }));
    }

    [Test]
    public void Verbose_uses_full_ids_and_older_allocations_read_as_modified()
    {
        var old = Alloc() with { CreateIndex = 3 };
        var lines = EvalMonitorState.Changes(EvalMonitorState.From(Eval("pending"), []), EvalMonitorState.From(Eval("pending"), [old]), verbose: true);

        Assert.That(lines, Is.EqualTo(new[] { $"Allocation \"{AllocId}\" modified: node \"{NodeId}\", group \"cache\"" }));
    }

    [Test]
    public void Client_status_changes_are_reported_with_their_description()
    {
        var before = EvalMonitorState.From(Eval("complete"), [Alloc("pending")]);
        var after = EvalMonitorState.From(Eval("complete"), [Alloc("failed") with { ClientDescription = "Failed tasks" }]);

        Assert.That(EvalMonitorState.Changes(before, after, verbose: false),
            Is.EqualTo(new[] { "Allocation \"8ba85cef\" status changed: \"pending\" -> \"failed\" (Failed tasks)" }));
    }

    [Test]
    public void Failed_placements_list_the_reasons_and_the_blocked_evaluation()
    {
        var eval = Eval("complete") with
        {
            BlockedEval = "c6a6d4f9-0000-0000-0000-000000000000",
            FailedTGAllocs = new()
            {
                ["cache"] = new AllocMetric
                {
                    NodesEvaluated = 1, NodesExhausted = 1, CoalescedFailures = 2,
                    DimensionExhausted = new() { ["memory"] = 1 },
                },
            },
        };

        Assert.That(EvalMonitorState.Finished(eval, verbose: false), Is.EqualTo(new[]
        {
            "==> Evaluation \"5a6c5f3e\" finished with status \"complete\" but failed to place all allocations:",
            "    Task Group \"cache\" (failed to place 3 allocations):",
            "      * Resources exhausted on 1 nodes",
            "      * Dimension \"memory\" exhausted on 1 nodes",
            "    Evaluation \"c6a6d4f9\" waiting for additional capacity to place remainder",
        }));
    }

    [Test]
    public void No_eligible_nodes_and_an_empty_datacenter_are_explained()
    {
        var text = AllocMetricsFormatter.Format(new AllocMetric { NodesAvailable = new() { ["dc2"] = 0 } }, "  ");

        Assert.That(text, Is.EqualTo("  * No nodes were eligible for evaluation\n  * No nodes are available in datacenter \"dc2\""));
    }
}
