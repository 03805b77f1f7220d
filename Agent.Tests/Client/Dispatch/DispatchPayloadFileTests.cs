using System.Text;
using Nomad.Agent.Client.Dispatch;
using Nomad.Agent.Structs;

namespace Nomad.Agent.Tests.Client.Dispatch;

public sealed class DispatchPayloadFileTests
{
    private string _dir = null!;
    private string Local => Path.Combine(_dir, "task", "local");

    [SetUp]
    public void Create()
    {
        _dir = Directory.CreateTempSubdirectory("dispatch-payload-").FullName;
        Directory.CreateDirectory(Local);
    }

    [TearDown]
    public void Remove() => Directory.Delete(_dir, recursive: true);

    private static Job Dispatched(string payload) =>
        new() { ID = "p/dispatch-1-abcdef01", Dispatched = true, Payload = DispatchPayloadCompression.Compress(Encoding.UTF8.GetBytes(payload)) };

    private static JobTask Task(string? file) =>
        new() { Name = "t", Driver = "raw_exec", DispatchPayload = file is null ? null : new DispatchPayloadConfig { File = file } };

    [Test]
    public void The_payload_is_written_decompressed_into_local_creating_its_directories()
    {
        Assert.That(DispatchPayloadFile.Write(Dispatched("hello payload\n"), Task("in/put.txt"), Local), Is.Null);
        Assert.That(File.ReadAllText(Path.Combine(Local, "in", "put.txt")), Is.EqualTo("hello payload\n"));
        Assert.That(Directory.GetFiles(Path.Combine(Local, "in")), Has.Length.EqualTo(1), "no temporary file left behind");
    }

    [Test]
    public void A_link_at_the_destination_is_replaced_not_written_through()
    {
        var outside = Path.Combine(_dir, "outside.txt");
        File.WriteAllText(outside, "untouched");
        File.CreateSymbolicLink(Path.Combine(Local, "input.txt"), outside);
        Assert.That(DispatchPayloadFile.Write(Dispatched("data"), Task("input.txt"), Local), Is.Null);
        Assert.That(File.ReadAllText(outside), Is.EqualTo("untouched"));
        Assert.That(new FileInfo(Path.Combine(Local, "input.txt")).LinkTarget, Is.Null);
        Assert.That(File.ReadAllText(Path.Combine(Local, "input.txt")), Is.EqualTo("data"));
    }

    [Test]
    public void Nothing_is_written_without_a_payload_or_a_dispatch_payload_block()
    {
        Assert.That(DispatchPayloadFile.Write(new Job { ID = "plain" }, Task("input.txt"), Local), Is.Null);
        Assert.That(DispatchPayloadFile.Write(Dispatched("x"), Task(null), Local), Is.Null);
        Assert.That(Directory.GetFileSystemEntries(Local), Is.Empty);
    }

    [Test]
    public void An_escaping_destination_is_refused_and_nothing_lands_outside()
    {
        Assert.That(DispatchPayloadFile.Write(Dispatched("x"), Task("../../evil"), Local), Does.Contain("escapes the task's local directory"));
        Assert.That(File.Exists(Path.Combine(_dir, "evil")), Is.False);
        Assert.That(DispatchPayloadFile.HookFailed("boom").DisplayMessage, Is.EqualTo("dispatch_payload: boom"));
    }
}
