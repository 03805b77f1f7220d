using System.Net;
using System.Net.Sockets;
using System.Numerics;
using System.Text.RegularExpressions;
using Nomad.Agent.Hcl.Values;
using static Nomad.Agent.Hcl.Functions.Fn;

namespace Nomad.Agent.Hcl.Functions;

/// <summary>
/// cidrhost, cidrnetmask, cidrsubnet and cidrsubnets (go-cty-funcs over go-cidr): address arithmetic on an IPv4
/// or IPv6 prefix written as Go's net.ParseCIDR reads it.
/// </summary>
internal static partial class CidrFunctions
{
    private static readonly HclType S = HclType.String;
    private static readonly HclType N = HclType.Number;

    public static IEnumerable<HclFunction> All() =>
    [
        Define("cidrhost", [P("prefix", S), P("hostnum", N)], Host),
        Define("cidrnetmask", [P("prefix", S)], a => Value.Of(Format(Parse(Str(a[0])).Mask, Parse(Str(a[0])).Bits))),
        Define("cidrsubnet", [P("prefix", S), P("newbits", N), P("netnum", N)], Subnet),
        Define("cidrsubnets", [P("prefix", S)], P("newbits", N), Subnets),
    ];

    /// <summary>A network: its first address as a number of <see cref="Bits"/> bits, and its prefix length.</summary>
    private sealed record Network(BigInteger Address, int Length, int Bits)
    {
        public BigInteger HostMask => (BigInteger.One << (Bits - Length)) - 1;
        public BigInteger Mask => ((BigInteger.One << Bits) - 1) ^ HostMask;
        public BigInteger Last => Address | HostMask;
        public bool Contains(BigInteger ip) => (ip & Mask) == Address;
        public override string ToString() => $"{Format(Address, Bits)}/{Length}";
    }

    [GeneratedRegex(@"^(0|[1-9][0-9]{0,2})(\.(0|[1-9][0-9]{0,2})){3}$")]
    private static partial Regex Ipv4();

    private static Network Parse(string cidr, int? argumentIndex = null)
    {
        var slash = cidr.IndexOf('/');
        FunctionError Invalid() => new($"invalid CIDR expression: invalid CIDR address: {cidr}", argumentIndex);
        if (slash < 0) throw Invalid();
        var addressText = cidr[..slash];
        var lengthText = cidr[(slash + 1)..];
        int bits;
        if (Ipv4().IsMatch(addressText)) bits = 32;
        else if (addressText.Contains(':') && !addressText.Contains('%')) bits = 128;
        else throw Invalid();
        if (!IPAddress.TryParse(addressText, out var address)
            || address.AddressFamily != (bits == 32 ? AddressFamily.InterNetwork : AddressFamily.InterNetworkV6))
            throw Invalid();
        if (lengthText.Length is 0 or > 3 || !lengthText.All(char.IsAsciiDigit) || (lengthText.Length > 1 && lengthText[0] == '0'))
            throw Invalid();
        var length = int.Parse(lengthText, System.Globalization.CultureInfo.InvariantCulture);
        if (length > bits) throw Invalid();
        var value = new BigInteger(address.GetAddressBytes(), isUnsigned: true, isBigEndian: true);
        var network = new Network(0, length, bits);
        return network with { Address = value & network.Mask };
    }

    private static string Format(BigInteger address, int bits)
    {
        var bytes = address.ToByteArray(isUnsigned: true, isBigEndian: true);
        var full = new byte[bits / 8];
        bytes.CopyTo(full, full.Length - bytes.Length);
        return new IPAddress(full).ToString();
    }

    private static Value Host(IReadOnlyList<Value> a)
    {
        long hostNum = Int(a[1]);
        var network = Parse(Str(a[0]));
        var max = network.HostMask;
        BigInteger num = hostNum, magnitude = hostNum;
        if (hostNum < 0)
        {
            magnitude = -num - 1;
            num = max - magnitude;
        }
        if (magnitude > max)
            throw new FunctionError($"prefix of {network.Length} does not accommodate a host numbered {num}");
        return Value.Of(Format(network.Address + num, network.Bits));
    }

    private static Value Subnet(IReadOnlyList<Value> a)
    {
        var newBits = Int(a[1]);
        var netNum = Int(a[2]);
        var network = Parse(Str(a[0]));
        if (newBits > 32) throw new FunctionError("may not extend prefix by more than 32 bits");
        var newLength = network.Length + (int)newBits;
        if (newBits < 0 || newLength > network.Bits)
            throw new FunctionError($"insufficient address space to extend prefix of {network.Length} by {newBits}");
        if (netNum < 0 || netNum > (1L << (int)newBits) - 1)
            throw new FunctionError($"prefix extension of {newBits} does not accommodate a subnet numbered {netNum}");
        var subnet = new Network(network.Address | ((BigInteger)netNum << (network.Bits - newLength)), newLength, network.Bits);
        return Value.Of(subnet.ToString());
    }

    /// <summary>Consecutive subnets of the given extra lengths, each after the previous one (go-cidr's NextSubnet).</summary>
    private static Value Subnets(IReadOnlyList<Value> a)
    {
        var network = Parse(Str(a[0]), 0);
        var lengths = a.Skip(1).ToList();
        if (lengths.Count == 0) return Strings([]);
        var modulus = BigInteger.One << network.Bits;
        var firstLength = (int)Math.Clamp(Int(lengths[0], 1) + network.Length, 0, network.Bits);
        var firstMask = new Network(0, firstLength, network.Bits).Mask;
        var current = new Network((network.Address - 1 + modulus) % modulus & firstMask, firstLength, network.Bits);
        var results = new List<string>();
        for (var i = 0; i < lengths.Count; i++)
        {
            var extra = Int(lengths[i], i + 1);
            if (extra < 1) throw new FunctionError("must extend prefix by at least one bit", i + 1);
            if (extra > 32) throw new FunctionError("may not extend prefix by more than 32 bits", i + 1);
            var length = (int)extra + network.Length;
            if (length > network.Bits)
                throw new FunctionError(
                    $"would extend prefix to {length} bits, which is too long for an {(network.Bits == 32 ? "IPv4" : "IPv6")} address", i + 1);
            var shape = new Network(0, length, network.Bits);
            var lastOfCurrent = current.Last & shape.Mask | shape.HostMask;
            var next = (lastOfCurrent + 1) % modulus;
            var rollover = next.IsZero;
            var candidate = new Network(next & shape.Mask, length, network.Bits);
            if (rollover || !network.Contains(candidate.Address))
                throw new FunctionError(
                    $"not enough remaining address space for a subnet with a prefix of {length} bits after {current}", i + 1);
            current = candidate;
            results.Add(current.ToString());
        }
        return Strings(results);
    }
}
