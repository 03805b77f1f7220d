using System.Security.Cryptography;
using System.Text;
using Nomad.Agent.Client.Artifacts;

namespace Nomad.Agent.Tests.Client.Artifacts;

/// <summary>go-getter's checksum forms (type:hex, or bare hex whose length names the type) and verification of real files.</summary>
public sealed class ArtifactChecksumTests
{
    private static readonly byte[] Content = Encoding.UTF8.GetBytes("artifact body\n");

    [TestCase("md5", 16)]
    [TestCase("sha1", 20)]
    [TestCase("sha256", 32)]
    [TestCase("SHA512", 64)]
    public void Parses_type_and_value(string type, int length)
    {
        var c = ArtifactChecksum.Parse($"{type}:{new string('a', length * 2)}");
        Assert.That((c.Type, c.Expected.Length), Is.EqualTo((type.ToLowerInvariant(), length)));
    }

    [TestCase(16, "md5")]
    [TestCase(20, "sha1")]
    [TestCase(32, "sha256")]
    [TestCase(64, "sha512")]
    public void A_bare_value_is_typed_by_its_length(int length, string type) =>
        Assert.That(ArtifactChecksum.Parse(new string('0', length * 2)).Type, Is.EqualTo(type));

    [TestCase("", "checksum value cannot be empty")]
    [TestCase("   ", "checksum value cannot be empty")]
    [TestCase("crc32:abcd", "unsupported checksum type: crc32")]
    [TestCase("sha256:xyz", "invalid checksum: \"xyz\" is not hexadecimal")]
    [TestCase("sha256:abcd", "invalid sha256 checksum: abcd")]
    [TestCase("abcdef", "Unknown type for checksum abcdef")]
    public void Bad_values_are_refused_with_a_reason(string value, string message)
    {
        var e = Assert.Throws<ArtifactException>(() => ArtifactChecksum.Parse(value));
        Assert.That(e!.Message, Is.EqualTo(message));
    }

    [Test]
    public void Verifies_each_algorithm_on_a_real_file()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, Content);
            foreach (var (type, hash) in new[] { ("md5", MD5.HashData(Content)), ("sha1", SHA1.HashData(Content)), ("sha256", SHA256.HashData(Content)), ("sha512", SHA512.HashData(Content)) })
                Assert.DoesNotThrow(() => ArtifactChecksum.Parse($"{type}:{Convert.ToHexString(hash)}").Verify(file, "body.txt"), type);
        }
        finally { File.Delete(file); }
    }

    [Test]
    public void A_mismatch_names_the_file_and_both_sums()
    {
        string file = Path.GetTempFileName();
        try
        {
            File.WriteAllBytes(file, Content);
            string wrong = new('0', 64), actual = Convert.ToHexStringLower(SHA256.HashData(Content));
            var e = Assert.Throws<ArtifactException>(() => ArtifactChecksum.Parse("sha256:" + wrong).Verify(file, "body.txt"));
            Assert.That(e!.Message, Is.EqualTo($"Checksums did not match for body.txt. Expected: {wrong} Got: {actual} (sha256)"));
        }
        finally { File.Delete(file); }
    }
}
