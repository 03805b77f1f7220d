using Nomad.Agent.Client.Artifacts;

namespace Nomad.Agent.Tests.Client.Artifacts;

/// <summary>Sources read as go-getter reads them once the artifact's options are in the query.</summary>
public sealed class ArtifactSourceTests
{
    private static readonly Dictionary<string, string> None = new();
    private const string Sum = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

    [Test]
    public void The_archive_type_comes_from_the_longest_extension()
    {
        Assert.That(ArtifactSource.Parse("https://example.com/a/app.tar.gz", None, "/t").Archive, Is.EqualTo("tar.gz"));
        Assert.That(ArtifactSource.Parse("https://example.com/a/app.tgz", None, "/t").Archive, Is.EqualTo("tgz"));
        Assert.That(ArtifactSource.Parse("https://example.com/a/app.gz", None, "/t").Archive, Is.EqualTo("gz"));
        Assert.That(ArtifactSource.Parse("https://example.com/a/app.bin", None, "/t").Archive, Is.Null);
    }

    [Test]
    public void Archive_false_and_checksum_are_taken_out_of_the_query_and_the_rest_is_kept()
    {
        var s = ArtifactSource.Parse($"http://127.0.0.1:8080/x/app.tar.gz?archive=false&token=abc&checksum={Sum}", None, "/t");
        Assert.That(s.Archive, Is.Null);
        Assert.That(s.Checksum!.Type, Is.EqualTo("sha256"));
        Assert.That(s.Url!.ToString(), Is.EqualTo("http://127.0.0.1:8080/x/app.tar.gz?token=abc"));
        Assert.That(s.FileName, Is.EqualTo("app.tar.gz"));
    }

    [Test]
    public void Options_override_the_query()
    {
        var s = ArtifactSource.Parse("http://h/app.zip?archive=false", new Dictionary<string, string> { ["archive"] = "zip", ["checksum"] = Sum }, "/t");
        Assert.That((s.Archive, s.Checksum?.Type), Is.EqualTo(("zip", "sha256")));
    }

    [Test]
    public void Local_sources_are_paths_relative_to_the_task_dir()
    {
        Assert.That(ArtifactSource.Parse("local/in.tar", None, "/alloc/t").LocalPath, Is.EqualTo("/alloc/t/local/in.tar"));
        Assert.That(ArtifactSource.Parse("file:///srv/app.bin", None, "/alloc/t").LocalPath, Is.EqualTo("/srv/app.bin"));
        Assert.That(ArtifactSource.Parse("file::/srv/app.bin?archive=false", None, "/alloc/t").LocalPath, Is.EqualTo("/srv/app.bin"));
    }

    [TestCase("s3://bucket/key", "s3")]
    [TestCase("git::https://github.com/x/y", "git")]
    [TestCase("git@github.com:x/y.git", "git")]
    public void Other_getters_are_refused(string source, string kind)
    {
        var e = Assert.Throws<ArtifactException>(() => ArtifactSource.Parse(source, None, "/t"));
        Assert.That(e!.Message, Does.StartWith($"unsupported artifact source \"{kind}\""));
    }

    [Test]
    public void An_unknown_archive_type_is_refused() =>
        Assert.That(() => ArtifactSource.Parse("http://h/a?archive=rar", None, "/t"), Throws.TypeOf<ArtifactException>().With.Message.StartsWith("unsupported archive type \"rar\""));
}
