using Nomad.Agent.Server.Dispatch;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Server.Dispatch;

public sealed class DispatchValidationTests
{
    private static ParameterizedJobConfig Rules(string payload = "optional", List<string>? required = null, List<string>? optional = null) =>
        new() { Payload = payload, MetaRequired = required, MetaOptional = optional };

    private static Dictionary<string, string> Meta(params string[] keys) => keys.ToDictionary(k => k, k => "v");

    [Test]
    public void A_request_that_meets_the_rules_has_no_problem()
    {
        Assert.That(DispatchValidation.Problem(Rules("required", ["a"], ["b"]), [1], Meta("a", "b")), Is.Null);
        Assert.That(DispatchValidation.Problem(Rules("forbidden", ["a"]), null, Meta("a")), Is.Null);
        Assert.That(DispatchValidation.Problem(Rules(), new byte[DispatchPayloadCompression.SizeLimit], null), Is.Null, "exactly 16 KiB is allowed");
    }

    [Test]
    public void Each_broken_rule_is_worded_as_Nomad_words_it()
    {
        Assert.That(DispatchValidation.Problem(Rules("required"), null, null), Is.EqualTo("Payload is not provided but required by parameterized job"));
        Assert.That(DispatchValidation.Problem(Rules("required"), [], null), Is.EqualTo("Payload is not provided but required by parameterized job"));
        Assert.That(DispatchValidation.Problem(Rules("forbidden"), [1], null), Is.EqualTo("Payload provided but forbidden by parameterized job"));
        Assert.That(DispatchValidation.Problem(Rules(), new byte[16 * 1024 + 1], null), Is.EqualTo("Payload exceeds maximum size; 16385 > 16384"));
        Assert.That(DispatchValidation.Problem(Rules(optional: ["a"]), null, Meta("z", "a", "y")),
            Is.EqualTo("Dispatch request included unpermitted metadata keys: [y z]"));
        Assert.That(DispatchValidation.Problem(Rules(required: ["x", "w"], optional: ["a"]), null, Meta("a")),
            Is.EqualTo("Dispatch did not provide required meta keys: [w x]"));
    }

    [Test]
    public void A_dispatched_id_is_the_parent_then_dispatch_then_the_unix_time_and_eight_hex_digits()
    {
        var now = DateTimeOffset.FromUnixTimeSeconds(1796658494);
        var a = DispatchedJobId.For("dispatcher", "", now);
        var b = DispatchedJobId.For("dispatcher", "", now);
        Assert.That(a, Does.Match("^dispatcher/dispatch-1796658494-[0-9a-f]{8}$"));
        Assert.That(b, Is.Not.EqualTo(a), "two dispatches in the same second get different IDs");
        Assert.That(DispatchedJobId.For("dispatcher", "nightly", now), Does.Match("^dispatcher/dispatch-nightly-1796658494-[0-9a-f]{8}$"));
    }

    [Test]
    public void The_child_merges_the_meta_keeps_the_spec_and_holds_the_payload_compressed()
    {
        var parent = new Job
        {
            ID = "p", Name = "p", Type = JobType.Batch, Meta = new() { ["a"] = "parent", ["keep"] = "1" },
            ParameterizedJob = Rules(optional: ["a", "b"]), Status = JobStatus.Running, Version = 3, CreateIndex = 5, ModifyIndex = 9, JobModifyIndex = 7,
            TaskGroups = [new TaskGroup { Name = "g" }],
        };
        var payload = System.Text.Encoding.UTF8.GetBytes(string.Concat(Enumerable.Repeat("hello payload ", 200)));
        var child = DispatchEndpoint.Child(parent, new JobDispatchRequest("p", payload, new() { ["a"] = "child", ["b"] = "2" }), DateTimeOffset.UtcNow);

        Assert.That(child.ID, Does.StartWith("p/dispatch-"));
        Assert.That(child.Name, Is.EqualTo(child.ID));
        Assert.That((child.ParentID, child.Dispatched, child.Type, child.TaskGroups.Count), Is.EqualTo(("p", true, JobType.Batch, 1)));
        Assert.That(child.Meta, Is.EqualTo(new Dictionary<string, string> { ["a"] = "child", ["keep"] = "1", ["b"] = "2" }));
        Assert.That(parent.Meta["a"], Is.EqualTo("parent"), "the parent's meta is not changed");
        Assert.That((child.Status, child.Version, child.CreateIndex, child.JobModifyIndex), Is.EqualTo(("", 0UL, 0UL, 0UL)));
        Assert.That(child.Payload!.Length, Is.LessThan(payload.Length / 4), "stored compressed");
        Assert.That(DispatchPayloadCompression.Decompress(child.Payload), Is.EqualTo(payload));
    }

    [Test]
    public void An_empty_payload_round_trips_and_a_corrupt_one_is_refused()
    {
        Assert.That(DispatchPayloadCompression.Decompress(DispatchPayloadCompression.Compress([])), Is.Empty);
        Assert.Throws<InvalidDataException>(() => DispatchPayloadCompression.Decompress([1, 2, 3, 4, 5]));
    }
}
