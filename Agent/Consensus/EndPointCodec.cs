using System.Buffers;
using System.Buffers.Binary;
using System.Net;
using System.Text;
using DotNext.Buffers;

namespace Nomad.Agent.Consensus;

/// <summary>
/// How a voter's address is written into Raft configuration entries and the peers file:
/// a little-endian ushort length and the UTF-8 text "ip:port".
/// </summary>
internal static class EndPointCodec
{
    public static void Encode(EndPoint address, ref BufferWriterSlim<byte> writer)
    {
        var text = Encoding.UTF8.GetBytes(Format(address));
        Span<byte> length = stackalloc byte[sizeof(ushort)];
        BinaryPrimitives.WriteUInt16LittleEndian(length, checked((ushort)text.Length));
        writer.Write(length);
        writer.Write(text);
    }

    public static EndPoint Decode(ref SequenceReader reader)
    {
        var length = reader.ReadLittleEndian<ushort>();
        var text = Encoding.UTF8.GetString(reader.Read(length).ToArray());
        return Parse(text);
    }

    /// <summary>Parses "ip:port" (IPv6 as "[::1]:4647").</summary>
    public static IPEndPoint Parse(string address)
        => IPEndPoint.TryParse(address, out var ep) && ep.Port != 0
            ? ep
            : throw new FormatException($"'{address}' is not an ip:port address");

    public static string Format(EndPoint address) => address.ToString() ?? "";
}
