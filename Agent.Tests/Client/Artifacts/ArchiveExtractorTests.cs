using Nomad.Agent.Client.Artifacts;

namespace Nomad.Agent.Tests.Client.Artifacts;

/// <summary>
/// Unpacking real archives: what is in them lands in the staging directory, and an archive that tries to leave it
/// (a <c>..</c> entry, an absolute name, a symlink out, a chain of links, a file written through a link, a hard
/// link to a name outside) fails as a whole, leaving nothing outside. Entry counts and bytes are bounded.
/// </summary>
public sealed class ArchiveExtractorTests
{
    private string _tmp = "", _outside = "", _tree = "", _archive = "";

    [SetUp]
    public void SetUp()
    {
        if (!OperatingSystem.IsLinux()) Assert.Ignore("symlink and mode checks are written for Linux");
        _tmp = Directory.CreateTempSubdirectory("artifact-extract-").FullName;
        _outside = Directory.CreateDirectory(Path.Combine(_tmp, "outside")).FullName;
        // The tree sits two levels down, so that "../.." from it would be _tmp and "../../outside" a real directory.
        _tree = Directory.CreateDirectory(Path.Combine(_tmp, "task", "stage", "tree")).FullName;
        _archive = Path.Combine(_tmp, "task", "stage", "download");
    }

    [TearDown]
    public void TearDown()
    {
        if (_tmp.Length > 0) Directory.Delete(_tmp, recursive: true);
    }

    private static ExtractionBudget Unlimited => new(0, 0);

    private void AssertNothingEscaped()
    {
        Assert.That(Directory.EnumerateFileSystemEntries(_outside), Is.Empty, "nothing written outside");
        Assert.That(Directory.EnumerateFileSystemEntries(_tmp).Select(Path.GetFileName), Is.EquivalentTo(new[] { "outside", "task" }));
        Assert.That(File.Exists("/evil") || File.Exists("/tmp/evil"), Is.False);
    }

    [TestCase("tar")]
    [TestCase("tar.gz")]
    [TestCase("tgz")]
    [TestCase("tar.bz2")]
    [TestCase("tar.xz")]
    public void Unpacks_each_tar_flavour(string type)
    {
        if (type == "tar.xz" && !TestArchives.HasXz) Assert.Ignore("the xz tool is not installed");
        TestArchives.Tar(_archive, type,
            Entry.Directory("bin"),
            Entry.File("bin/app", "#!/bin/sh\necho hi\n", (UnixFileMode)0xDED), // setuid + 0755
            Entry.File("etc/conf/app.conf", "port = 8080\n"),
            Entry.Symlink("current", "bin/app"),
            Entry.HardLink("etc/copy.conf", "etc/conf/app.conf"));
        ArchiveExtractor.ExtractTree(_archive, type, _tree, Unlimited);

        Assert.That(File.ReadAllText(Path.Combine(_tree, "bin/app")), Is.EqualTo("#!/bin/sh\necho hi\n"));
        Assert.That(File.GetUnixFileMode(Path.Combine(_tree, "bin/app")), Is.EqualTo((UnixFileMode)0x1ED), "setuid stripped, 0755 kept");
        Assert.That(File.ReadAllText(Path.Combine(_tree, "etc/conf/app.conf")), Is.EqualTo("port = 8080\n"));
        Assert.That(new FileInfo(Path.Combine(_tree, "current")).LinkTarget, Is.EqualTo("bin/app"));
        Assert.That(File.ReadAllText(Path.Combine(_tree, "etc/copy.conf")), Is.EqualTo("port = 8080\n"));
        AssertNothingEscaped();
    }

    [Test]
    public void Unpacks_a_zip_with_its_modes_and_inner_links()
    {
        TestArchives.Zip(_archive, Entry.Directory("d"), Entry.File("d/run.sh", "echo zip\n", (UnixFileMode)0x1ED), Entry.Symlink("run", "d/run.sh"));
        ArchiveExtractor.ExtractTree(_archive, "zip", _tree, Unlimited);
        Assert.That(File.ReadAllText(Path.Combine(_tree, "run")), Is.EqualTo("echo zip\n"));
        Assert.That(File.GetUnixFileMode(Path.Combine(_tree, "d/run.sh")), Is.EqualTo((UnixFileMode)0x1ED));
    }

    private static IEnumerable<TestCaseData> Escapes()
    {
        yield return new TestCaseData(new[] { Entry.File("ok.txt", "ok"), Entry.File("../../../evil", "x") }, "entry contains '..': ../../../evil").SetName("dot-dot entry");
        yield return new TestCaseData(new[] { Entry.File("a/../../../../evil", "x") }, "entry contains '..': a/../../../../evil").SetName("dot-dot inside a name");
        yield return new TestCaseData(new[] { Entry.File("/tmp/evil", "x") }, "entry has an absolute path: /tmp/evil").SetName("absolute name");
        yield return new TestCaseData(new[] { Entry.Symlink("out", "../../../outside") }, "artifact includes symlink that resolves outside of sandbox: out -> ../../../outside").SetName("relative symlink out");
        yield return new TestCaseData(new[] { Entry.Symlink("etc", "/etc") }, "artifact includes symlink that resolves outside of sandbox: etc -> /etc").SetName("absolute symlink");
        // Each link alone stays inside when read as written; followed as the kernel does, the second climbs out.
        yield return new TestCaseData(new[] { Entry.Directory("deep/dir"), Entry.Symlink("l1", "."), Entry.Symlink("deep/dir/l2", "../../l1/..") },
            "artifact includes symlink that resolves outside of sandbox: deep/dir/l2 -> ../../l1/..").SetName("chain of links");
        yield return new TestCaseData(new[] { Entry.HardLink("h", "../../../outside/x") }, "entry contains '..': ../../../outside/x").SetName("hard link out");
    }

    [TestCaseSource(nameof(Escapes))]
    public void An_escaping_tar_fails_and_leaves_nothing_outside(Entry[] entries, string message)
    {
        TestArchives.Tar(_archive, "tar.gz", entries);
        var e = Assert.Throws<ArtifactException>(() => ArchiveExtractor.ExtractTree(_archive, "tar.gz", _tree, Unlimited));
        Assert.That(e!.Message, Is.EqualTo(message));
        AssertNothingEscaped();
    }

    [Test]
    public void A_file_is_never_written_through_a_link_of_the_archive()
    {
        // The classic: a link to a directory outside, then a file "through" it. Links are made last, so the file
        // lands in a real directory of the tree and the link is refused.
        TestArchives.Tar(_archive, "tar", Entry.Symlink("evil", _outside), Entry.File("evil/planted", "x"));
        Assert.Throws<ArtifactException>(() => ArchiveExtractor.ExtractTree(_archive, "tar", _tree, Unlimited));
        AssertNothingEscaped();
    }

    [Test]
    public void A_zip_with_a_dot_dot_entry_or_a_link_out_fails()
    {
        TestArchives.Zip(_archive, Entry.File("../../../evil", "x"));
        Assert.That(() => ArchiveExtractor.ExtractTree(_archive, "zip", _tree, Unlimited), Throws.TypeOf<ArtifactException>().With.Message.EqualTo("entry contains '..': ../../../evil"));
        File.Delete(_archive);
        TestArchives.Zip(_archive, Entry.Symlink("out", "../../../outside"));
        Assert.That(() => ArchiveExtractor.ExtractTree(_archive, "zip", _tree, Unlimited), Throws.TypeOf<ArtifactException>().With.Message.StartsWith("artifact includes symlink that resolves outside of sandbox"));
        AssertNothingEscaped();
    }

    [Test]
    public void The_bytes_written_are_bounded()
    {
        TestArchives.Tar(_archive, "tar.gz", Entry.File("small", new string('a', 100)), Entry.File("big", new string('b', 5000)));
        var e = Assert.Throws<ArtifactException>(() => ArchiveExtractor.ExtractTree(_archive, "tar.gz", _tree, new ExtractionBudget(1000, 0)));
        Assert.That(e!.Message, Is.EqualTo("archive larger than limit: 1000 bytes"));
    }

    [Test]
    public void The_entry_count_is_bounded()
    {
        TestArchives.Tar(_archive, "tar", Enumerable.Range(0, 5).Select(i => Entry.File($"f{i}", "x")).ToArray());
        var e = Assert.Throws<ArtifactException>(() => ArchiveExtractor.ExtractTree(_archive, "tar", _tree, new ExtractionBudget(0, 3)));
        Assert.That(e!.Message, Is.EqualTo("archive contains too many files: 4 > 3"));
    }

    [Test]
    public void A_compressed_single_file_unpacks_to_a_file_and_is_bounded_too()
    {
        TestArchives.Compress("hello gzip\n"u8.ToArray(), _archive, "gz");
        string file = Path.Combine(_tree, "out.txt");
        ArchiveExtractor.ExtractFile(_archive, "gz", file, Unlimited, "x.gz");
        Assert.That(File.ReadAllText(file), Is.EqualTo("hello gzip\n"));
        Assert.That(() => ArchiveExtractor.ExtractFile(_archive, "gz", file, new ExtractionBudget(4, 0), "x.gz"), Throws.TypeOf<ArtifactException>());
        Assert.That(() => ArchiveExtractor.ExtractTree(_archive, "gz", _tree, Unlimited),
            Throws.TypeOf<ArtifactException>().With.Message.EqualTo("gzip-compressed files can only unarchive to a single file"));
    }

    [Test]
    public void File_mode_wants_exactly_one_file()
    {
        TestArchives.Tar(_archive, "tar", Entry.File("a", "1"), Entry.File("b", "2"));
        Assert.That(() => ArchiveExtractor.ExtractFile(_archive, "tar", Path.Combine(_tree, "one"), Unlimited, "x.tar"),
            Throws.TypeOf<ArtifactException>().With.Message.EqualTo("expected a single file, got multiple: x.tar"));
    }

    [Test]
    public void A_corrupt_archive_fails_with_one_line()
    {
        File.WriteAllText(_archive, "this is not gzip");
        var e = Assert.Throws<ArtifactException>(() => ArchiveExtractor.ExtractTree(_archive, "tar.gz", _tree, Unlimited));
        Assert.That(e!.Message, Does.StartWith("failed to unpack tar.gz archive:"));
        Assert.That(e.Message, Does.Not.Contain("\n"));
    }
}
