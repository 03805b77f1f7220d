using Nomad.Agent.Jobspec;
using JobFile = Nomad.Cli.Commands.Job.JobFile;

namespace Nomad.Cli.Tests;

/// <summary>
/// What the CLI reads a job file as: HCL's JSON syntax for a JSON file shaped as a job file (as Nomad), Nomad's API
/// JSON for any other JSON file, HCL otherwise — whatever the file's extension.
/// </summary>
[TestFixture]
public sealed class JobFileSyntaxTests
{
    private string _dir = "";

    [SetUp]
    public void SetUp() => _dir = Directory.CreateTempSubdirectory("jobfile-syntax-").FullName;

    [TearDown]
    public void TearDown() => Directory.Delete(_dir, recursive: true);

    private string Write(string name, string text)
    {
        var path = Path.Combine(_dir, name);
        File.WriteAllText(path, text);
        return path;
    }

    [TestCase("web.json")]
    [TestCase("web.nomad")]
    public void HclJsonSyntaxIsReadAsAJobFile(string name)
    {
        var path = Write(name, """{"job": {"web": {"group": {"g": {"count": "${1 + 2}", "task": {"t": {"driver": "raw_exec"}}}}}}}""");
        var job = JobFile.ReadApiJob(path, new JobFileOptions());
        Assert.That((job.ID, job.TaskGroups![0].Count), Is.EqualTo(("web", 3)));
    }

    [TestCase("web.json")]
    [TestCase("web.nomad")]
    public void ApiJsonIsReadAsTheApiJob(string name)
    {
        var path = Write(name, """{"Job": {"ID": "web", "Name": "web", "TaskGroups": [{"Name": "g", "Count": 2, "Tasks": [{"Name": "t", "Driver": "raw_exec"}]}]}}""");
        var job = JobFile.ReadApiJob(path, new JobFileOptions());
        Assert.That((job.ID, job.TaskGroups![0].Count), Is.EqualTo(("web", 2)));
    }
}
