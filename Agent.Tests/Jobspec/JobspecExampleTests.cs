using Nomad.Agent.Jobspec;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Jobspec;

[TestFixture]
public sealed class JobspecExampleTests
{
    [Test]
    public void InitExampleParsesAndValidates()
    {
        var job = JobspecParser.Parse(JobspecExamples.Init, JobspecExamples.InitFileName);
        Assert.That(JobValidator.Validate(job), Is.Empty);
        Assert.That(job.ID, Is.EqualTo("example"));
        Assert.That(job.Type, Is.EqualTo(JobType.Service));
        Assert.That(job.Datacenters, Is.EqualTo(new[] { "dc1" }));
        var group = job.TaskGroups.Single();
        Assert.That(group.Count, Is.EqualTo(1));
        var task = group.Tasks.Single();
        Assert.That(task.Driver, Is.EqualTo("raw_exec"));
        Assert.That(task.Config!["command"], Is.EqualTo("/bin/sh"));
        Assert.That(task.Config["args"], Is.EqualTo(new List<object?> { "-c", "while true; do echo hello from nomad; sleep 5; done" }));
        Assert.That(task.Resources.MemoryMB, Is.LessThanOrEqualTo(128));
    }

    [Test]
    public void InitExampleNeedsNoImageRegistry()
    {
        Assert.That(JobspecExamples.Init, Does.Not.Contain("docker").And.Not.Contain("image"));
        Assert.That(JobspecExamples.InitFileName, Is.EqualTo("example.nomad"));
    }
}
