using System.Security.Cryptography;
using System.Text;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Tests.Hcl.Functions.Kit;

namespace Nomad.Agent.Tests.Hcl.Functions;

/// <summary>Hashes, bcrypt, rsadecrypt, UUIDs and the CIDR functions, from their documentation.</summary>
[TestFixture]
public sealed class CryptoAndNetworkFunctionTests
{
    public static readonly Row[] Results =
    [
        new("md5", [S("hello world")], "\"5eb63bbbe01eeed093cb22bb8f5acdc3\""),
        new("sha1", [S("hello world")], "\"2aae6c35c94fcfb415dbe95f408b9ce91ee846ed\""),
        new("sha256", [S("hello world")], "\"b94d27b9934d3e08a52e52d7da7dabfac484efe37a5380ee9088f7ace2efcde9\""),
        new("sha512", [S("hello world")],
            "\"309ecc489c12d6eb4cc40f50c902f2b4d0ed77ee511a7c7a9bcd3ca86d4cd86f989dd35bc5ff499670da34255b45b0cfd830e81f605dcf7dc5542e93ae9cd76f\""),
        new("md5", [S("")], "\"d41d8cd98f00b204e9800998ecf8427e\""),
        new("md5", [S("☃ snow")], "\"4a78672d81d9d0dca9c3fa780df9ca10\""),
        new("sha1", [S("☃ snow")], "\"ab1a30b218ac31f55d90c206026e003e94b71ac5\""),
        new("sha256", [S("☃ snow")], "\"51eb6a36cfba3100d3e7153b2f64c262bc71999e2637160e207149cdb8d1bbdb\""),
        new("sha512", [S("")],
            "\"cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e\""),
        new("uuidv5", [S("dns"), S("☃.example")], "\"5be24ac2-3b2f-5403-b270-11fb042b4868\""),
        new("uuidv5", [S("{12345678-1234-5678-1234-567812345678}"), S("")], "\"d687edb1-27fb-5c25-bf30-1b2242e53884\""),
        new("uuidv5", [S("dns"), S("www.terraform.io")], "\"a5008fae-b28c-5ba5-96cd-82b4c53552d6\""),
        new("uuidv5", [S("url"), S("https://www.terraform.io/")], "\"9db6f67c-dd95-5ea0-aa5b-e70e5c5f7cf5\""),
        new("uuidv5", [S("oid"), S("1.3.6.1.4")], "\"af9d40a5-7a36-5c07-b23a-851cd99fbfa5\""),
        new("uuidv5", [S("x500"), S("CN=Example,C=GB")], "\"84e09961-4aa4-57f8-95b7-03edb1073253\""),
        new("uuidv5", [S("6ba7b810-9dad-11d1-80b4-00c04fd430c8"), S("www.terraform.io")], "\"a5008fae-b28c-5ba5-96cd-82b4c53552d6\""),
        new("cidrhost", [S("10.12.112.0/20"), N(16)], "\"10.12.112.16\""),
        new("cidrhost", [S("10.12.112.0/20"), N(268)], "\"10.12.113.12\""),
        new("cidrhost", [S("10.12.112.0/20"), N(-1)], "\"10.12.127.255\""),
        new("cidrhost", [S("fd00:fd12:3456:7890:00a2::/72"), N(34)], "\"fd00:fd12:3456:7890::22\""),
        new("cidrnetmask", [S("172.16.0.0/12")], "\"255.240.0.0\""),
        new("cidrnetmask", [S("10.0.0.0/32")], "\"255.255.255.255\""),
        new("cidrsubnet", [S("172.16.0.0/12"), N(4), N(2)], "\"172.18.0.0/16\""),
        new("cidrsubnet", [S("10.1.2.0/24"), N(4), N(15)], "\"10.1.2.240/28\""),
        new("cidrsubnet", [S("fd00:fd12:3456:7890::/56"), N(16), N(162)], "\"fd00:fd12:3456:7800:a200::/72\""),
        new("cidrsubnet", [S("10.1.2.3/24"), N(0), N(0)], "\"10.1.2.0/24\""),
        new("cidrsubnets", [S("10.1.0.0/16"), N(4), N(4), N(8), N(4)], "list[\"10.1.0.0/20\",\"10.1.16.0/20\",\"10.1.32.0/24\",\"10.1.48.0/20\"]"),
        new("cidrsubnets", [S("fd00:fd12:3456:7890::/56"), N(16), N(16), N(16), N(32)],
            "list[\"fd00:fd12:3456:7800::/72\",\"fd00:fd12:3456:7800:100::/72\",\"fd00:fd12:3456:7800:200::/72\",\"fd00:fd12:3456:7800:300::/88\"]"),
        new("cidrsubnets", [S("10.0.0.0/8")], "list[]"),
    ];

    [TestCaseSource(nameof(Results))]
    public void Result(Row row) => Assert.That(Run(row.Function, row.Args), Is.EqualTo(row.Expected));

    public static readonly Row[] Errors =
    [
        new("md5", [Null], "Invalid value for \"str\" parameter: argument must not be null."),
        new("sha256", [Strings()], "Invalid value for \"str\" parameter: string required."),
        new("cidrnetmask", [S("10.0.0.0/8"), N(1)], "Function \"cidrnetmask\" expects only 1 argument(s)."),
        new("uuidv5", [S("nope"), S("x")], "Call to function \"uuidv5\" failed: uuidv5() doesn't support namespace nope (invalid UUID length: 4)."),
        new("bcrypt", [S("a"), N(40)], "Call to function \"bcrypt\" failed: error occured generating password crypto/bcrypt: cost 40 is outside allowed range (4,31)."),
        new("bcrypt", [S("a"), N(5), N(6)], "Call to function \"bcrypt\" failed: bcrypt() takes no more than two arguments."),
        new("rsadecrypt", [S("!!"), S("key")], "Call to function \"rsadecrypt\" failed: failed to decode input \"!!\": cipher text must be base64-encoded."),
        new("rsadecrypt", [S("AAAA"), S("not a key")], "Call to function \"rsadecrypt\" failed: failed to parse key: no key found."),
        new("cidrhost", [S("10.0.0.0/8/9"), N(1)], "Call to function \"cidrhost\" failed: invalid CIDR expression: invalid CIDR address: 10.0.0.0/8/9."),
        new("cidrhost", [S("10.0.0.0"), N(1)], "Call to function \"cidrhost\" failed: invalid CIDR expression: invalid CIDR address: 10.0.0.0."),
        new("cidrhost", [S("010.0.0.0/8"), N(1)], "Call to function \"cidrhost\" failed: invalid CIDR expression: invalid CIDR address: 010.0.0.0/8."),
        new("cidrhost", [S("10.0.0.0/33"), N(1)], "Call to function \"cidrhost\" failed: invalid CIDR expression: invalid CIDR address: 10.0.0.0/33."),
        new("cidrhost", [S("10.0.0.0/30"), N(4)], "Call to function \"cidrhost\" failed: prefix of 30 does not accommodate a host numbered 4."),
        new("cidrsubnet", [S("10.0.0.0/30"), N(3), N(0)], "Call to function \"cidrsubnet\" failed: insufficient address space to extend prefix of 30 by 3."),
        new("cidrsubnet", [S("10.0.0.0/24"), N(2), N(4)], "Call to function \"cidrsubnet\" failed: prefix extension of 2 does not accommodate a subnet numbered 4."),
        new("cidrsubnet", [S("fd00::/8"), N(33), N(0)], "Call to function \"cidrsubnet\" failed: may not extend prefix by more than 32 bits."),
        new("cidrsubnets", [S("10.0.0.0/24"), N(1), N(1), N(1)], "Invalid value for \"newbits\" parameter: not enough remaining address space for a subnet with a prefix of 25 bits after 10.0.0.128/25."),
        new("cidrsubnets", [S("10.0.0.0/24"), N(0)], "Invalid value for \"newbits\" parameter: must extend prefix by at least one bit."),
        new("cidrsubnets", [S("10.0.0.0/24"), N(9)], "Invalid value for \"newbits\" parameter: would extend prefix to 33 bits, which is too long for an IPv4 address."),
        new("cidrsubnets", [S("nope"), N(1)], "Invalid value for \"prefix\" parameter: invalid CIDR expression: invalid CIDR address: nope."),
    ];

    [TestCaseSource(nameof(Errors))]
    public void Error(Row row) => Assert.That(Fails(row.Function, row.Args).Message, Is.EqualTo(row.Expected));

    [Test]
    public void Uuidv4IsARandomVersionFourUuid()
    {
        var a = ((StringValue)Call("uuidv4")).Value;
        var b = ((StringValue)Call("uuidv4")).Value;
        Assert.That(a, Does.Match("^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$"));
        Assert.That(a, Is.Not.EqualTo(b));
    }

    [Test]
    public void BcryptHashesVerifyAndCarryTheCost()
    {
        var hash = ((StringValue)Call("bcrypt", S("hello world"))).Value;
        Assert.That(hash, Does.StartWith("$2a$10$"));
        Assert.That(BCrypt.Net.BCrypt.Verify("hello world", hash), Is.True);
        Assert.That(((StringValue)Call("bcrypt", S("x"), N(5))).Value, Does.StartWith("$2a$05$"));
        Assert.That(((StringValue)Call("bcrypt", S("x"), N(2))).Value, Does.StartWith("$2a$10$"), "below 4 means the default");
    }

    [Test]
    public void RsadecryptReadsPkcs1KeysAndPkcs1Padding()
    {
        using var rsa = RSA.Create(2048);
        var pem = rsa.ExportRSAPrivateKeyPem();
        var cipher = Convert.ToBase64String(rsa.Encrypt(Encoding.UTF8.GetBytes("secret ☃"), RSAEncryptionPadding.Pkcs1));
        Assert.That(Run("rsadecrypt", S(cipher), S(pem)), Is.EqualTo("\"secret ☃\""));

        var pkcs8 = rsa.ExportPkcs8PrivateKeyPem();
        Assert.That(Fails("rsadecrypt", S(cipher), S(pkcs8)).Message, Does.Contain("failed to parse private key"));
        Assert.That(Fails("rsadecrypt", S(Convert.ToBase64String(new byte[256])), S(pem)).Message,
            Is.EqualTo("Call to function \"rsadecrypt\" failed: crypto/rsa: decryption error."));
    }
}

/// <summary>The managed SHA-256 behind <c>sha256</c>, against .NET's (OpenSSL's) on every padding case and a long input.</summary>
[TestFixture]
public sealed class Sha256Tests
{
    [Test]
    public void MatchesTheFrameworkForEveryTailLengthAndALongInput()
    {
        var random = new Random(14);
        var lengths = Enumerable.Range(0, 200).Append(1_000_003);
        foreach (var length in lengths)
        {
            var data = new byte[length];
            random.NextBytes(data);
            Assert.That(Nomad.Agent.Hcl.Functions.Sha256.Hash(data),
                Is.EqualTo(System.Security.Cryptography.SHA256.HashData(data)), $"length {length}");
        }
    }

    [Test]
    public void KnownAnswer() =>
        Assert.That(Convert.ToHexStringLower(Nomad.Agent.Hcl.Functions.Sha256.Hash("abc"u8)),
            Is.EqualTo("ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"));
}
