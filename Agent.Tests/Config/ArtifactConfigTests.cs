using Nomad.Agent.Client.Artifacts;
using Nomad.Agent.Config;

namespace Nomad.Agent.Tests.Config;

/// <summary>The client's artifact block: Nomad's keys, sizes as go-humanize writes them, defaults, and one-line errors.</summary>
public sealed class ArtifactConfigTests
{
    [Test]
    public void Reads_the_block_and_fills_the_rest_with_nomads_defaults()
    {
        var c = ConfigLoader.ParseHcl("""
            client {
              artifact {
                http_read_timeout                = "5m"
                http_max_size                    = "2GiB"
                decompression_size_limit         = "10GB"
                filesystem_isolation_extra_paths = ["d:r:/srv/artifacts", "f:r:/etc/app.conf"]
                git_timeout                      = "1m"
              }
            }
            """, "agent.hcl");
        var o = ArtifactOptions.From(c.Client.Artifact);
        Assert.That(o.HttpReadTimeout, Is.EqualTo(TimeSpan.FromMinutes(5)));
        Assert.That(o.HttpMaxBytes, Is.EqualTo(2L << 30));
        Assert.That(o.DecompressionSizeLimit, Is.EqualTo(10_000_000_000));
        Assert.That(o.DecompressionFileCountLimit, Is.EqualTo(4096));
        Assert.That(o.DisableFilesystemIsolation, Is.False);
        Assert.That(o.FilesystemIsolationExtraPaths, Is.EqualTo(new[] { "d:r:/srv/artifacts", "f:r:/etc/app.conf" }));
        Assert.That(c.Unsupported, Has.One.EndsWith(": client.artifact.git_timeout"));

        var d = ArtifactOptions.From(new ArtifactConfig());
        Assert.That((d.HttpReadTimeout, d.HttpMaxBytes, d.DecompressionSizeLimit), Is.EqualTo((TimeSpan.FromMinutes(30), 100_000_000_000L, 100_000_000_000L)));
    }

    [TestCase("client {\n  artifact {\n    http_max_size = \"lots\"\n  }\n}\n",
        "agent.hcl:3:21: client.artifact.http_max_size: invalid size \"lots\" (want e.g. \"100GB\", \"512MiB\")")]
    [TestCase("client {\n  artifact {\n    filesystem_isolation_extra_paths = [\"/srv\"]\n  }\n}\n",
        "agent.hcl:3:40: client.artifact.filesystem_isolation_extra_paths: contains invalid lockdown path \"/srv\" (want kind:mode:path, e.g. \"d:r:/srv/artifacts\")")]
    [TestCase("client {\n  artifact {\n    s3 = 1\n  }\n}\n", "agent.hcl:3:5: unknown key \"s3\" in client.artifact")]
    public void A_bad_value_is_one_line(string hcl, string message) =>
        Assert.That(Assert.Throws<ConfigException>(() => ConfigLoader.ParseHcl(hcl, "agent.hcl"))!.Message, Is.EqualTo(message));
}
