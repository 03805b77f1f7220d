using Nomad.Agent.Jobspec;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Jobspec;

public sealed class ParameterizedValidationTests
{
    private static Job Job(string type = JobType.Batch, ParameterizedJobConfig? p = null, string? payloadFile = null) => JobDefaults.Canonicalize(new Job
    {
        ID = "p", Type = type, Datacenters = ["dc1"], ParameterizedJob = p ?? new ParameterizedJobConfig(),
        TaskGroups = [new TaskGroup
        {
            Name = "g", Count = 1,
            Tasks = [new JobTask { Name = "t", Driver = "raw_exec", DispatchPayload = payloadFile is null ? null : new DispatchPayloadConfig { File = payloadFile } }],
        }],
    });

    [Test]
    public void A_batch_parameterized_job_with_a_payload_file_in_local_is_valid()
    {
        Assert.That(JobValidator.Validate(Job(payloadFile: "input.txt")), Is.Empty);
        Assert.That(JobValidator.Validate(Job(payloadFile: "sub/dir/input.json")), Is.Empty);
        Assert.That(JobValidator.Validate(Job(payloadFile: "/input.txt")), Is.Empty, "a leading / stays inside local/, as Go's filepath.Join");
    }

    [Test]
    public void An_empty_payload_requirement_defaults_to_optional()
    {
        Assert.That(Job(p: new ParameterizedJobConfig { Payload = "" }).ParameterizedJob!.Payload, Is.EqualTo("optional"));
    }

    [Test]
    public void Each_broken_rule_is_one_message_naming_the_job_or_task()
    {
        Assert.That(JobValidator.Validate(Job(type: JobType.Service)),
            Is.EqualTo(new[] { "job \"p\": Parameterized job can only be used with \"batch\" or \"sysbatch\" scheduler" }));
        Assert.That(JobValidator.Validate(Job(p: new ParameterizedJobConfig { Payload = "maybe" })),
            Is.EqualTo(new[] { "job \"p\": parameterized: Unknown payload requirement: \"maybe\"" }));
        Assert.That(JobValidator.Validate(Job(p: new ParameterizedJobConfig { MetaRequired = ["a", "b"], MetaOptional = ["b"] })),
            Is.EqualTo(new[] { "job \"p\": parameterized: Required and optional meta keys should be disjoint. Following keys exist in both: [b]" }));
        Assert.That(JobValidator.Validate(Job(payloadFile: "../secrets/x")),
            Is.EqualTo(new[] { "group \"g\" task \"t\": Dispatch Payload validation failed: destination escapes allocation directory" }));
    }

    [TestCase("input.txt", false)]
    [TestCase("a/../b", false)]
    [TestCase("..", true)]
    [TestCase(".", true)]
    [TestCase("../local2/x", true)]
    [TestCase("../../../etc/passwd", true)]
    public void Escapes_are_what_leaves_local(string file, bool escapes) =>
        Assert.That(ParameterizedValidation.EscapesLocalDir(file), Is.EqualTo(escapes));
}
