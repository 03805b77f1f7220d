using System.Security.Cryptography;
using System.Text;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// Hashes (md5, sha1, sha256, sha512: lowercase hex of the string's UTF-8 bytes), bcrypt (a "$2a$" hash, cost 10
/// unless given), rsadecrypt (PKCS #1 v1.5 with a PEM "RSA PRIVATE KEY") and uuidv4/uuidv5.
/// </summary>
internal static class CryptoFunctions
{
    private static readonly HclType S = HclType.String;

    public static IEnumerable<HclFunction> All() =>
    [
        Define("md5", [P("str", S)], a => Hex(MD5.HashData(Encoding.UTF8.GetBytes(Str(a[0]))))),
        Define("sha1", [P("str", S)], a => Hex(SHA1.HashData(Encoding.UTF8.GetBytes(Str(a[0]))))),
        Define("sha256", [P("str", S)], a => Hex(Sha256.Hash(Encoding.UTF8.GetBytes(Str(a[0]))))),
        Define("sha512", [P("str", S)], a => Hex(SHA512.HashData(Encoding.UTF8.GetBytes(Str(a[0]))))),
        Define("bcrypt", [P("str", S)], P("cost", HclType.Number), Bcrypt),
        Define("rsadecrypt", [P("ciphertext", S), P("privatekey", S)], RsaDecrypt),
        Define("uuidv4", [], _ => Value.Of(Guid.NewGuid().ToString())),
        Define("uuidv5", [P("namespace", S), P("name", S)], UuidV5),
    ];

    // A plain loop: Convert.ToHexStringLower's vectorised path is JIT-compiled at the CLI's cold start.
    private static Value Hex(byte[] hash)
    {
        const string digits = "0123456789abcdef";
        var chars = new char[hash.Length * 2];
        for (var i = 0; i < hash.Length; i++)
        {
            chars[2 * i] = digits[hash[i] >> 4];
            chars[2 * i + 1] = digits[hash[i] & 0xf];
        }
        return Value.Of(new string(chars));
    }

    /// <summary>Go's bcrypt: a cost below 4 means the default 10, above 31 is an error.</summary>
    private static Value Bcrypt(IReadOnlyList<Value> a)
    {
        if (a.Count > 2) throw new FunctionError("bcrypt() takes no more than two arguments");
        var cost = a.Count > 1 ? Int(a[1]) : 10;
        if (cost < 4) cost = 10;
        if (cost > 31)
            throw new FunctionError($"error occured generating password crypto/bcrypt: cost {cost} is outside allowed range (4,31)");
        var salt = BCrypt.Net.BCrypt.GenerateSalt((int)cost, 'a');
        return Value.Of(BCrypt.Net.BCrypt.HashPassword(Str(a[0]), salt));
    }

    private static Value RsaDecrypt(IReadOnlyList<Value> a)
    {
        var s = Str(a[0]);
        byte[] cipher;
        try { cipher = Convert.FromBase64String(s); }
        catch (FormatException) { throw new FunctionError($"failed to decode input {GoQuote.Quote(s)}: cipher text must be base64-encoded"); }

        var pem = Str(a[1]);
        if (!PemEncoding.TryFind(pem, out var fields)) throw new FunctionError("failed to parse key: no key found");
        var header = pem[fields.Location][..(fields.Base64Data.Start.Value - fields.Location.Start.Value)];
        if (header.Contains("Proc-Type: 4,ENCRYPTED", StringComparison.Ordinal))
            throw new FunctionError("failed to parse key: password protected keys are not supported. Please decrypt the key prior to use");
        using var rsa = RSA.Create();
        try { rsa.ImportRSAPrivateKey(Convert.FromBase64String(pem[fields.Base64Data]), out _); }
        catch (Exception e) when (e is CryptographicException or FormatException)
        {
            throw new FunctionError("x509: failed to parse private key (use ParsePKCS8PrivateKey instead for this key format)");
        }
        try { return Value.Of(Encoding.UTF8.GetString(rsa.Decrypt(cipher, RSAEncryptionPadding.Pkcs1))); }
        catch (CryptographicException) { throw new FunctionError("crypto/rsa: decryption error"); }
    }

    private static readonly Dictionary<string, Guid> Namespaces = new()
    {
        ["dns"] = Guid.Parse("6ba7b810-9dad-11d1-80b4-00c04fd430c8"),
        ["url"] = Guid.Parse("6ba7b811-9dad-11d1-80b4-00c04fd430c8"),
        ["oid"] = Guid.Parse("6ba7b812-9dad-11d1-80b4-00c04fd430c8"),
        ["x500"] = Guid.Parse("6ba7b814-9dad-11d1-80b4-00c04fd430c8"),
    };

    /// <summary>RFC 4122 version 5: SHA-1 of the namespace's bytes and the name.</summary>
    private static Value UuidV5(IReadOnlyList<Value> a)
    {
        var ns = Str(a[0]);
        if (!Namespaces.TryGetValue(ns, out var space) && !TryParseUuid(ns, out space))
            throw new FunctionError($"uuidv5() doesn't support namespace {ns} (invalid UUID length: {ns.Length})");
        var bytes = space.ToByteArray(bigEndian: true).Concat(Encoding.UTF8.GetBytes(Str(a[1]))).ToArray();
        var hash = SHA1.HashData(bytes)[..16];
        hash[6] = (byte)((hash[6] & 0x0F) | 0x50);
        hash[8] = (byte)((hash[8] & 0x3F) | 0x80);
        return Value.Of(new Guid(hash, bigEndian: true).ToString());
    }

    /// <summary>The forms google/uuid reads: plain, braced, urn:uuid: and 32 hex digits.</summary>
    private static bool TryParseUuid(string s, out Guid g)
    {
        g = Guid.Empty;
        var text = s.StartsWith("urn:uuid:", StringComparison.OrdinalIgnoreCase) ? s[9..] : s;
        return text.Length is 32 or 36 or 38 && Guid.TryParse(text, out g);
    }
}
