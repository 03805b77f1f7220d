using System.Security.Cryptography;

namespace Nomad.Agent.Client.Artifacts;

/// <summary>
/// An artifact's expected checksum as go-getter reads it: <c>type:hex</c> with type md5, sha1, sha256 or sha512,
/// or a bare hex value whose length says the type.
/// </summary>
public sealed record ArtifactChecksum(string Type, byte[] Expected)
{
    private static readonly Dictionary<string, int> Lengths = new()
    {
        ["md5"] = 16,
        ["sha1"] = 20,
        ["sha256"] = 32,
        ["sha512"] = 64,
    };

    /// <exception cref="ArtifactException">the value is empty, of an unknown type, not hex or of the wrong length</exception>
    public static ArtifactChecksum Parse(string value)
    {
        value = value.Trim();
        if (value.Length == 0) throw new ArtifactException("checksum value cannot be empty");
        int colon = value.IndexOf(':');
        if (colon < 0)
        {
            var bytes = Hex(value);
            var guessed = Lengths.FirstOrDefault(kv => kv.Value == bytes.Length).Key
                ?? throw new ArtifactException($"Unknown type for checksum {value}");
            return new ArtifactChecksum(guessed, bytes);
        }
        string type = value[..colon].ToLowerInvariant(), hex = value[(colon + 1)..];
        if (!Lengths.TryGetValue(type, out int length))
            throw new ArtifactException($"unsupported checksum type: {value[..colon]}");
        var expected = Hex(hex);
        if (expected.Length != length) throw new ArtifactException($"invalid {type} checksum: {hex}");
        return new ArtifactChecksum(type, expected);
    }

    /// <summary>Hashes the file and compares.</summary>
    /// <param name="name">the artifact's name for the message</param>
    /// <exception cref="ArtifactException">the checksums differ</exception>
    public void Verify(string file, string name)
    {
        using var hash = IncrementalHash.CreateHash(Type switch
        {
            "md5" => HashAlgorithmName.MD5,
            "sha1" => HashAlgorithmName.SHA1,
            "sha256" => HashAlgorithmName.SHA256,
            _ => HashAlgorithmName.SHA512,
        });
        using (var stream = File.OpenRead(file))
        {
            var buffer = new byte[81920];
            int n;
            while ((n = stream.Read(buffer)) > 0) hash.AppendData(buffer, 0, n);
        }
        var actual = hash.GetHashAndReset();
        if (!actual.AsSpan().SequenceEqual(Expected))
            throw new ArtifactException(
                $"Checksums did not match for {name}. Expected: {Convert.ToHexStringLower(Expected)} Got: {Convert.ToHexStringLower(actual)} ({Type})");
    }

    private static byte[] Hex(string hex)
    {
        try { return Convert.FromHexString(hex); }
        catch (FormatException) { throw new ArtifactException($"invalid checksum: \"{hex}\" is not hexadecimal"); }
    }
}
