using System.Text;
using Nomad.Agent.Client;

namespace Nomad.Agent.Tests.Client;

/// <summary>The client's group-committed state files: newest content wins, order per path holds, nothing half-written.</summary>
public sealed class BatchedFileWriterTests
{
    private string _dir = "";

    [SetUp]
    public void MakeDir() => _dir = Directory.CreateTempSubdirectory("batched-writer-").FullName;

    [TearDown]
    public void RemoveDir() => Directory.Delete(_dir, recursive: true);

    private static byte[] B(string s) => Encoding.UTF8.GetBytes(s);

    [Test]
    public async Task A_completed_write_is_on_disk_and_its_directory_is_made()
    {
        var writer = new BatchedFileWriter();
        var path = Path.Combine(_dir, "sub", "a.json");
        await writer.WriteAsync(path, B("one"));
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("one"));
        Assert.That(File.Exists(path + ".tmp"), Is.False, "the temporary file was renamed into place");
    }

    [Test]
    public async Task An_unexpected_error_fails_that_write_instead_of_leaving_its_waiter_hanging_and_the_writer_goes_on()
    {
        var writer = new BatchedFileWriter();
        // A bare file name has no directory part: creating "" throws an ArgumentException, not an IOException.
        var bad = writer.WriteAsync("no-directory-part.json", B("x"));
        Assert.That(await Task.WhenAny(bad, Task.Delay(TimeSpan.FromSeconds(10))), Is.SameAs(bad), "the write completed");
        Assert.That(bad.IsFaulted, Is.True);
        var path = Path.Combine(_dir, "after.json");
        await writer.WriteAsync(path, B("ok")).WaitAsync(TimeSpan.FromSeconds(10));
        Assert.That(await File.ReadAllTextAsync(path), Is.EqualTo("ok"));
    }

    [Test]
    public async Task Many_files_written_at_once_all_land_with_their_newest_content()
    {
        var writer = new BatchedFileWriter();
        var writes = new List<Task>();
        // More files than one batch takes, each written three times: only the last content may remain.
        for (int round = 0; round < 3; round++)
            for (int i = 0; i < 300; i++)
                writes.Add(writer.WriteAsync(Path.Combine(_dir, $"{i}.json"), B($"{i}:{round}")));
        await Task.WhenAll(writes);
        await writer.FlushAsync();
        for (int i = 0; i < 300; i++)
            Assert.That(await File.ReadAllTextAsync(Path.Combine(_dir, $"{i}.json")), Is.EqualTo($"{i}:2"));
        Assert.That(Directory.EnumerateFiles(_dir, "*.tmp"), Is.Empty);
    }

    [Test]
    public async Task A_delete_queued_after_a_write_wins_and_a_write_after_a_delete_brings_it_back()
    {
        var writer = new BatchedFileWriter();
        var gone = Path.Combine(_dir, "gone.json");
        var back = Path.Combine(_dir, "back.json");
        _ = writer.WriteAsync(gone, B("x"));
        _ = writer.WriteAsync(back, B("x"));
        _ = writer.WriteAsync(gone, null);
        _ = writer.WriteAsync(back, null);
        var last = writer.WriteAsync(back, B("again"));
        await last;
        await writer.FlushAsync();
        Assert.That(File.Exists(gone), Is.False);
        Assert.That(await File.ReadAllTextAsync(back), Is.EqualTo("again"));
    }

    [Test]
    public async Task What_is_queued_can_be_read_before_it_is_written()
    {
        var writer = new BatchedFileWriter();
        var path = Path.Combine(_dir, "q.json");
        var done = writer.WriteAsync(path, B("queued"));
        // Either still queued (then it reads back as queued) or already written (then the file has it).
        var content = writer.TryGetQueued(path, out var queued) ? Encoding.UTF8.GetString(queued!) : null;
        await done;
        Assert.That(content ?? await File.ReadAllTextAsync(path), Is.EqualTo("queued"));
        Assert.That(writer.TryGetQueued(path, out _), Is.False, "nothing is queued once the write completed");
    }

    [Test]
    public async Task A_write_that_cannot_happen_fails_its_task_and_not_the_others()
    {
        var writer = new BatchedFileWriter();
        File.WriteAllText(Path.Combine(_dir, "file"), "");
        var bad = writer.WriteAsync(Path.Combine(_dir, "file", "under-a-file.json"), B("x"));
        var good = writer.WriteAsync(Path.Combine(_dir, "good.json"), B("ok"));
        await Assert.ThrowsAsync<IOException>(async () => await bad);
        await good;
        Assert.That(await File.ReadAllTextAsync(Path.Combine(_dir, "good.json")), Is.EqualTo("ok"));
    }
}
